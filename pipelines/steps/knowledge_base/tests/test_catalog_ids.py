from common.annotations import DiseaseAnnotations
from knowledge_base.catalog import orphan_entries


def _a(did, name, phenotypes):
    return DiseaseAnnotations(did, name, dict(phenotypes), set(), [], set(), {f"PMID:{did}"})


def test_served_ids_are_the_ids_cases_are_labeled_with():
    diseases = {
        "OMIM:100": _a("OMIM:100", "Kabuki syndrome 1", {"HP:1": 0.9}),
        "ORPHA:200": _a("ORPHA:200", "Kabuki syndrome", {"HP:2": 0.5}),
        "OMIM:300": DiseaseAnnotations("OMIM:300", "Kabuki syndrome 3"),  # no phenotype rows yet
    }
    genes = {"OMIM:100": {"KMT2D"}, "ORPHA:200": {"KMT2D"}, "OMIM:300": {"KMT2D"}}
    by_id = {d["id"]: d for d in orphan_entries(diseases, genes)}
    # GIVEN an Orphanet twin of an OMIM entry THEN the OMIM id is served, the ORPHA id kept as its xref
    assert "ORPHA:200" not in by_id
    assert by_id["OMIM:100"]["xrefs"] == ["ORPHA:200"]
    # GIVEN an unannotated disease sharing the gene THEN it is a candidate under its own OMIM id
    assert by_id["OMIM:300"]["annotated"] is False
    assert by_id["OMIM:300"]["transferredFrom"] == ["OMIM:100"]
    assert by_id["OMIM:300"]["name"] == "Kabuki syndrome 3"
