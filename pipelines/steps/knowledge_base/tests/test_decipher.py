import pytest

from common.annotations import DiseaseAnnotations
from knowledge_base.catalog import orphan_entries
from knowledge_base.decipher import read_decipher_twins, usable_twins

HEADER = "decipher_id,decipher_name,omim_id,omim_name,match,note\n"


def _a(did, name, phenotypes, excluded=()):
    return DiseaseAnnotations(did, name, dict(phenotypes), set(excluded), [], set(), {f"{did}"})


def _mapping(tmp_path, rows: str):
    (tmp_path / "decipher-to-omim.v1.csv").write_text(HEADER + rows)
    return tmp_path


def test_a_reviewed_pair_folds_the_decipher_entry_into_its_omim_twin(tmp_path):
    # GIVEN a DECIPHER syndrome, its OMIM twin and an unrelated DECIPHER entry the review kept apart
    diseases = {
        "OMIM:194190": _a("OMIM:194190", "Wolf-Hirschhorn syndrome", {"HP:1": 0.9, "HP:2": 0.5}),
        "DECIPHER:1": _a("DECIPHER:1", "Wolf-Hirschhorn syndrome", {"HP:1": 1.0}, excluded={"HP:3"}),
        "DECIPHER:39": _a("DECIPHER:39", "8p23.1 deletion syndrome", {"HP:4": 0.5}),
    }
    maps = _mapping(
        tmp_path,
        "DECIPHER:1,WHS,OMIM:194190,Wolf-Hirschhorn syndrome,exact,\nDECIPHER:39,8p23.1,,,none,no twin\n",
    )
    twins, skipped = usable_twins(read_decipher_twins(maps), diseases)
    by_id = {d["id"]: d for d in orphan_entries(diseases, {}, twins)}
    # THEN one candidate for the syndrome, under its OMIM id, with OMIM's profile and DECIPHER's exclusion
    assert "DECIPHER:1" not in by_id and skipped == []
    assert by_id["OMIM:194190"]["xrefs"] == ["DECIPHER:1"]
    assert [p["id"] for p in by_id["OMIM:194190"]["phenotypes"]] == ["HP:1", "HP:2"]
    assert by_id["OMIM:194190"]["excludedPhenotypes"] == ["HP:3"]
    assert "DECIPHER:39" in by_id


def test_a_pair_whose_omim_side_is_not_annotated_in_this_release_keeps_both_apart(tmp_path):
    diseases = {"DECIPHER:1": _a("DECIPHER:1", "Wolf-Hirschhorn syndrome", {"HP:1": 1.0})}
    maps = _mapping(tmp_path, "DECIPHER:1,WHS,OMIM:194190,Wolf-Hirschhorn syndrome,exact,\n")
    twins, skipped = usable_twins(read_decipher_twins(maps), diseases)
    assert twins == {} and skipped == ["DECIPHER:1"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("DECIPHER:1,WHS,OMIM:194190,WHS,maybe,\n", "match 'maybe'"),
        ("ORPHA:280,WHS,OMIM:194190,WHS,exact,\n", "'ORPHA:280' is not a DECIPHER id"),
        ("DECIPHER:1,WHS,,,exact,\n", "matched \\(exact\\) but '' is not an OMIM id"),
    ],
)
def test_a_bad_row_is_refused_with_its_line(tmp_path, row, message):
    with pytest.raises(ValueError, match=f"decipher-to-omim.v1.csv:2: .*{message}"):
        read_decipher_twins(_mapping(tmp_path, row))


def test_without_a_mapping_file_nothing_is_folded(tmp_path):
    assert read_decipher_twins(tmp_path) == {}


def test_every_reviewed_pair_names_two_annotated_entries_of_the_vendored_release():
    import gzip
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    twins = read_decipher_twins(root / "mappings")
    with gzip.open(root / "data" / "hpo" / "phenotype.v2025-05-06.hpoa.gz", "rt", encoding="utf-8") as fh:
        names = {}
        for line in fh:
            if not line.startswith(("#", "database_id")):
                row = line.split("\t", 2)
                names[row[0]] = row[1]
    assert len(twins) == 39
    missing = sorted(d for pair in twins.items() for d in pair if d not in names)
    assert missing == [], missing
