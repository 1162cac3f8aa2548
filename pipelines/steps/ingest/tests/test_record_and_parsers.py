"""Pure rules: ids, hashes, sex and age normalisation, and each source's record parser."""

from __future__ import annotations

import json

import pytest

from ingest import parsers, time_element
from ingest import record as r
from ingest.record import InvalidRecordError


def test_slug_replaces_each_run_of_non_alphanumerics_and_trims():
    assert r.slug("Possible NSTEMI / STEMI") == "Possible_NSTEMI_STEMI"
    assert r.slug("(vertigo) Paroymsal  Positional Vertigo") == "vertigo_Paroymsal_Positional_Vertigo"
    assert r.slug("Diabetes ") == "Diabetes"


def test_record_id_is_16_hex_of_source_and_key_and_differs_by_source():
    rid = r.record_id("ddxplus", "a.csv:2")
    assert len(rid) == 16 and int(rid, 16) >= 0
    assert rid == r.record_id("ddxplus", "a.csv:2") != r.record_id("kaggle", "a.csv:2")


def test_content_hash_ignores_key_order():
    assert r.content_hash({"a": 1, "b": [2]}) == r.content_hash({"b": [2], "a": 1})
    assert r.content_hash({"a": 1}) != r.content_hash({"a": 2})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("F", "female"), ("male", "male"), ("FEMALE", "female"), ("UNKNOWN_SEX", "unknown"), ("OTHER_SEX", "unknown"),
     (None, "unknown"), ("", "unknown")],
)  # fmt: skip
def test_normalise_sex(value, expected):
    assert r.normalise_sex(value) == expected


def test_normalise_sex_rejects_unrecognised_values():
    with pytest.raises(InvalidRecordError) as err:
        r.normalise_sex("X")
    assert err.value.code == r.INVALID_SEX


@pytest.mark.parametrize(
    ("duration", "years"), [("P6Y3M", 6.25), ("P0Y", 0.0), ("P10D", 0.0274), ("P2W", 0.0383), ("P1Y6M", 1.5)]
)
def test_parse_iso_age(duration, years):
    assert r.parse_iso_age(duration) == years


@pytest.mark.parametrize("duration", ["6 years", "P", "PT5H", "P-1Y", ""])
def test_parse_iso_age_rejects_non_durations(duration):
    with pytest.raises(InvalidRecordError) as err:
        r.parse_iso_age(duration)
    assert err.value.code == r.INVALID_AGE


@pytest.mark.parametrize("age", [-1.0, 120.5, float("nan")])
def test_check_age_rejects_out_of_range(age):
    with pytest.raises(InvalidRecordError):
        r.check_age(age)


def _ddx(**over):
    row = {"AGE": "40", "SEX": "F", "PATHOLOGY": "URTI", "EVIDENCES": "['E_91', 'E_55_@_V_89']",
           "INITIAL_EVIDENCE": "E_91", "DIFFERENTIAL_DIAGNOSIS": "[]"}  # fmt: skip
    return {**row, **over}


def test_parse_ddxplus_keeps_tokens_maps_hpo_and_notes_unmapped(ref):
    parsed = parsers.parse_ddxplus(_ddx(), ref)
    assert parsed.record["evidences"] == ["E_91", "E_55_@_V_89"]
    assert parsed.record["phenotypes"] == ["HP:0001945"]
    assert parsed.record["diagnosis_id"] == "DDXPLUS:URTI" and parsed.record["sex"] == "female"
    assert parsed.notes == [(r.UNMAPPED_EVIDENCE, "E_55_@_V_89")]


def test_parse_ddxplus_content_ignores_evidence_order(ref):
    a = parsers.parse_ddxplus(_ddx(), ref).content
    b = parsers.parse_ddxplus(_ddx(EVIDENCES="['E_55_@_V_89', 'E_91']"), ref).content
    assert r.content_hash(a) == r.content_hash(b)


@pytest.mark.parametrize(
    ("override", "code"),
    [({"EVIDENCES": "['E_91', 'E_999']"}, r.UNKNOWN_EVIDENCE), ({"EVIDENCES": "['E_55_@_V_1']"}, r.UNKNOWN_EVIDENCE),
     ({"AGE": "130"}, r.INVALID_AGE), ({"AGE": "forty"}, r.INVALID_AGE), ({"PATHOLOGY": "Flu"}, r.UNKNOWN_DIAGNOSIS),
     ({"EVIDENCES": "E_91"}, r.MALFORMED_ROW), ({"EVIDENCES": "[]"}, r.MISSING_FIELD), ({"AGE": ""}, r.MISSING_FIELD),
     ({"SEX": "Z"}, r.INVALID_SEX)],
)  # fmt: skip
def test_parse_ddxplus_rejections(ref, override, code):
    with pytest.raises(InvalidRecordError) as err:
        parsers.parse_ddxplus(_ddx(**override), ref)
    assert err.value.code == code


def _kaggle(*symptoms, disease="Fungal infection"):
    return [disease, *symptoms, *[""] * (17 - len(symptoms))]


def test_parse_kaggle_trims_maps_and_reports_unmapped_and_unknown_symptoms(ref):
    parsed = parsers.parse_kaggle(_kaggle("itching", " skin_rash", " nose_bleed"), ref)
    assert parsed.record["phenotypes"] == ["HP:0000988"]
    assert parsed.record["diagnosis_id"] == "KAGGLE:Fungal_infection" and parsed.record["age_years"] is None
    assert sorted(parsed.notes) == [(r.UNKNOWN_SYMPTOM, "nose_bleed"), (r.UNMAPPED_SYMPTOM, "itching")]


@pytest.mark.parametrize(
    ("fields", "code"),
    [(_kaggle("itching"), r.NO_VALID_PHENOTYPE), (_kaggle("skin_rash", disease="Flu"), r.UNKNOWN_DIAGNOSIS),
     (_kaggle(), r.MISSING_FIELD), (["Fungal infection", "skin_rash"], r.MALFORMED_ROW)],
)  # fmt: skip
def test_parse_kaggle_rejections(ref, fields, code):
    with pytest.raises(InvalidRecordError) as err:
        parsers.parse_kaggle(fields, ref)
    assert err.value.code == code


def _packet(**over):
    packet = {
        "id": "case-1",
        "subject": {"id": "s1", "sex": "MALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P6Y3M"}}},
        "phenotypicFeatures": [
            {"type": {"id": "HP:0002279", "label": "old seizure id"}},
            {"type": {"id": "HP:0012735"}, "excluded": True},
            {"type": {"id": "HP:9999999"}},
        ],
        "diseases": [{"term": {"id": "MONDO:0000001"}}, {"term": {"id": "OMIM:147791", "label": "Jacobsen"}}],
        "metaData": {"created": "2024-01-01T00:00:00Z"},
    }
    return {**packet, **over}


def test_parse_phenopacket_redirects_drops_unresolvable_and_picks_supported_diagnosis(ref):
    parsed = parsers.parse_phenopacket(_packet(), ref)
    assert parsed.record["phenotypes"] == ["HP:0001250"]
    assert parsed.record["excluded_phenotypes"] == ["HP:0012735"]
    assert (parsed.record["age_years"], parsed.record["sex"]) == (6.25, "male")
    assert (parsed.record["diagnosis_id"], parsed.record["diagnosis_name"]) == ("OMIM:147791", "Jacobsen")
    assert sorted(parsed.notes) == [
        (r.REDIRECTED_HPO, "HP:0002279>HP:0001250"),
        (r.UNRESOLVED_HPO, "HP:9999999"),
    ]
    assert parsed.key == "case-1"


def test_parse_phenopacket_drops_terms_that_are_not_findings_as_the_service_does(ref):
    # GIVEN a finding beside an inheritance mode (observed) and the root (excluded)
    features = [
        {"type": {"id": "HP:0001250"}},
        {"type": {"id": "HP:0000006"}},
        {"type": {"id": "HP:0000001"}, "excluded": True},
    ]
    # WHEN
    parsed = parsers.parse_phenopacket(_packet(phenotypicFeatures=features), ref)
    # THEN only the finding is a phenotype, and the two others are noted
    assert (parsed.record["phenotypes"], parsed.record["excluded_phenotypes"]) == (["HP:0001250"], [])
    assert sorted(parsed.notes) == [(r.NOT_A_FINDING, "HP:0000001"), (r.NOT_A_FINDING, "HP:0000006")]


def test_a_phenopacket_with_no_finding_but_an_inheritance_mode_is_quarantined(ref):
    with pytest.raises(r.InvalidRecordError) as err:
        parsers.parse_phenopacket(_packet(phenotypicFeatures=[{"type": {"id": "HP:0000006"}}]), ref)
    assert err.value.code == r.NO_VALID_PHENOTYPE


def test_parse_phenopacket_prefers_interpretation_and_normalises_orphanet_prefix(ref):
    interp = [{"diagnosis": {"disease": {"id": "Orphanet:2308", "label": "Jacobsen syndrome"}}}]
    parsed = parsers.parse_phenopacket(_packet(interpretations=interp), ref)
    assert parsed.record["diagnosis_id"] == "ORPHA:2308"


def test_parse_phenopacket_duplicate_content_ignores_id_and_metadata(ref):
    a = parsers.parse_phenopacket(_packet(), ref)
    b = parsers.parse_phenopacket(_packet(id="case-2", metaData={}), ref)
    assert r.content_hash(a.content) == r.content_hash(b.content)


@pytest.mark.parametrize(
    ("packet", "code"),
    [(_packet(phenotypicFeatures=[{"type": {"id": "HP:9999999"}}]), r.NO_VALID_PHENOTYPE),
     (_packet(diseases=[{"term": {"id": "MONDO:0000001"}}]), r.UNSUPPORTED_DIAGNOSIS),
     (_packet(diseases=[]), r.MISSING_FIELD), (_packet(subject={"sex": "X"}), r.INVALID_SEX),
     (_packet(subject={"timeAtLastEncounter": {"age": {"iso8601duration": "P130Y"}}}), r.INVALID_AGE),
     (_packet(phenotypicFeatures="HP:0001250"), r.MALFORMED_JSON), ([1, 2], r.MALFORMED_JSON)],
)  # fmt: skip
def test_parse_phenopacket_rejections(ref, packet, code):
    with pytest.raises(InvalidRecordError) as err:
        parsers.parse_phenopacket(packet, ref)
    assert err.value.code == code


def test_unresolvable_terms_travel_with_the_rejection(ref):
    with pytest.raises(InvalidRecordError) as err:
        parsers.parse_phenopacket(_packet(phenotypicFeatures=[{"type": {"id": "HP:9999999"}}]), ref)
    assert err.value.notes == [(r.UNRESOLVED_HPO, "HP:9999999")]


def test_split_json_documents_object_array_lines_and_garbage():
    assert [d[2] for d in parsers.split_json_documents('{"id": "a"}')] == [{"id": "a"}]
    assert [d[2] for d in parsers.split_json_documents('[{"id": "a"}, {"id": "b"}]')] == [
        {"id": "a"},
        {"id": "b"},
    ]
    lines = parsers.split_json_documents('{"id": "a"}\n\n{broken\n{"id": "c"}\n')
    assert [(d[0], d[2], d[3] is not None) for d in lines] == [(1, {"id": "a"}, False), (3, None, True),
                                                             (4, {"id": "c"}, False)]  # fmt: skip
    (garbage,) = parsers.split_json_documents("{\n  'not': json\n}")
    assert garbage[2] is None and "not JSON" in garbage[3] and json.loads(garbage[1]).startswith("{")
    assert parsers.split_json_documents("  \n") == []


@pytest.mark.parametrize(
    ("subject", "features", "diseases", "years"),
    [({"timeAtLastEncounter": {"ageRange": {"start": {"iso8601duration": "P20Y"},
                                            "end": {"iso8601duration": "P30Y"}}}}, [], [], 25.0),
     ({"timeAtLastEncounter": {"ontologyClass": {"id": "HP:0003593", "label": "Infantile onset"}}}, [], [], 0.54),
     ({"timeAtLastEncounter": {"gestationalAge": {"weeks": 20}}}, [], [], 0.0),
     ({"dateOfBirth": "2000-01-01T00:00:00Z", "timeAtLastEncounter": {"timestamp": "2010-01-01T00:00:00Z"}},
      [], [], 10.0014),
     # no encounter age: the latest onset of an observed finding (not an excluded one's, nor the diagnosis's)
     ({}, [{"onset": {"age": {"iso8601duration": "P2Y"}}}, {"onset": {"ontologyClass": {"id": "HP:0011463"}}},
           {"onset": {"age": {"iso8601duration": "P9Y"}}, "excluded": True}],
      [{"onset": {"age": {"iso8601duration": "P40Y"}}}], 3.0),
     ({}, [], [], None)],
)  # fmt: skip
def test_phenopacket_age_reads_every_time_element_form(subject, features, diseases, years):
    packet = {"subject": subject, "phenotypicFeatures": features, "diseases": diseases}
    assert time_element.phenopacket_age(packet) == years


@pytest.mark.parametrize(
    ("encounter", "message"),
    [({"ontologyClass": {"id": "HP:0001250"}}, "is not an HPO onset term"),
     ({"ageRange": {}}, "neither a start nor an end"), ({"age": {"iso8601duration": "6 years"}}, "ISO 8601"),
     ("P6Y", "not a TimeElement")],
)  # fmt: skip
def test_phenopacket_age_names_what_is_wrong(encounter, message):
    with pytest.raises(InvalidRecordError, match=message) as err:
        time_element.phenopacket_age({"subject": {"timeAtLastEncounter": encounter}})
    assert err.value.code == r.INVALID_AGE
