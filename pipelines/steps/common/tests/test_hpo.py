import gzip
import json

import pytest

from common.hpo import ROOT, curie, load_ontology


def _node(n, label, alt=(), replaced_by=None, layperson=()):
    props = [{"pred": "http://www.geneontology.org/formats/oboInOwl#hasAlternativeId", "val": a} for a in alt]
    meta = {"basicPropertyValues": props}
    if replaced_by:
        meta = {
            "deprecated": True,
            "basicPropertyValues": [
                {"pred": "http://purl.obolibrary.org/obo/IAO_0100001", "val": replaced_by}
            ],
        }
    if layperson:
        meta["synonyms"] = [
            {
                "pred": "hasExactSynonym",
                "val": s,
                "synonymType": "http://purl.obolibrary.org/obo/hp#layperson",
            }
            for s in layperson
        ]
    return {"id": f"http://purl.obolibrary.org/obo/HP_{n}", "lbl": label, "type": "CLASS", "meta": meta}


@pytest.fixture
def tiny_hp(tmp_path):
    graph = {
        "meta": {
            "basicPropertyValues": [
                {"pred": "http://www.w3.org/2002/07/owl#versionInfo", "val": "2099-01-01"}
            ]
        },
        "nodes": [
            _node("0000001", "All"),
            _node("0000118", "Phenotypic abnormality"),
            _node("0001250", "Seizure", alt=["HP:0002279"], layperson=["Epilepsy"]),
            _node("0002373", "Febrile seizure"),
            _node("0000057", "obsolete Clitoromegaly", replaced_by="HP:0002373"),
        ],
        "edges": [
            {
                "sub": f"http://purl.obolibrary.org/obo/HP_{s}",
                "pred": "is_a",
                "obj": f"http://purl.obolibrary.org/obo/HP_{o}",
            }
            for s, o in [("0000118", "0000001"), ("0001250", "0000118"), ("0002373", "0001250")]
        ],
    }
    path = tmp_path / "hp.json.gz"
    with gzip.open(path, "wt") as fh:
        json.dump({"graphs": [graph]}, fh)
    return load_ontology(path)


def test_curie_shortens_purls():
    assert curie("http://purl.obolibrary.org/obo/HP_0001250") == "HP:0001250"


def test_loads_terms_version_and_layperson_synonyms(tiny_hp):
    assert tiny_hp.version == "2099-01-01"
    assert set(tiny_hp.terms) == {ROOT, "HP:0000118", "HP:0001250", "HP:0002373"}
    assert tiny_hp.terms["HP:0001250"].layperson == ("Epilepsy",)


def test_ancestors_include_self_and_root(tiny_hp):
    assert tiny_hp.ancestors("HP:0002373") == {"HP:0002373", "HP:0001250", "HP:0000118", ROOT}
    assert tiny_hp.is_phenotypic_abnormality("HP:0002373")
    assert not tiny_hp.is_phenotypic_abnormality(ROOT)


def test_resolve_maps_alt_and_obsolete_ids_and_rejects_unknown(tiny_hp):
    assert tiny_hp.resolve("HP:0001250") == "HP:0001250"
    assert tiny_hp.resolve("HP:0002279") == "HP:0001250"
    assert tiny_hp.resolve("HP:0000057") == "HP:0002373"
    assert tiny_hp.resolve("HP:9999999") is None


def test_children_inverts_parents(tiny_hp):
    assert tiny_hp.children["HP:0001250"] == ("HP:0002373",)
