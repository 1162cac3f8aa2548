import gzip

from knowledge_base.lopo import PhenotypeRow, held_out_profile, lopo_cases, read_phenotype_rows


def _row(disease, term, refs, freq=0.5, excluded=False):
    return PhenotypeRow(disease, term, frozenset(refs), freq, excluded)


ROWS = [
    # OMIM:1: three findings only PMID:1 reports, one shared with PMID:2, one from OMIM's synopsis
    _row("OMIM:1", "HP:a", ["PMID:1"], 0.9),
    _row("OMIM:1", "HP:b", ["PMID:1"]),
    _row("OMIM:1", "HP:c", ["PMID:1", "PMID:2"], 0.8),
    _row("OMIM:1", "HP:d", ["OMIM:1"]),
    _row("OMIM:1", "HP:e", ["PMID:1"], 0.0, excluded=True),
    # OMIM:2: everything comes from PMID:3, so holding it out leaves nothing
    _row("OMIM:2", "HP:a", ["PMID:3"]),
    _row("OMIM:2", "HP:b", ["PMID:3"]),
    _row("OMIM:2", "HP:f", ["PMID:3"]),
    # OMIM:3: a reporting disease; OMIM:4: too few findings per publication
    _row("OMIM:3", "HP:a", ["PMID:4"]),
    _row("OMIM:3", "HP:b", ["PMID:4"]),
    _row("OMIM:3", "HP:c", ["PMID:4"]),
    _row("OMIM:4", "HP:a", ["PMID:5"]),
    _row("OMIM:4", "HP:b", ["PMID:5"]),
]


def _entry(did, genes, references):
    return {
        "id": did,
        "category": "orphan",
        "annotated": True,
        "phenotypes": [{"id": "HP:a", "frequency": 0.9}],
        "excludedPhenotypes": ["HP:e"],
        "genes": genes,
        "references": references,
    }


CATALOG = [
    _entry("OMIM:1", ["G1"], 3),
    _entry("OMIM:2", ["G1"], 1),
    _entry("OMIM:3", [], 1),
    _entry("OMIM:4", [], 1),
]


def test_held_out_profile_keeps_findings_other_sources_support():
    rows = [r for r in ROWS if r.disease_id == "OMIM:1"]
    profile, excluded = held_out_profile(rows, "PMID:1")
    assert profile == {"HP:c": 0.8, "HP:d": 0.5}  # a and b only PMID:1 supports; c PMID:2 supports too
    assert excluded == set()


def test_lopo_cases_hold_out_each_publication_and_skip_reporting_diseases():
    cases = lopo_cases(ROWS, CATALOG, keep=lambda d: d != "OMIM:3", seed=0)
    by_key = {(c["diseaseId"], c["reference"]): c for c in cases}
    # GIVEN OMIM:3 is reported on and OMIM:4's publication has two findings THEN neither is a case
    assert set(by_key) == {("OMIM:1", "PMID:1"), ("OMIM:2", "PMID:3")}
    one = by_key[("OMIM:1", "PMID:1")]
    assert one["observed"] == ["HP:a", "HP:b", "HP:c"] and one["excluded"] == ["HP:e"]
    entry = one["heldOutEntry"]
    assert [p["id"] for p in entry["phenotypes"]] == ["HP:c", "HP:d"]
    assert entry["excludedPhenotypes"] == []  # only the held-out publication excluded HP:e
    assert entry["references"] == 2 and entry["annotated"] is True
    # GIVEN nothing is left of OMIM:2 THEN it borrows its gene relative's profile, never its own
    two = by_key[("OMIM:2", "PMID:3")]["heldOutEntry"]
    assert two["annotated"] is False and two["transferredFrom"] == ["OMIM:1"]


def test_lopo_cases_cap_publications_per_disease_deterministically():
    rows = [_row("OMIM:1", f"HP:{t}", [f"PMID:{p}"]) for p in range(6) for t in "abc"]
    first = lopo_cases(rows, CATALOG, keep=lambda d: True, seed=3, max_per_disease=2)
    assert len(first) == 2
    assert first == lopo_cases(rows, CATALOG, keep=lambda d: True, seed=3, max_per_disease=2)


def test_read_phenotype_rows_splits_references_and_resolves_terms(tmp_path):
    path = tmp_path / "p.hpoa.gz"
    header = "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\n"
    lines = [
        "OMIM:1\tX\t\tHP:old\tPMID:1;PMID:2\tPCS\t\t3/4\t\t\tP\tc\n",
        "OMIM:1\tX\tNOT\tHP:b\tPMID:1\tPCS\t\t\t\t\tP\tc\n",
        "OMIM:1\tX\t\tHP:0000006\tPMID:1\tPCS\t\t\t\t\tI\tc\n",
        "OMIM:1\tX\t\tHP:gone\tPMID:1\tPCS\t\t\t\t\tP\tc\n",
    ]
    with gzip.open(path, "wt") as fh:
        fh.write("#version: x\n" + header + "".join(lines))
    rows = read_phenotype_rows(path, {"HP:old": "HP:a", "HP:b": "HP:b"}.get)
    assert rows == [
        PhenotypeRow("OMIM:1", "HP:a", frozenset({"PMID:1", "PMID:2"}), 4 / 6, False),
        PhenotypeRow("OMIM:1", "HP:b", frozenset({"PMID:1"}), 0.5, True),
    ]
