"""BuildKnowledgeBase step: HPO release + DDXPlus knowledge -> vocabulary, questionnaire and disease catalog.

Inputs (``--reference-dir``): ``hpo/`` (hp.v*.json.gz, phenotype.v*.hpoa.gz, genes_to_disease.v*.txt.gz),
``ddxplus/`` (release_conditions.json, release_evidences.json), ``mappings/`` (ddxplus-evidences-to-hpo.v*.csv, and
the Kaggle mappings), and optionally ``kaggle/dataset.csv`` (the Kaggle symptom set: its diseases join the common
side, knowledge_base/kaggle.py).
Outputs (``--kb-dir``): vocabulary.json, evidences.json, catalog.json, kb-report.json, and ``timesplit/`` (the
older release as a knowledge base plus the literature pseudo-cases it has never seen, and its leave-one-publication-
out tuning cases) when ``hpo/older/`` exists.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.annotations import read_genes_to_disease, read_hpoa
from common.ddxplus import TOKEN_SEP, evidence_tokens, load_conditions, load_evidences
from common.hpo import load_ontology
from common.io import file_sha256, latest, write_json
from ingest.mappings import broader_keys, parse_term_mapping
from knowledge_base.catalog import common_entries, orphan_entries
from knowledge_base.decipher import read_decipher_twins, usable_twins
from knowledge_base.kaggle import SYMPTOMS_MAPPING, kaggle_entries
from knowledge_base.names import add_spanish_labels, add_spanish_names, add_spanish_orphan_names
from knowledge_base.timesplit import build_timesplit
from knowledge_base.vocabulary import build_vocabulary

DEFAULT_REFERENCE = "/opt/ml/processing/input/reference"
# the reviewed mapping files this step reads (their newest version), recorded in the lineage with their sha256
MAPPINGS = (
    "ddxplus-evidences-to-hpo",
    "kaggle-symptoms-to-hpo",
    "kaggle-diseases",
    "kaggle-diseases-to-catalog",
    "decipher-to-omim",
    "common-disease-names-es",
    "orphan-disease-names-es",
    "hpo-labels-es",
)
DEFAULT_KB = "/opt/ml/processing/output/kb"


def direct_only_tokens(
    ddxplus_broader: set[str], mappings_dir: Path, phenotype_tokens: dict[str, str], resolve
) -> list[str]:
    """Tokens that only their mapped HPO term itself switches on, not the terms below it: those whose every mapping
    row is ``broader``. There the HPO term is more general than the answer or the symptom, so a more specific
    finding under it is not that answer: a café-au-lait spot is an abnormality of skin pigmentation but not the
    Kaggle symptom "dischromic patches" (a fungal infection's), a neurofibroma is a neoplasm but not DDXPlus's
    "active cancer". Switched on by their descendants, those two put Fungal skin infection first for the cardinal
    findings of neurofibromatosis type 1 and tuberous sclerosis (docs/model-card-history.md, textbook vignettes).

    ``ddxplus_broader``: the questionnaire tokens ``read_evidence_mapping`` found broader; the Kaggle symptoms'
    ``HPO_@_`` tokens are decided here, per HPO term over every symptom mapped to it."""
    out = set(ddxplus_broader)
    path = latest(mappings_dir, SYMPTOMS_MAPPING, required=False)
    if path is not None:
        text = path.read_text(encoding="utf-8")
        broader = broader_keys(text)
        by_term: dict[str, list[str]] = {}
        for symptom, term in parse_term_mapping(text, path.name, resolve).items():
            if term is not None:
                by_term.setdefault(term, []).append(symptom)
        for token, term in phenotype_tokens.items():
            if by_term.get(term) and all(s in broader for s in by_term[term]):
                out.add(token)
    return sorted(out)


def not_implied_tokens(evidence_hpo: dict[str, str], broader: set[str]) -> list[str]:
    """Questionnaire tokens their HPO term does not switch on: mapped ``broader`` (the answer says more than the
    term) to a term that another answer maps to exactly. A clinician who enters Cough has given "Do you have a
    cough?", not "Do you have intense coughing fits?"; Chest pain is not "chest pain even at rest", which only
    unstable angina produces. A term with only broader answers still switches them on (Neoplasm is "active cancer"
    as far as the questionnaire goes)."""
    exact_terms = {h for t, h in evidence_hpo.items() if t not in broader}
    return sorted(t for t in broader if t in evidence_hpo and evidence_hpo[t] in exact_terms)


def read_evidence_mapping(mappings_dir: Path, resolve) -> tuple[dict[str, str], set[str]]:
    """DDXPlus evidence token -> current HPO id, from the reviewed mapping file (rows with match 'none' skipped), and
    the tokens whose row says ``broader`` (``direct_only_tokens``). The Ingest step's parser reads it, so a bad row
    fails with its file and line here too."""
    path = latest(mappings_dir, "ddxplus-evidences-to-hpo.v*.csv", required=False)
    if path is None:
        return {}, set()
    text = path.read_text(encoding="utf-8")
    mapping = {k: v for k, v in parse_term_mapping(text, path.name, resolve).items() if v is not None}
    return mapping, broader_keys(text) & set(mapping)


def build(reference: Path, out: Path) -> dict:
    onto = load_ontology(latest(reference / "hpo", "hp.v*.json.gz"))
    hpoa_path = latest(reference / "hpo", "phenotype.v*.hpoa.gz")
    hpoa_version, diseases, unresolved = read_hpoa(hpoa_path, onto.resolve)
    g2d_path = latest(reference / "hpo", "genes_to_disease.v*.txt.gz")
    genes = read_genes_to_disease(g2d_path)
    conditions = load_conditions(reference / "ddxplus")
    evidences = load_evidences(reference / "ddxplus")
    evidence_hpo, evidence_broader = read_evidence_mapping(reference / "mappings", onto.resolve)

    common, kaggle, kaggle_terms = _common_side(reference, conditions, evidence_hpo, onto.resolve)
    spanish_names = add_spanish_names(common + kaggle, reference / "mappings")
    decipher_pairs = read_decipher_twins(reference / "mappings")  # for this release and the time-split one
    decipher, decipher_skipped = usable_twins(decipher_pairs, diseases)
    # common entries first (DDXPlus, then Kaggle): the differential's common block is the catalog's head
    catalog = common + kaggle + orphan_entries(diseases, genes, decipher)
    spanish_orphan_names = add_spanish_orphan_names(
        [d for d in catalog if d["category"] == "orphan"], reference / "mappings"
    )
    tokens = evidence_tokens(evidences)
    phenotype_tokens = _phenotype_tokens(kaggle_terms, evidence_hpo)
    out.mkdir(parents=True, exist_ok=True)
    vocabulary = build_vocabulary(onto)
    spanish_labels = add_spanish_labels(vocabulary, reference / "mappings")
    write_json(out / "vocabulary.json", vocabulary)
    write_json(
        out / "catalog.json", {"hpoVersion": onto.version, "hpoaVersion": hpoa_version, "diseases": catalog}
    )
    write_json(
        out / "evidences.json",
        _evidences_doc(
            evidences,
            tokens + sorted(phenotype_tokens),
            {**evidence_hpo, **phenotype_tokens},
            direct_only_tokens(evidence_broader, reference / "mappings", phenotype_tokens, onto.resolve),
            not_implied_tokens(evidence_hpo, evidence_broader),
        ),
    )
    inputs = [latest(reference / "hpo", "hp.v*.json.gz"), hpoa_path, g2d_path]
    inputs += [reference / "ddxplus" / f for f in ("release_conditions.json", "release_evidences.json")]
    kaggle_csv = reference / "kaggle" / "dataset.csv"
    inputs += [kaggle_csv] if kaggle_csv.exists() else []
    inputs += [p for p in (latest(reference / "mappings", f"{m}.v*.csv", False) for m in MAPPINGS) if p]
    report = {
        "hpoVersion": onto.version,
        "hpoaVersion": hpoa_version,
        "terms": len(onto.terms),
        "termsWithSpanishLabels": spanish_labels,
        "diseases": {
            "common": sum(1 for d in catalog if d["category"] == "common"),
            "commonFromKaggle": len(kaggle),
            "commonWithSpanishNames": spanish_names,
            "orphanWithSpanishNames": spanish_orphan_names,
            "orphanAnnotated": sum(1 for d in catalog if d["category"] == "orphan" and d["annotated"]),
            "orphanTransferred": sum(1 for d in catalog if not d["annotated"]),
            # Orphanet ids folded into an OMIM entry (knowledge_base/catalog.py): searchable, not separate candidates
            "orphanetIdsAsXrefs": sum(1 for d in catalog for x in d["xrefs"] if x.startswith("ORPHA:")),
        },
        "decipherFoldedIntoOmim": len(decipher),
        "decipherTwinsNotInThisRelease": decipher_skipped,
        "evidenceTokens": len(tokens) + len(phenotype_tokens),
        "phenotypeTokens": len(phenotype_tokens),
        "evidenceTokensMappedToHpo": len(evidence_hpo),
        "unresolvedAnnotationTerms": sorted(set(unresolved)),
        "lineage": [{"uri": p.name, "sha256": file_sha256(p)} for p in inputs],
    }
    older = reference / "hpo" / "older"
    if latest(older, "phenotype.v*.hpoa.gz", required=False) is not None:
        split = build_timesplit(
            latest(older, "hp.v*.json.gz"),
            latest(older, "phenotype.v*.hpoa.gz"),
            hpoa_path,
            g2d_path,
            decipher_pairs,
        )
        (out / "timesplit").mkdir(exist_ok=True)
        for name in ("vocabulary", "catalog", "cases", "lopo", "lopo-reporting"):
            write_json(out / "timesplit" / f"{name}.json", split[name])
        report["timesplit"] = {
            "hpoaVersion": split["hpoaVersion"],
            "cases": len(split["cases"]),
            "lopoCases": len(split["lopo"]),
            "lopoReportingCases": len(split["lopo-reporting"]),
            "lopoUnannotatedAfterHoldOut": sum(
                1 for c in split["lopo"] if not c["heldOutEntry"]["annotated"]
            ),
        }
    write_json(out / "kb-report.json", report)
    return report


def _common_side(
    reference: Path, conditions: dict, evidence_hpo: dict[str, str], resolve
) -> tuple[list[dict], list[dict], set[str]]:
    """(DDXPlus entries, with the Kaggle ids that are aliases of them; the Kaggle diseases' own entries; every HPO
    term a Kaggle symptom set uses), the Kaggle parts empty without ``kaggle/dataset.csv``."""
    common = common_entries(conditions, evidence_hpo)
    kaggle_csv = reference / "kaggle" / "dataset.csv"
    if not kaggle_csv.exists():
        return common, [], set()
    kaggle, aliases, alias_phenotypes, terms = kaggle_entries(
        kaggle_csv, reference / "mappings", resolve, {d["id"] for d in common}
    )
    for entry in common:
        if entry["id"] in aliases:
            entry["aliases"] = aliases[entry["id"]]
            # the symptoms its Kaggle records train it on are its findings too: without them a sneeze, which the
            # common model reads as allergic sinusitis, neither showed in its favour nor kept it on the list
            own = {p["id"] for p in entry["phenotypes"]}
            for p in alias_phenotypes.get(entry["id"], []):
                if p["id"] not in own:
                    own.add(p["id"])
                    entry["phenotypes"].append(p)
    return common, kaggle, terms


def _phenotype_tokens(kaggle_terms: set[str], evidence_hpo: dict[str, str]) -> dict[str, str]:
    """Input features of the common model for the HPO terms of the Kaggle symptoms that no questionnaire answer maps
    to: ``HPO_@_<id>``, switched on like any mapped answer when the patient shows the term or a more specific one.
    They are not questionnaire answers: the API accepts only ``E_`` codes, so a client can never send one."""
    mapped = set(evidence_hpo.values())
    terms = kaggle_terms - mapped
    return {f"HPO{TOKEN_SEP}{t}": t for t in sorted(terms)}


def _evidences_doc(
    evidences: dict,
    tokens: list[str],
    evidence_hpo: dict[str, str],
    direct_only: list[str],
    not_implied: list[str],
) -> dict:
    docs = {}
    for code, ev in evidences.items():
        values = {
            v: {"en": m.get("en", v), "fr": m.get("fr", v)} for v, m in ev.get("value_meaning", {}).items()
        }
        docs[code] = {
            "question": {"en": ev["question_en"], "fr": ev["question_fr"]},
            "dataType": ev["data_type"],
            "isAntecedent": ev["is_antecedent"],
            "values": values,
        }
    return {
        "tokens": tokens,
        "evidences": docs,
        "hpo": evidence_hpo,
        "hpoDirectOnly": direct_only,
        "hpoNotImplied": not_implied,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-dir", type=Path, default=Path(DEFAULT_REFERENCE))
    parser.add_argument("--kb-dir", type=Path, default=Path(DEFAULT_KB))
    args = parser.parse_args(argv)
    report = build(args.reference_dir, args.kb_dir)
    print(json.dumps({"step": "BuildKnowledgeBase", **report["diseases"], "terms": report["terms"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
