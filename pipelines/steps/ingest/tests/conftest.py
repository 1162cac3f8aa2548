"""Shared fixtures: a hand-made Reference (no ontology load) for the pure tests, one local Spark session."""

from __future__ import annotations

import pytest

from ingest.mappings import Reference


@pytest.fixture(scope="session")
def ref() -> Reference:
    return Reference(
        hpo_version="test",
        hpo={
            "HP:0001945": "HP:0001945",  # Fever
            "HP:0012735": "HP:0012735",  # Cough
            "HP:0001250": "HP:0001250",  # Seizure
            "HP:0002279": "HP:0001250",  # alt id of Seizure
            "HP:0000988": "HP:0000988",  # Skin rash
            "HP:0000006": "HP:0000006",  # Autosomal dominant inheritance: not a finding
            "HP:0000001": "HP:0000001",  # All: not a finding
        },
        evidences={"E_91": frozenset(), "E_201": frozenset(), "E_55": frozenset({"V_89", "V_29"})},
        conditions=frozenset({"URTI", "Possible NSTEMI / STEMI"}),
        evidence_hpo={"E_91": "HP:0001945", "E_201": "HP:0012735", "E_55_@_V_89": None},
        symptom_hpo={"itching": None, "skin_rash": "HP:0000988", "high_fever": "HP:0001945"},
        kaggle_diseases={"Fungal infection": ("KAGGLE:Fungal_infection", "Fungal infection")},
        not_findings=frozenset({"HP:0000006", "HP:0000001"}),
    )


@pytest.fixture(scope="session")
def spark():
    from ingest.glue_job import local_spark

    session = local_spark()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
