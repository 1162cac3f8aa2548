"""The disease catalog over both sides: DDXPlus conditions (common) and HPO-annotated diseases (orphan).

Diseases without phenotype annotations that share a gene with annotated ones stay candidates: their profile is
transferred from those related diseases at training time (``transferredFrom``), the few-shot transfer the model
relies on for newly described diseases.
"""

from __future__ import annotations

from common.annotations import DiseaseAnnotations
from common.ddxplus import condition_id


def common_entries(conditions: dict[str, dict], evidence_hpo: dict[str, str]) -> list[dict]:
    """One catalog entry per DDXPlus condition; its phenotypes are its evidences that map to HPO."""
    entries = []
    for name in sorted(conditions):
        cond = conditions[name]
        codes = list(cond.get("symptoms", {})) + list(cond.get("antecedents", {}))
        phenotypes = sorted({evidence_hpo[c] for c in codes if c in evidence_hpo})
        entries.append(
            {
                "id": condition_id(name),
                "name": cond.get("cond-name-eng", name),
                "names": {"en": cond.get("cond-name-eng", name), "fr": cond.get("cond-name-fr", name)},
                "category": "common",
                "xrefs": [f"ICD10:{cond['icd10-id'].upper()}"] if cond.get("icd10-id") else [],
                "annotated": True,
                "phenotypes": [{"id": p, "frequency": 0.5} for p in phenotypes],
                "excludedPhenotypes": [],
                "genes": [],
            }
        )
    return entries


def orphan_entries(diseases: dict[str, DiseaseAnnotations], genes: dict[str, set[str]]) -> list[dict]:
    """Annotated rare diseases, then the unannotated ones linked to them through a shared gene."""
    annotated = {d: a for d, a in diseases.items() if a.phenotypes}
    entries = [_annotated_entry(a, genes.get(d, set())) for d, a in sorted(annotated.items())]
    by_gene: dict[str, list[str]] = {}
    for d in sorted(annotated):
        for g in genes.get(d, ()):
            by_gene.setdefault(g, []).append(d)
    for d in sorted(set(genes) - set(annotated)):
        if not d.startswith(("OMIM:", "ORPHA:")):
            continue
        related = sorted({r for g in genes[d] for r in by_gene.get(g, ()) if r != d})
        if not related:
            continue  # no phenotype knowledge at all: nothing to rank it on
        gene_list = sorted(genes[d])
        entries.append(
            {
                "id": d,
                "name": diseases[d].name
                if d in diseases
                else f"Disease linked to {', '.join(gene_list[:3])} ({d})",
                "category": "orphan",
                "xrefs": [],
                "annotated": False,
                "phenotypes": [],
                "excludedPhenotypes": [],
                "genes": gene_list,
                "transferredFrom": related,
            }
        )
    return entries


def _annotated_entry(a: DiseaseAnnotations, genes: set[str]) -> dict:
    onset = [min(lo for lo, _ in a.onset), max(hi for _, hi in a.onset)] if a.onset else None
    sex = next(iter(a.sexes)) if len(a.sexes) == 1 else None
    return {
        "id": a.id,
        "name": a.name,
        "category": "orphan",
        "xrefs": [],
        "annotated": True,
        "phenotypes": [{"id": t, "frequency": round(f, 4)} for t, f in sorted(a.phenotypes.items())],
        "excludedPhenotypes": sorted(a.excluded),
        "genes": sorted(genes),
        "onsetYears": onset,
        "sex": sex,
        "references": len(a.references),
    }
