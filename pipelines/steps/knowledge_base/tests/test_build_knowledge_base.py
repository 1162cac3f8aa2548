import json

import pytest

from common.annotations import parse_frequency
from common.ddxplus import evidence_tokens, slug


def test_frequencies_become_probabilities():
    assert parse_frequency("HP:0040281") == 0.9
    assert parse_frequency("3/4") == pytest.approx(4 / 6)  # Laplace: one case report is weak evidence
    assert parse_frequency("0/5") == 0.0  # none of five: an exclusion
    assert parse_frequency("12%") == 0.12
    assert parse_frequency("") == 0.5
    with pytest.raises(ValueError, match="unknown HPO frequency 'often'"):
        parse_frequency("often")


def test_condition_slugs_are_stable_ids():
    assert slug("Possible NSTEMI / STEMI") == "Possible_NSTEMI_STEMI"
    assert slug("Guillain-Barré syndrome") == "Guillain_Barr_syndrome"


def test_tokens_expand_categorical_and_multichoice_values():
    evidences = {
        "E_2": {"data_type": "B", "possible-values": []},
        "E_10": {"data_type": "C", "possible-values": [0, 5]},
        "E_3": {"data_type": "M", "possible-values": ["V_1"]},
    }
    assert evidence_tokens(evidences) == ["E_2", "E_3_@_V_1", "E_10_@_0", "E_10_@_5"]


def test_a_broader_answer_is_not_implied_where_another_answer_maps_the_term_exactly():
    from knowledge_base.build_knowledge_base import not_implied_tokens

    hpo = {"E_201": "HP:0012735", "E_203": "HP:0012735", "E_135": "HP:0002664", "E_91": "HP:0001945"}
    # GIVEN intense coughing fits and active cancer mapped broader, cough and fever exactly
    # THEN Cough does not stand for intense coughing fits, but Neoplasm, with no exact answer, stays "active cancer"
    assert not_implied_tokens(hpo, {"E_203", "E_135"}) == ["E_203"]
    assert not_implied_tokens(hpo, set()) == []


def test_the_knowledge_base_lists_the_answers_a_term_does_not_imply(tiny_run):
    evidences = json.loads((tiny_run["kb"] / "evidences.json").read_text())
    assert evidences["hpoNotImplied"] == ["E_4_@_V_2"]


def test_catalog_has_both_sides_and_transfers_unannotated_diseases(tiny_run):
    catalog = json.loads((tiny_run["kb"] / "catalog.json").read_text())["diseases"]
    by_id = {d["id"]: d for d in catalog}
    assert [d["category"] for d in catalog[:3]] == ["common"] * 3
    assert by_id["DDXPLUS:URTI"]["phenotypes"] == [
        {"id": "HP:0001945", "frequency": 0.5},
        {"id": "HP:0012735", "frequency": 0.5},
    ]
    assert by_id["OMIM:100001"]["onsetYears"] == [0.08, 1.0]
    assert by_id["ORPHA:100003"]["excludedPhenotypes"] == ["HP:0001250"]
    assert by_id["OMIM:100004"]["sex"] == "female"
    assert by_id["OMIM:100005"]["annotated"] is False
    assert by_id["OMIM:100005"]["transferredFrom"] == ["OMIM:100001"]


def test_vocabulary_indexes_parents_and_systems(tiny_run):
    vocab = json.loads((tiny_run["kb"] / "vocabulary.json").read_text())
    index = {t["id"]: i for i, t in enumerate(vocab["terms"])}
    febrile = vocab["terms"][index["HP:0002373"]]
    assert febrile["parents"] == [index["HP:0001250"]]
    assert febrile["system"] == "HP:0000707"
    assert vocab["terms"][index["HP:0000001"]]["system"] is None


def test_timesplit_keeps_only_publications_the_old_release_never_cited(tiny_run):
    cases = json.loads((tiny_run["kb"] / "timesplit" / "cases.json").read_text())
    assert cases == [
        {
            "diseaseId": "OMIM:100001",
            "reference": "PMID:999",
            "observed": ["HP:0001249", "HP:0001945", "HP:0002373"],
            "excluded": [],
            "patients": 3,  # 2/3, 3/3 and 1/3 patients
        }
    ]
