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
    # AND a twin found through its gene keeps OMIM's profile alone
    assert [p["id"] for p in by_id["OMIM:100"]["phenotypes"]] == ["HP:1"]
    # GIVEN an unannotated disease sharing the gene THEN it is a candidate under its own OMIM id
    assert by_id["OMIM:300"]["annotated"] is False
    assert by_id["OMIM:300"]["transferredFrom"] == ["OMIM:100"]
    assert by_id["OMIM:300"]["name"] == "Kabuki syndrome 3"


def test_an_orphanet_entry_without_a_shared_gene_folds_into_the_omim_entry_of_the_same_name():
    diseases = {
        "OMIM:154700": _a("OMIM:154700", "Marfan syndrome", {"HP:1": 0.9}),
        "ORPHA:558": _a("ORPHA:558", "Marfan Syndrome", {"HP:2": 0.5}),  # no gene in genes_to_disease
        "OMIM:118200": _a("OMIM:118200", "Charcot-Marie-Tooth disease, type 1B", {"HP:3": 0.9}),
        "OMIM:605253": _a("OMIM:605253", "Charcot-Marie-Tooth disease, type 2J", {"HP:4": 0.9}),
        "ORPHA:101082": _a("ORPHA:101082", "Charcot-Marie-Tooth disease type 1B", {"HP:3": 0.5}),
        "ORPHA:1": _a("ORPHA:1", "Marfan-like disorder", {"HP:1": 0.5}),
    }
    # MPZ is shared by both CMT entries, and both have the words Charcot, Marie, Tooth: the gene rule finds two
    genes = {"OMIM:118200": {"MPZ"}, "OMIM:605253": {"MPZ"}, "ORPHA:101082": {"MPZ"}, "OMIM:154700": {"FBN1"}}
    by_id = {d["id"]: d for d in orphan_entries(diseases, genes)}
    # THEN the same full name (case and punctuation aside) folds the Orphanet entry into its OMIM twin
    assert by_id["OMIM:154700"]["xrefs"] == ["ORPHA:558"]
    assert by_id["OMIM:118200"]["xrefs"] == ["ORPHA:101082"]
    assert "ORPHA:558" not in by_id and "ORPHA:101082" not in by_id
    # AND the OMIM entry keeps its own profile, as for a twin found through its gene
    assert {p["id"]: p["frequency"] for p in by_id["OMIM:154700"]["phenotypes"]} == {"HP:1": 0.9}
    assert {p["id"]: p["frequency"] for p in by_id["OMIM:118200"]["phenotypes"]} == {"HP:3": 0.9}
    # AND the same name is no synonym
    assert "synonyms" not in by_id["OMIM:154700"]
    # AND a name that only resembles one stays a candidate of its own
    assert by_id["ORPHA:1"]["xrefs"] == []


def test_the_same_words_in_another_order_or_with_a_roman_numeral_fold_the_orphanet_entry():
    diseases = {
        "OMIM:130050": _a("OMIM:130050", "Ehlers-Danlos syndrome, Vascular type", {"HP:1": 0.9}),
        "ORPHA:286": _a("ORPHA:286", "Vascular Ehlers-Danlos syndrome", {"HP:2": 0.5}),
        "OMIM:162200": _a("OMIM:162200", "Neurofibromatosis, type I", {"HP:3": 0.9}),
        "OMIM:601321": _a("OMIM:601321", "Neurofibromatosis-Noonan syndrome", {"HP:4": 0.9}),
        "ORPHA:636": _a("ORPHA:636", "Neurofibromatosis type 1", {"HP:3": 0.5}),
        "OMIM:300755": _a("OMIM:300755", "Agammaglobulinemia, X-linked", {"HP:5": 0.9}),
        "ORPHA:47": _a("ORPHA:47", "X-linked agammaglobulinemia", {"HP:5": 0.5}),
        "ORPHA:10": _a("ORPHA:10", "X-linked agammaglobulinemia type 10", {"HP:6": 0.5}),
        "OMIM:12": _a("OMIM:12", "Mucopolysaccharidosis, type X", {"HP:7": 0.9}),
        "ORPHA:13": _a("ORPHA:13", "Mucopolysaccharidosis type 10", {"HP:7": 0.5}),
    }
    # NF1 is the gene of both OMIM entries with the word "neurofibromatosis": the gene rule alone finds two
    genes = {"OMIM:162200": {"NF1"}, "OMIM:601321": {"NF1"}, "ORPHA:636": {"NF1"}}
    by_id = {d["id"]: d for d in orphan_entries(diseases, genes)}
    # THEN the entry with the same words (roman numerals read as numbers, "type" aside) is the twin
    assert by_id["OMIM:130050"]["xrefs"] == ["ORPHA:286"]
    assert by_id["OMIM:162200"]["xrefs"] == ["ORPHA:636"] and by_id["OMIM:601321"]["xrefs"] == []
    assert by_id["OMIM:12"]["xrefs"] == ["ORPHA:13"]
    # AND the folded entry's name stays searchable as a synonym of its OMIM twin
    assert by_id["OMIM:130050"]["synonyms"] == ["Vascular Ehlers-Danlos syndrome"]
    # AND the x of X-linked is a letter, not a ten: a tenth type stays apart from the X-linked disease
    assert by_id["OMIM:300755"]["xrefs"] == ["ORPHA:47"] and "ORPHA:10" in by_id


def test_a_name_shared_by_several_omim_entries_folds_nothing():
    diseases = {
        "OMIM:1": _a("OMIM:1", "Deafness", {"HP:1": 0.9}),
        "OMIM:2": _a("OMIM:2", "Deafness", {"HP:2": 0.9}),
        "ORPHA:3": _a("ORPHA:3", "Deafness", {"HP:1": 0.5}),
    }
    by_id = {d["id"]: d for d in orphan_entries(diseases, {})}
    assert by_id["ORPHA:3"]["xrefs"] == [] and by_id["OMIM:1"]["xrefs"] == []


def test_an_unannotated_orphanet_entry_with_one_omim_entrys_exact_genes_folds_into_it():
    diseases = {
        "OMIM:301050": _a("OMIM:301050", "Alport syndrome 1, X-linked", {"HP:1": 0.9}),
        "OMIM:154700": _a("OMIM:154700", "Marfan syndrome", {"HP:2": 0.9}),
        "OMIM:129600": _a("OMIM:129600", "Ectopia lentis, familial", {"HP:3": 0.9}),
    }
    genes = {
        "OMIM:301050": {"COL4A5"},
        "ORPHA:88917": {"COL4A5"},  # X-linked Alport syndrome: Orphanet's entity for OMIM's disease
        "OMIM:154700": {"FBN1"},
        "OMIM:129600": {"FBN1"},
        "ORPHA:2": {"FBN1"},  # two OMIM entries have FBN1 alone: which one is unknown
        "OMIM:600001": {"GENEX"},  # an unannotated OMIM entry with GENEX alone
        "OMIM:600002": {"GENEX"},
        "ORPHA:3": {"GENEX", "COL4A5"},  # no OMIM entry has exactly these genes
    }
    diseases["OMIM:600002"] = _a("OMIM:600002", "Disorder X", {"HP:4": 0.9})
    diseases["ORPHA:4"] = DiseaseAnnotations("ORPHA:4", "Disorder X, Orphanet")  # no phenotype rows
    genes["ORPHA:4"] = {"GENEX"}
    by_id = {d["id"]: d for d in orphan_entries(diseases, genes)}
    # THEN the Orphanet entity is the OMIM entry's xref, not a nameless second candidate borrowing its profile
    assert "ORPHA:88917" not in by_id
    assert by_id["OMIM:301050"]["xrefs"] == ["ORPHA:88917"]
    # AND a gene set several OMIM entries have (annotated or not) folds nothing
    assert by_id["ORPHA:2"]["transferredFrom"] == ["OMIM:129600", "OMIM:154700"]
    assert by_id["ORPHA:4"]["annotated"] is False and by_id["OMIM:600002"]["xrefs"] == []
    # AND neither does a gene set no OMIM entry has
    assert by_id["ORPHA:3"]["transferredFrom"] == ["OMIM:301050", "OMIM:600002"]
    # AND a candidate the release names nowhere says what is known, in English and Spanish (the page's languages)
    assert by_id["ORPHA:2"]["name"] == "Disease linked to FBN1 (ORPHA:2)"
    assert by_id["ORPHA:2"]["names"] == {
        "en": "Disease linked to FBN1 (ORPHA:2)",
        "es": "Enfermedad asociada a FBN1 (ORPHA:2)",
    }
    # AND one with a name of its own keeps it, without generated names
    assert by_id["ORPHA:4"]["name"] == "Disorder X, Orphanet" and "names" not in by_id["ORPHA:4"]


def test_an_entry_is_single_sex_only_when_described_so_and_says_which_findings_are():
    mowat = _a("OMIM:235730", "Mowat-Wilson syndrome", {"HP:0000028": 0.5, "HP:0001250": 0.9})
    mowat.sexes = {"male", ""}
    mowat.phenotype_sexes.update({"HP:0000028": {"male"}, "HP:0001250": {""}})
    ovarian = _a("OMIM:618078", "Ovarian dysgenesis 6", {"HP:0008209": 0.9})
    ovarian.sexes = {"female"}
    ovarian.phenotype_sexes.update({"HP:0008209": {"female"}})
    by_id = {d["id"]: d for d in orphan_entries({"OMIM:235730": mowat, "OMIM:618078": ovarian}, {})}
    assert by_id["OMIM:235730"]["sex"] is None
    assert by_id["OMIM:235730"]["phenotypes"] == [
        {"id": "HP:0000028", "frequency": 0.5, "sex": "male"},
        {"id": "HP:0001250", "frequency": 0.9},
    ]
    assert by_id["OMIM:618078"]["sex"] == "female"
