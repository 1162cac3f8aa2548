"""The disease catalog over both sides: DDXPlus conditions (common) and HPO-annotated diseases (orphan).

Diseases without phenotype annotations that share a gene with annotated ones stay candidates: their profile is
transferred from those related diseases at training time (``transferredFrom``), the few-shot transfer the model
relies on for newly described diseases.
"""

from __future__ import annotations

import re

from common.annotations import DiseaseAnnotations
from common.ddxplus import condition_id

# words that say nothing about which disease it is, ignored when matching ORPHA and OMIM names
_GENERIC = {
    "type",
    "syndrome",
    "disease",
    "disorder",
    "with",
    "and",
    "or",
    "of",
    "the",
    "to",
    "due",
    "autosomal",
    "recessive",
    "dominant",
    "x",
    "linked",
    "deficiency",
    "form",
    "familial",
    "congenital",
    "a",
    "b",
    "c",
    "1",
    "2",
}


def common_entries(conditions: dict[str, dict], evidence_hpo: dict[str, str]) -> list[dict]:
    """One catalog entry per DDXPlus condition; its phenotypes are its evidences that map to HPO, and
    ``evidences`` lists every questionnaire evidence code the condition can produce (its profile)."""
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
                "evidences": sorted(codes, key=lambda c: int(c.split("_")[1])),
            }
        )
    return entries


def _words(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", name.lower())


def _name_words(name: str) -> set[str]:
    return set(_words(name)) - _GENERIC


def _full_name(name: str) -> str:
    return " ".join(_words(name))


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


_ROMAN = {_roman(n): str(n) for n in range(1, 40)}


def _name_bag(name: str) -> frozenset[str]:
    """The words of a name as a set, roman numerals read as numbers and "type" left out: Orphanet writes "Gaucher
    disease type 1", "Spinocerebellar ataxia type 6" and "Autosomal recessive Robinow syndrome" where OMIM writes
    "Gaucher disease, type I", "Spinocerebellar ataxia 6" and "Robinow syndrome, autosomal recessive". The x of
    "X-linked" stays a letter."""
    words = _words(name)
    return frozenset(
        _ROMAN.get(w, w) if not (w == "x" and words[i + 1 : i + 2] == ["linked"]) else w
        for i, w in enumerate(words)
        if w != "type"
    )


def orphanet_twins(diseases: dict[str, DiseaseAnnotations], genes: dict[str, set[str]]) -> dict[str, str]:
    """ORPHA id -> the one OMIM disease it describes, both annotated: sharing a gene and a distinctive name word (the
    one among several such with the same words, ``_name_bag``), or else bearing the same name as one OMIM entry, or
    else the same words in another order.

    Orphanet and OMIM often describe the same disease twice; as two candidates they split the probability and the
    rank. An ORPHA entry matching several OMIM entries (a group such as a phenotypic series) is kept apart. The name
    rules catch the twins the gene rule cannot: Orphanet entries without a gene in ``genes_to_disease`` (Marfan
    syndrome, Beckwith-Wiedemann syndrome) and genes shared by several OMIM entries with a common word (Charcot-Marie-
    Tooth disease type 1B among the MPZ diseases, neurofibromatosis type 1 beside neurofibromatosis-Noonan syndrome).
    In the 2025-05-06 release: 1,111 by gene and word, 121 by gene and the same words, 179 by name, 70 by the same
    words (vascular Ehlers-Danlos syndrome, "Ehlers-Danlos syndrome, vascular type").
    """
    omim_by_gene: dict[str, set[str]] = {}
    omim_by_name: dict[str, set[str]] = {}
    omim_by_bag: dict[frozenset[str], set[str]] = {}
    for d, a in diseases.items():
        if d.startswith("OMIM:") and a.phenotypes:
            for g in genes.get(d, ()):
                omim_by_gene.setdefault(g, set()).add(d)
            omim_by_name.setdefault(_full_name(a.name), set()).add(d)
            omim_by_bag.setdefault(_name_bag(a.name), set()).add(d)
    twins = {}
    for d, a in sorted(diseases.items()):
        if not d.startswith("ORPHA:") or not a.phenotypes:
            continue
        words, bag = _name_words(a.name), _name_bag(a.name)
        candidates = {
            o
            for g in genes.get(d, ())
            for o in omim_by_gene.get(g, ())
            if words & _name_words(diseases[o].name)
        }
        if len(candidates) > 1:  # several allelic entries share a word: the one with the same words, if any
            candidates = {o for o in candidates if _name_bag(diseases[o].name) == bag}
        if len(candidates) != 1:
            candidates = omim_by_name.get(_full_name(a.name), set())
        if len(candidates) != 1:
            candidates = omim_by_bag.get(bag, set())
        if len(candidates) == 1:
            twins[d] = next(iter(candidates))
    return twins


def unannotated_orphanet_twins(
    annotated: set[str], genes: dict[str, set[str]], folded: set[str]
) -> dict[str, str]:
    """Unannotated ORPHA id -> the annotated OMIM disease with exactly its genes, when no other OMIM entry in
    ``genes_to_disease`` (annotated or not) has that gene set.

    Orphanet links a gene to its own entity for the disease OMIM already describes (X-linked Alport syndrome,
    ORPHA:88917, and OMIM:301050, both COL4A5 alone); without HPO annotations or a name in the release, that entity
    was a second, nameless candidate borrowing the OMIM entry's profile ("Disease linked to COL4A5"), ranked next to
    it and never the answer to an OMIM-coded case. A gene set shared by several OMIM entries (allelic diseases, or an
    Orphanet group) says nothing about which one, so those entries stay candidates of their own.
    """
    omim_by_genes: dict[frozenset[str], list[str]] = {}
    for d, gs in genes.items():
        if d.startswith("OMIM:") and gs:
            omim_by_genes.setdefault(frozenset(gs), []).append(d)
    twins = {}
    for d, gs in sorted(genes.items()):
        if not d.startswith("ORPHA:") or d in annotated or d in folded or not gs:
            continue
        match = omim_by_genes.get(frozenset(gs), [])
        if len(match) == 1 and match[0] in annotated:
            twins[d] = match[0]
    return twins


def _merge(omim: DiseaseAnnotations, orpha: DiseaseAnnotations) -> None:
    """Keeps OMIM's phenotype profile and takes Orphanet's exclusions, onset, sex and references. Adding Orphanet's
    terms made rankings worse on the time-split tuning cases (top-1 0.141 vs 0.159) and, for the same-name twins,
    on the textbook vignettes (evaluate/vignettes.py: Marfan syndrome from rank 2 to 100 for arachnodactyly, ectopia
    lentis and aortic root aneurysm; top-10 15 → 11 of 20): a larger profile pays for every finding the clinician
    did not enter."""
    omim.excluded |= orpha.excluded
    omim.onset += orpha.onset
    omim.sexes |= orpha.sexes
    omim.references |= orpha.references


def orphan_entries(
    diseases: dict[str, DiseaseAnnotations],
    genes: dict[str, set[str]],
    decipher_twins: dict[str, str] | None = None,
) -> list[dict]:
    """Annotated rare diseases (Orphanet twins, and the reviewed DECIPHER twins of knowledge_base/decipher.py, folded
    into their OMIM entry, as are unannotated Orphanet entries with one OMIM entry's exact genes), then the
    unannotated ones linked to them through a shared gene."""
    twins = {**orphanet_twins(diseases, genes), **(decipher_twins or {})}
    merged = {
        d: DiseaseAnnotations(
            a.id,
            a.name,
            dict(a.phenotypes),
            set(a.excluded),
            list(a.onset),
            set(a.sexes),
            set(a.references),
            phenotype_sexes=a.phenotype_sexes,
        )
        for d, a in diseases.items()
        if d not in twins
    }
    xrefs: dict[str, list[str]] = {}
    synonyms: dict[str, set[str]] = {}
    for orpha, omim in twins.items():
        _merge(merged[omim], diseases[orpha])
        xrefs.setdefault(omim, []).append(orpha)
        # the twin's own name stays searchable: "Spinocerebellar ataxia type 6" finds "Spinocerebellar ataxia 6"
        if diseases[orpha].name and _full_name(diseases[orpha].name) != _full_name(diseases[omim].name):
            synonyms.setdefault(omim, set()).add(diseases[orpha].name)
    annotated = {d: a for d, a in merged.items() if a.phenotypes}
    gene_twins = unannotated_orphanet_twins(set(annotated), genes, set(twins))
    for orpha, omim in gene_twins.items():
        xrefs.setdefault(omim, []).append(orpha)
    entries = [
        _annotated_entry(a, genes.get(d, set()), xrefs.get(d, []), sorted(synonyms.get(d, ())))
        for d, a in sorted(annotated.items())
    ]
    by_gene: dict[str, list[str]] = {}
    for d in sorted(annotated):
        for g in genes.get(d, ()):
            by_gene.setdefault(g, []).append(d)
    for d in sorted(set(genes) - set(annotated) - set(twins) - set(gene_twins)):
        if not d.startswith(("OMIM:", "ORPHA:")):
            continue
        related = sorted({r for g in genes[d] for r in by_gene.get(g, ()) if r != d})
        if not related:
            continue  # no phenotype knowledge at all: nothing to rank it on
        gene_list = sorted(genes[d])
        named = d in diseases and diseases[d].name
        entry_names = (
            {}
            if named
            else {  # the release names it nowhere: say what is known, in the page's languages
                "names": {
                    "en": f"Disease linked to {', '.join(gene_list[:3])} ({d})",
                    "es": f"Enfermedad asociada a {', '.join(gene_list[:3])} ({d})",
                }
            }
        )
        entries.append(
            {
                "id": d,
                "name": diseases[d].name if named else entry_names["names"]["en"],
                **entry_names,
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


def _annotated_entry(a: DiseaseAnnotations, genes: set[str], xrefs: list[str], synonyms: list[str]) -> dict:
    onset = [min(lo for lo, _ in a.onset), max(hi for _, hi in a.onset)] if a.onset else None
    return {
        "id": a.id,
        "name": a.name,
        **({"synonyms": synonyms} if synonyms else {}),  # the folded twins' names, for the disease search
        "category": "orphan",
        "xrefs": sorted(xrefs),
        "annotated": True,
        # a phenotype annotated for one sex says so ("sex"): simulated patients of the other sex do not show it
        "phenotypes": [
            {"id": t, "frequency": round(f, 4), **({"sex": s} if (s := a.phenotype_sex(t)) else {})}
            for t, f in sorted(a.phenotypes.items())
        ],
        "excludedPhenotypes": sorted(a.excluded),
        "genes": sorted(genes),
        "onsetYears": onset,
        "sex": a.limited_sex(),
        "references": len(a.references),
    }
