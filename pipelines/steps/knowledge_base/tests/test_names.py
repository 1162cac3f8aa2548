import csv
import gzip
import json
from pathlib import Path

import pytest

from common.ddxplus import condition_id
from common.io import latest
from knowledge_base.names import (
    ORPHAN_MAPPING,
    TERMS_MAPPING,
    add_spanish_labels,
    add_spanish_names,
    add_spanish_orphan_names,
)

ROOT = Path(__file__).resolve().parents[3]


def _entries():
    return [{"id": "DDXPLUS:Pneumonia", "name": "Pneumonia", "names": {"en": "Pneumonia", "fr": "Pneumonie"}},
            {"id": "KAGGLE:Migraine", "name": "Migraine"}]  # fmt: skip


def _write(tmp_path, rows: str) -> Path:
    (tmp_path / "common-disease-names-es.v1.csv").write_text("id,name_es,note\n" + rows, encoding="utf-8")
    return tmp_path


def test_spanish_names_join_the_other_names_of_common_entries(tmp_path):
    entries = _entries()
    assert (
        add_spanish_names(
            entries, _write(tmp_path, "DDXPLUS:Pneumonia,Neumonía,\nKAGGLE:Migraine,Migraña,\n")
        )
        == 2
    )
    assert entries[0]["names"] == {"en": "Pneumonia", "fr": "Pneumonie", "es": "Neumonía"}
    assert entries[1]["names"] == {"en": "Migraine", "es": "Migraña"}


@pytest.mark.parametrize(
    ("rows", "message"),
    [("OMIM:1,Algo,\n", "OMIM:1 is not a common disease"), ("KAGGLE:Migraine, ,\n", "empty Spanish name")],
)
def test_a_bad_row_stops_the_step_with_its_line(tmp_path, rows, message):
    with pytest.raises(ValueError, match=f"common-disease-names-es.v1.csv:2: .*{message}"):
        add_spanish_names(_entries(), _write(tmp_path, rows))


def test_without_the_file_no_name_is_added(tmp_path):
    assert add_spanish_names(_entries(), tmp_path) == 0


def test_the_vendored_file_names_every_common_disease_once():
    conditions = json.loads(
        (ROOT / "data" / "ddxplus" / "release_conditions.json").read_text(encoding="utf-8")
    )
    with open(ROOT / "mappings" / "kaggle-diseases-to-catalog.v2.csv", encoding="utf-8") as fh:
        kaggle = {r["catalog_id"] for r in csv.DictReader(fh) if r["match"] == "new"}
    with open(ROOT / "mappings" / "common-disease-names-es.v1.csv", encoding="utf-8") as fh:
        named = [r["id"] for r in csv.DictReader(fh)]
    assert len(named) == len(set(named))
    assert set(named) == {condition_id(n) for n in conditions} | kaggle


def _vocabulary():
    return {"terms": [{"id": "HP:0001945", "label": "Fever"}, {"id": "HP:0012735", "label": "Cough"}]}


def _labels(tmp_path, rows: str) -> Path:
    (tmp_path / "hpo-labels-es.v1.csv").write_text(
        "hpo_id,hpo_label,label_es,synonyms_es\n" + rows, encoding="utf-8"
    )
    return tmp_path


def test_spanish_labels_and_synonyms_join_the_terms(tmp_path):
    vocabulary = _vocabulary()
    assert (
        add_spanish_labels(vocabulary, _labels(tmp_path, "HP:0001945,Fever,Fiebre,Calentura; Pirexia\n")) == 1
    )
    assert vocabulary["terms"][0]["translations"] == {
        "es": {"label": "Fiebre", "synonyms": ["Calentura", "Pirexia"]}
    }
    assert "translations" not in vocabulary["terms"][1]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("HP:9999999,Nothing,Nada,\n", "HP:9999999 is not a current term"),
        ("HP:0001945,Pyrexia,Fiebre,\n", "is labelled 'Fever' in the release, not 'Pyrexia'"),
        ("HP:0012735,Cough, ,\n", "empty Spanish label"),
    ],
)
def test_a_bad_label_row_stops_the_step_with_its_line(tmp_path, rows, message):
    with pytest.raises(ValueError, match=f"hpo-labels-es.v1.csv:2: .*{message}"):
        add_spanish_labels(_vocabulary(), _labels(tmp_path, rows))


def test_the_vendored_labels_cover_every_symptom_the_common_side_maps_to():
    with open(latest(ROOT / "mappings", TERMS_MAPPING), encoding="utf-8") as fh:
        labelled = [r["hpo_id"] for r in csv.DictReader(fh)]
    mapped = set()
    for name in ("kaggle-symptoms-to-hpo.v1.csv", "ddxplus-evidences-to-hpo.v1.csv"):
        with open(ROOT / "mappings" / name, encoding="utf-8") as fh:
            mapped |= {r["hpo_id"] for r in csv.DictReader(fh) if r["hpo_id"]}
    assert len(labelled) == len(set(labelled))
    assert mapped <= set(labelled), sorted(mapped - set(labelled))


def _orphans():
    return [{"id": "OMIM:219700", "name": "Cystic fibrosis", "category": "orphan"},
            {"id": "OMIM:277900", "name": "Wilson disease", "category": "orphan"}]  # fmt: skip


def _orphan_names(tmp_path, rows: str) -> Path:
    (tmp_path / "orphan-disease-names-es.v1.csv").write_text(
        "id,name,name_es,note\n" + rows, encoding="utf-8"
    )
    return tmp_path


def test_spanish_names_join_the_rare_diseases_the_file_names(tmp_path):
    orphans = _orphans()
    rows = "OMIM:219700,Cystic fibrosis,Fibrosis quística,\n"
    assert add_spanish_orphan_names(orphans, _orphan_names(tmp_path, rows)) == 1
    assert orphans[0]["names"] == {"en": "Cystic fibrosis", "es": "Fibrosis quística"}
    assert "names" not in orphans[1]  # not in the file: its English name only


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("DDXPLUS:URTI,URTI,IVRS,\n", "DDXPLUS:URTI is not an orphan disease"),
        ("OMIM:277900,Wilson's disease,Enfermedad de Wilson,\n", "named 'Wilson disease' in the release"),
        ("OMIM:277900,Wilson disease, ,\n", "empty Spanish name"),
    ],
)
def test_a_bad_orphan_name_row_stops_the_step_with_its_line(tmp_path, rows, message):
    with pytest.raises(ValueError, match=f"orphan-disease-names-es.v1.csv:2: .*{message}"):
        add_spanish_orphan_names(_orphans(), _orphan_names(tmp_path, rows))


def test_the_vendored_orphan_names_are_the_release_names_once_each():
    """The knowledge base step checks each English name against the catalog; this checks the vendored file against
    the vendored annotations, so a release update that renames an entry fails here first."""
    release = {}
    with gzip.open(latest(ROOT / "data" / "hpo", "phenotype.v*.hpoa.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith(("#", "database_id")):
                disease, name = line.split("\t", 2)[:2]
                release.setdefault(disease, name)
    with open(latest(ROOT / "mappings", ORPHAN_MAPPING), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["id"] for r in rows}) == len(rows)
    assert [r["id"] for r in rows if release.get(r["id"]) != r["name"]] == []
    assert all(r["name_es"].strip() for r in rows)
