import json

import pytest

from knowledge_base.kaggle import kaggle_entries

COMMON = {"DDXPLUS:URTI", "DDXPLUS:Pneumonia", "DDXPLUS:GERD"}


def _resolve(term: str) -> str | None:
    return term if term.startswith("HP:") else None


def test_a_new_disease_gets_a_profile_and_a_ddxplus_match_becomes_an_alias(tiny_zones):
    reference, _ = tiny_zones
    entries, aliases, alias_phenotypes, terms = kaggle_entries(
        reference / "kaggle" / "dataset.csv", reference / "mappings", _resolve, COMMON
    )
    assert [e["id"] for e in entries] == ["KAGGLE:Migraine"]
    migraine = entries[0]
    assert migraine["category"] == "common" and migraine["name"] == "Migraine"
    # three distinct symptom sets: headache in all, fever in one, seizures in one; no questionnaire profile
    assert migraine["phenotypes"] == [
        {"id": "HP:0001250", "frequency": 0.333},
        {"id": "HP:0001945", "frequency": 0.333},
        {"id": "HP:0002315", "frequency": 1.0},
    ]
    assert "evidences" not in migraine
    assert aliases == {"DDXPLUS:Pneumonia": ["KAGGLE:Pneumonia"]}
    # AND the alias's symptoms (cough, high fever) are the DDXPlus twin's findings too
    assert alias_phenotypes == {
        "DDXPLUS:Pneumonia": [{"id": "HP:0001945", "frequency": 1.0}, {"id": "HP:0012735", "frequency": 1.0}]
    }
    # blurred_vision maps to nothing ("none"): it is not a term
    assert terms == {"HP:0002315", "HP:0001945", "HP:0012735", "HP:0001250"}


def test_the_knowledge_base_puts_kaggle_entries_in_the_common_block_with_their_own_input_tokens(tiny_run):
    catalog = json.loads((tiny_run["kb"] / "catalog.json").read_text())["diseases"]
    categories = [d["category"] for d in catalog]
    n_common = categories.count("common")
    assert categories[:n_common] == ["common"] * n_common  # the common block is the catalog's head
    assert catalog[n_common - 1]["id"] == "KAGGLE:Migraine"
    pneumonia = next(d for d in catalog if d["id"] == "DDXPLUS:Pneumonia")
    assert pneumonia["aliases"] == ["KAGGLE:Pneumonia"]
    # its Kaggle symptoms (fever, cough) are its questionnaire's findings already: each is listed once
    ids = [p["id"] for p in pneumonia["phenotypes"]]
    assert {"HP:0001945", "HP:0012735"} <= set(ids) and len(ids) == len(set(ids))
    evidences = json.loads((tiny_run["kb"] / "evidences.json").read_text())
    # headache and seizures have no questionnaire answer: they get a token; fever and cough are read through E_1 and
    # E_2
    assert evidences["hpo"]["HPO_@_HP:0002315"] == "HP:0002315"
    assert [t for t in evidences["tokens"] if t.startswith("HPO_@_")] == [
        "HPO_@_HP:0001250",
        "HPO_@_HP:0002315",
    ]
    # seizures is mapped only as broader: Seizure itself switches its token on, Febrile seizure does not
    # (and the pain location mapped broader to Cough, tiny_reference.EVIDENCE_HPO)
    assert evidences["hpoDirectOnly"] == ["E_4_@_V_2", "HPO_@_HP:0001250"]


def _mapping(reference, body: str):
    maps = reference.parent / f"maps-{abs(hash(body))}"
    maps.mkdir(exist_ok=True)
    for f in ("kaggle-symptoms-to-hpo.v1.csv", "kaggle-diseases.v1.csv"):
        (maps / f).write_text((reference / "mappings" / f).read_text())
    (maps / "kaggle-diseases-to-catalog.v2.csv").write_text("disease,catalog_id,match,name,note\n" + body)
    return maps


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Migraine,KAGGLE:Migraine,maybe,Migraine,\nPneumonia,DDXPLUS:Pneumonia,exact,,\n", "match 'maybe'"),
        (
            "Migraine,KAGGLE:Other,new,Migraine,\nPneumonia,DDXPLUS:Pneumonia,exact,,\n",
            "keeps its records' id",
        ),
        ("Migraine,KAGGLE:Migraine,new,,\nPneumonia,DDXPLUS:Pneumonia,exact,,\n", "has a name"),
        ("Migraine,KAGGLE:Migraine,new,Migraine,\nPneumonia,DDXPLUS:Nope,exact,,\n", "DDXPLUS:Nope is not"),
        ("Migraine,KAGGLE:Migraine,new,Migraine,\n", "without a mapping row: ['Pneumonia']"),
        ("Gout,KAGGLE:Gout,new,Gout,\n", "Gout is not in kaggle-diseases"),
    ],
)
def test_a_bad_mapping_row_is_refused_with_the_file_line_and_reason(tiny_zones, body, message):
    reference, _ = tiny_zones
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]").replace("'", "'")):
        kaggle_entries(reference / "kaggle" / "dataset.csv", _mapping(reference, body), _resolve, COMMON)
