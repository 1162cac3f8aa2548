from pathlib import Path

import pytest

from common.hpo import load_ontology
from evaluate.vignettes import read_vignettes
from knowledge_base.vocabulary import build_vocabulary

DATA = Path(__file__).resolve().parents[3] / "data"
HEADER = "disease_id,disease_name,sex,age_years,hpo_ids,hpo_labels\n"
VOCAB = {
    "terms": [
        {"id": "HP:0001166", "label": "Arachnodactyly"},
        {"id": "HP:0001083", "label": "Ectopia lentis"},
    ]
}


def test_every_vendored_vignette_reads_on_the_vendored_release():
    # GIVEN the HPO release the knowledge base is built from
    vocabulary = build_vocabulary(load_ontology(DATA / "hpo" / "hp.v2025-05-06.json.gz"))
    # WHEN
    vignettes, skipped = read_vignettes(vocabulary)
    # THEN none is left out, and each keeps all its findings
    assert skipped == []
    assert len(vignettes) == 20
    assert all(len(v.observed) >= 2 for v in vignettes)
    marfan = next(v for v in vignettes if v.disease_id == "OMIM:154700")
    assert [vocabulary["terms"][i]["id"] for i in marfan.observed] == [
        "HP:0001166",
        "HP:0001083",
        "HP:0002616",
    ]
    assert marfan.age == 20.0 and marfan.sex == 0


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("OMIM:1,X,,5,HP:0001166;HP:9999999,Arachnodactyly;Nothing\n", "HP:9999999 is not a current term"),
        (
            "OMIM:1,X,,5,HP:0001166,Long fingers\n",
            "labelled 'Arachnodactyly' in the release, not 'Long fingers'",
        ),
        ("OMIM:1,X,,5,HP:0001166;HP:0001083,Arachnodactyly\n", "2 hpo_ids but 1 hpo_labels"),
        ("OMIM:1,X,F,5,HP:0001166,Arachnodactyly\n", "sex 'F' is not female, male or empty"),
    ],
)
def test_a_bad_vignette_is_left_out_with_its_line_and_reason(tmp_path, row, reason):
    path = tmp_path / "v.csv"
    path.write_text(HEADER + "OMIM:2,Y,male,,HP:0001083,Ectopia lentis\n" + row)
    vignettes, skipped = read_vignettes(VOCAB, path)
    # the good row is read (age unknown, male), the bad one reported, never evaluated without a finding
    assert [(v.disease_id, v.observed, v.age, v.sex) for v in vignettes] == [("OMIM:2", [1], -1.0, 2)]
    assert len(skipped) == 1 and skipped[0].startswith("v.csv:3 (OMIM:1): ") and reason in skipped[0]
