"""The time-split cases: one per disease and new publication, gathered from every row that cites it."""

from knowledge_base.timesplit import publication_cases, split_references


def _row(disease, term, reference, qualifier="", frequency=""):
    return [disease, "name", qualifier, term, reference, "PCS", "", frequency, "", "", "P", "curator"]


def _resolve(term):
    return None if term == "HP:obsolete" else term


ROWS = [
    # PMID:new reports a, b and c alone, and d, which the older PMID:old reported too (one row, references joined)
    _row("OMIM:1", "HP:a", "PMID:new"),
    _row("OMIM:1", "HP:b", "PMID:new"),
    _row("OMIM:1", "HP:c", "PMID:new", frequency="2/2"),
    _row("OMIM:1", "HP:d", "PMID:old;PMID:new"),
    _row("OMIM:1", "HP:e", "PMID:new", qualifier="NOT"),
    _row("OMIM:1", "HP:obsolete", "PMID:new"),
    # rows whose references the older release all cited, joined differently now: no case
    _row("OMIM:2", "HP:a", "PMID:old;PMID:old2"),
    _row("OMIM:2", "HP:b", "PMID:old2;PMID:old"),
    _row("OMIM:2", "HP:c", "PMID:old"),
    # a new publication with two findings is not a case description
    _row("OMIM:3", "HP:a", "PMID:short"),
    _row("OMIM:3", "HP:b", "PMID:short"),
    # an OMIM clinical synopsis is not a publication
    _row("OMIM:4", "HP:a", "OMIM:4"),
    _row("OMIM:4", "HP:b", "OMIM:4"),
    _row("OMIM:4", "HP:c", "OMIM:4"),
]


def test_a_new_publication_is_one_case_with_the_findings_it_shares_with_older_ones():
    cases = publication_cases(ROWS, {"PMID:old", "PMID:old2"}, _resolve)
    assert cases == [
        {
            "diseaseId": "OMIM:1",
            "reference": "PMID:new",
            "observed": ["HP:a", "HP:b", "HP:c", "HP:d"],
            "excluded": ["HP:e"],
        }
    ]


def test_references_split_on_semicolons():
    assert split_references("PMID:1;PMID:2; PMID:3") == ["PMID:1", "PMID:2", "PMID:3"]
    assert split_references("") == []
