import csv
import json
from pathlib import Path

import pytest

from common.ddxplus import condition_id
from knowledge_base.names import add_spanish_names

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
