from common.records import diagnosis_index

CATALOG = [
    {"id": "DDXPLUS:Pneumonia", "aliases": ["KAGGLE:Pneumonia"], "xrefs": ["ICD10:J18"]},
    {"id": "KAGGLE:Migraine", "xrefs": []},
    {"id": "OMIM:194190", "xrefs": ["ORPHA:280", "DECIPHER:1"]},
    {"id": "ORPHA:280", "xrefs": []},  # never both in one catalog; if it were, the served id must win
]


def test_records_labelled_with_an_alias_or_a_folded_twin_find_the_entry_that_holds_it():
    index = diagnosis_index(CATALOG)
    assert index["KAGGLE:Pneumonia"] == index["DDXPLUS:Pneumonia"] == 0
    assert index["DECIPHER:1"] == 2
    assert index["ORPHA:280"] == 3
    assert "OMIM:1" not in index
