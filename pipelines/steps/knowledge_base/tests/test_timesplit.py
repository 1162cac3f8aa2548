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
            "patients": 2,
        }
    ]


def test_a_case_counts_the_patients_its_own_rows_report():
    rows = [
        _row("OMIM:5", "HP:a", "PMID:single", frequency="1/1"),
        _row("OMIM:5", "HP:b", "PMID:single", frequency="0/1"),
        _row("OMIM:5", "HP:c", "PMID:single"),
        _row("OMIM:5", "HP:d", "PMID:single"),
        # a joined row's count may add several publications' patients: it does not count
        _row("OMIM:5", "HP:e", "PMID:single;PMID:other", frequency="3/7"),
        _row("OMIM:6", "HP:a", "PMID:series", frequency="4/12"),
        _row("OMIM:6", "HP:b", "PMID:series", frequency="12/12"),
        _row("OMIM:6", "HP:c", "PMID:series"),
        _row("OMIM:7", "HP:a", "PMID:nocount"),
        _row("OMIM:7", "HP:b", "PMID:nocount", frequency="HP:0040281"),
        _row("OMIM:7", "HP:c", "PMID:nocount", frequency="33%"),
    ]
    patients = {
        (c["diseaseId"], c["reference"]): c["patients"] for c in publication_cases(rows, set(), _resolve)
    }
    assert patients[("OMIM:5", "PMID:single")] == 1
    assert patients[("OMIM:6", "PMID:series")] == 12
    assert patients[("OMIM:7", "PMID:nocount")] is None


def test_references_split_on_semicolons():
    assert split_references("PMID:1;PMID:2; PMID:3") == ["PMID:1", "PMID:2", "PMID:3"]
    assert split_references("") == []
