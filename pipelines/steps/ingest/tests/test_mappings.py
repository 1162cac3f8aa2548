"""The reviewed mapping files in pipelines/mappings/: they parse, every id resolves in the vendored HPO release
and its label is the one written next to it, keys are unique, and they cover the vendored data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from common.hpo import load_ontology
from common.io import latest
from ingest import mappings as m

PIPELINES = Path(__file__).resolve().parents[3]
MAPPINGS = PIPELINES / "mappings"
DATA = PIPELINES / "data"
ONSET = "HP:0003674"


@pytest.fixture(scope="module")
def ontology():
    return load_ontology(DATA / "hpo" / "hp.v2025-05-06.json.gz")


def _rows(name: str) -> list[dict]:
    with open(MAPPINGS / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", ["kaggle-symptoms-to-hpo.v1.csv", "ddxplus-evidences-to-hpo.v1.csv"])
def test_term_mapping_parses_resolves_and_labels_match_the_release(ontology, name):
    text = (MAPPINGS / name).read_text(encoding="utf-8")
    parsed = m.parse_term_mapping(text, name, ontology.resolve)  # raises on duplicates and unresolvable ids
    assert len(parsed) == len(_rows(name))
    for row in _rows(name):
        if row["hpo_id"]:
            assert ontology.resolve(row["hpo_id"]) == row["hpo_id"], f"{row['hpo_id']} is not a current id"
            assert ontology.terms[row["hpo_id"]].label == row["hpo_label"], row


def test_kaggle_symptom_mapping_covers_every_symptom_in_dataset_csv():
    with open(DATA / "kaggle-disease-symptom-prediction" / "dataset.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    symptoms = {s.strip() for row in rows for s in row[1:] if s.strip()}
    diseases = {row[0].strip() for row in rows}
    assert {row["symptom"] for row in _rows("kaggle-symptoms-to-hpo.v1.csv")} == symptoms
    assert len(symptoms) == 131
    parsed = m.parse_disease_mapping((MAPPINGS / "kaggle-diseases.v1.csv").read_text(), "kaggle-diseases")
    assert set(parsed) == diseases and len({d for d, _ in parsed.values()}) == 41


def test_ddxplus_mapping_keys_are_questionnaire_tokens_and_every_binary_evidence_is_reviewed():
    evidences = json.loads((DATA / "ddxplus" / "release_evidences.json").read_text(encoding="utf-8"))
    questionnaire = m.ddxplus_questionnaire(evidences)
    keys = [row["evidence"] for row in _rows("ddxplus-evidences-to-hpo.v1.csv")]
    assert all(m.is_known_token(k, questionnaire) for k in keys)
    binary = {code for code, ev in evidences.items() if ev["data_type"] == "B"}
    assert binary <= set(keys)


@pytest.mark.parametrize(
    ("text", "message"),
    [("symptom,hpo_id,hpo_label,match,note\ncough,HP:0012735,Cough,exact,\ncough,,,none,\n", "duplicate"),
     ("symptom,hpo_id,hpo_label,match,note\ncough,HP:9999999,?,exact,\n", "does not resolve"),
     ("symptom,hpo_id,hpo_label,match,note\ncough,HP:0012735,Cough,none,\n", "empty exactly when"),
     ("symptom,hpo_id,hpo_label,match,note\ncough,HP:0012735,Cough,close,\n", "match 'close'"),
     ("symptom,hpo\ncough,HP:0012735\n", "header")],
)  # fmt: skip
def test_parse_term_mapping_rejects_bad_files_naming_the_row(ontology, text, message):
    with pytest.raises(ValueError, match=message):
        m.parse_term_mapping(text, "x.csv", ontology.resolve)


def test_summary_counts_matches():
    text = "symptom,hpo_id,hpo_label,match,note\na,HP:1,x,exact,\nb,,,none,\nc,HP:2,y,broader,\n"
    assert m.summary(text) == {"entries": 3, "mapped": 2, "byMatch": {"exact": 1, "broader": 1, "none": 1}}


def test_spanish_term_labels_name_current_terms_with_their_release_labels(ontology):
    # the knowledge base checks the same at build time (knowledge_base/names.py); this catches it before a run
    for row in _rows(latest(MAPPINGS, "hpo-labels-es.v*.csv").name):
        assert ontology.resolve(row["hpo_id"]) == row["hpo_id"], f"{row['hpo_id']} is not a current id"
        assert ontology.terms[row["hpo_id"]].label == row["hpo_label"], row
        assert row["label_es"].strip(), row


def test_onset_table_is_the_release_onset_subtree_and_the_csv_the_code_reads(ontology):
    # the table once read four trimester terms as decades and one phenotype (ductus venosus agenesis) as an onset,
    # so prenatal-onset diseases looked adult-only to the too-young rule
    from common.annotations import ONSET_YEARS

    onset_terms = {t for t in ontology.terms if t != ONSET and ONSET in ontology.ancestors(t)}
    assert set(ONSET_YEARS) == onset_terms
    prenatal = {t for t in onset_terms if "HP:0030674" in ontology.ancestors(t)}
    assert {ONSET_YEARS[t] for t in prenatal} == {(0.0, 0.0)}
    rows = _rows("hpo-onset-years.v1.csv")
    assert {r["hpo_id"]: (float(r["earliest_years"]), float(r["latest_years"])) for r in rows} == ONSET_YEARS
    for row in rows:
        assert ontology.terms[row["hpo_id"]].label == row["label"], row
