"""A tiny but complete reference zone and processed zone for the step tests (and the TypeScript parity test).

Real file formats (obographs JSON, phenotype.hpoa, genes_to_disease, DDXPlus JSON, canonical Parquet), made-up
content: 14 HPO terms, 4 annotated rare diseases plus one reachable through a shared gene, 3 common conditions.
Run as a script to write both zones into a directory: ``python tiny_reference.py OUT``.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from common.records import CANONICAL_SCHEMA

PURL = "http://purl.obolibrary.org/obo/HP_"
TERMS = {  # id -> (label, parent)
    "0000001": ("All", None),
    "0000118": ("Phenotypic abnormality", "0000001"),
    "0000707": ("Abnormality of the nervous system", "0000118"),
    "0001250": ("Seizure", "0000707"),
    "0002373": ("Febrile seizure", "0001250"),
    "0001249": ("Intellectual disability", "0000707"),
    "0002315": ("Headache", "0000707"),
    "0001626": ("Abnormality of the cardiovascular system", "0000118"),
    "0001627": ("Abnormal heart morphology", "0001626"),
    "0001631": ("Atrial septal defect", "0001627"),
    "0002086": ("Abnormality of the respiratory system", "0000118"),
    "0012735": ("Cough", "0002086"),
    "0025142": ("Constitutional symptom", "0000118"),
    "0001945": ("Fever", "0025142"),
}
HPOA_HEADER = "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration"
# (disease, name, qualifier, term, reference, onset, frequency, sex)
OLD_ROWS = [
    ("OMIM:100001", "Seizure syndrome A", "", "0001250", "OMIM:100001", "HP:0003593", "HP:0040281", ""),
    ("OMIM:100001", "Seizure syndrome A", "", "0001249", "OMIM:100001", "", "1/2", ""),
    ("OMIM:100002", "Heart syndrome B", "", "0001631", "OMIM:100002", "", "HP:0040281", ""),
    ("OMIM:100002", "Heart syndrome B", "", "0002373", "OMIM:100002", "", "HP:0040283", ""),
    ("ORPHA:100003", "Cough disorder C", "", "0012735", "ORPHA:100003", "", "3/4", ""),
    ("ORPHA:100003", "Cough disorder C", "", "0001945", "ORPHA:100003", "", "HP:0040282", ""),
    ("ORPHA:100003", "Cough disorder C", "NOT", "0001250", "ORPHA:100003", "", "", ""),
]
NEW_ROWS = [
    *OLD_ROWS,
    ("OMIM:100004", "Head syndrome D", "", "0002315", "OMIM:100004", "", "HP:0040281", "FEMALE"),
    ("OMIM:100004", "Head syndrome D", "", "0001250", "OMIM:100004", "", "50%", "FEMALE"),
    # a publication the older release never cited: the time-split pseudo-case
    ("OMIM:100001", "Seizure syndrome A", "", "0002373", "PMID:999", "", "2/3", ""),
    ("OMIM:100001", "Seizure syndrome A", "", "0001249", "PMID:999", "", "3/3", ""),
    ("OMIM:100001", "Seizure syndrome A", "", "0001945", "PMID:999", "", "1/3", ""),
]
GENES = [("G1", "OMIM:100001"), ("G1", "OMIM:100005"), ("G2", "OMIM:100002")]
# URTI's list nests in pneumonia's (common/questionnaire_profile.py, the nested term)
CONDITIONS = {"URTI": ["E_1", "E_2"], "Pneumonia": ["E_1", "E_2", "E_3"], "GERD": ["E_4"]}
EVIDENCES = {
    "E_1": ("Do you have a fever?", "B", []),
    "E_2": ("Do you have a cough?", "B", []),
    "E_3": ("How intense is the pain?", "C", [0, 5, 10]),
    "E_4": ("Where is the pain?", "M", ["V_1", "V_2"]),
}
# cough is the phenotype of two answers (features.py: a given one switches the other off); the pain location says
# more than cough, so cough alone switches on only "Do you have a cough?" (build_knowledge_base.not_implied_tokens)
EVIDENCE_HPO = [
    ("E_1", "HP:0001945", "Fever", "exact"),
    ("E_2", "HP:0012735", "Cough", "exact"),
    ("E_4_@_V_2", "HP:0012735", "Cough", "broader"),
]


def _hp_json(version: str) -> dict:
    nodes = [{"id": PURL + k, "lbl": label, "type": "CLASS", "meta": {}} for k, (label, _) in TERMS.items()]
    edges = [{"sub": PURL + k, "pred": "is_a", "obj": PURL + p} for k, (_, p) in TERMS.items() if p]
    meta = {"basicPropertyValues": [{"pred": "http://www.w3.org/2002/07/owl#versionInfo", "val": version}]}
    return {"graphs": [{"meta": meta, "nodes": nodes, "edges": edges}]}


def _hpoa(rows, version: str) -> str:
    lines = [f"#version: {version}", HPOA_HEADER]
    for d, name, q, term, ref, onset, freq, sex in rows:
        lines.append("\t".join([d, name, q, f"HP:{term}", ref, "PCS", onset, freq, sex, "", "P", "HPO:test"]))
    return "\n".join(lines) + "\n"


def _gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text)


def write_reference(root: Path) -> Path:
    hpo = root / "hpo"
    _gz(hpo / "hp.v2099-01-01.json.gz", json.dumps(_hp_json("2099-01-01")))
    _gz(hpo / "phenotype.v2099-01-01.hpoa.gz", _hpoa(NEW_ROWS, "2099-01-01"))
    _gz(
        hpo / "genes_to_disease.v2099-01-01.txt.gz",
        "ncbi_gene_id\tgene_symbol\tassociation_type\tdisease_id\tsource\n"
        + "".join(f"NCBIGene:{i}\t{g}\tMENDELIAN\t{d}\ttest\n" for i, (g, d) in enumerate(GENES)),
    )
    _gz(hpo / "older" / "hp.v2098-01-01.json.gz", json.dumps(_hp_json("2098-01-01")))
    _gz(hpo / "older" / "phenotype.v2098-01-01.hpoa.gz", _hpoa(OLD_ROWS, "2098-01-01"))
    ddx = root / "ddxplus"
    ddx.mkdir(parents=True, exist_ok=True)
    conds = {
        n: {
            "condition_name": n,
            "cond-name-fr": n,
            "cond-name-eng": n,
            "icd10-id": "X00",
            "symptoms": {e: {} for e in ev},
            "antecedents": {},
            "severity": 3,
        }
        for n, ev in CONDITIONS.items()
    }
    (ddx / "release_conditions.json").write_text(json.dumps(conds))
    evs = {
        code: {
            "name": code,
            "code_question": code,
            "question_fr": q,
            "question_en": q,
            "is_antecedent": False,
            "default_value": 0,
            "value_meaning": {str(v): {"fr": str(v), "en": str(v)} for v in values},
            "possible-values": values,
            "data_type": dtype,
        }
        for code, (q, dtype, values) in EVIDENCES.items()
    }
    (ddx / "release_evidences.json").write_text(json.dumps(evs))
    maps = root / "mappings"
    maps.mkdir(parents=True, exist_ok=True)
    rows = ["evidence,question,hpo_id,hpo_label,match,note"] + [
        f"{e},q,{h},{label},{m}," for e, h, label, m in EVIDENCE_HPO
    ]
    (maps / "ddxplus-evidences-to-hpo.v1.csv").write_text("\n".join(rows) + "\n")
    _write_kaggle(root)
    return root


# Kaggle symptom set: a disease new to the catalog (Migraine) and one that is a DDXPlus condition (Pneumonia)
KAGGLE_ROWS = [
    "Migraine,headache",
    "Migraine,headache, high_fever",
    "Pneumonia,cough, high_fever, blurred_vision",
    "Migraine,headache, seizures",
]
KAGGLE_SYMPTOMS = [
    ("headache", "HP:0002315", "Headache", "exact"),
    ("high_fever", "HP:0001945", "Fever", "broader"),
    ("cough", "HP:0012735", "Cough", "exact"),
    ("blurred_vision", "", "", "none"),
    # broader and not read by any questionnaire answer: its token is switched on by Seizure itself, not Febrile seizure
    ("seizures", "HP:0001250", "Seizure", "broader"),
]


def _write_kaggle(root: Path) -> None:
    kaggle, maps = root / "kaggle", root / "mappings"
    kaggle.mkdir(parents=True, exist_ok=True)
    (kaggle / "dataset.csv").write_text(
        "Disease,Symptom_1,Symptom_2,Symptom_3\n" + "\n".join(KAGGLE_ROWS) + "\n"
    )
    (maps / "kaggle-symptoms-to-hpo.v1.csv").write_text(
        "symptom,hpo_id,hpo_label,match,note\n"
        + "".join(f"{s},{h},{lbl},{m},\n" for s, h, lbl, m in KAGGLE_SYMPTOMS)
    )
    (maps / "kaggle-diseases.v1.csv").write_text(
        "disease,diagnosis_id,diagnosis_name,note\n"
        "Migraine,KAGGLE:Migraine,Migraine,\nPneumonia,KAGGLE:Pneumonia,Pneumonia,\n"
    )
    (maps / "kaggle-diseases-to-catalog.v2.csv").write_text(
        "disease,catalog_id,match,name,note\n"
        "Migraine,KAGGLE:Migraine,new,Migraine,\nPneumonia,DDXPLUS:Pneumonia,exact,,\n"
    )


def write_processed(root: Path) -> Path:
    """Canonical records: five patients per common condition and one rare-disease phenopacket."""
    patients = {
        "URTI": (["E_1", "E_2"], ["HP:0001945", "HP:0012735"]),
        "Pneumonia": (["E_1", "E_3_@_10"], ["HP:0001945"]),
        "GERD": (["E_4_@_V_1"], []),
    }
    rows = []
    for name, (tokens, phenotypes) in patients.items():
        for i in range(5):
            rows.append(
                {
                    "record_id": f"{name[:4].lower()}{i:012d}",
                    "source": "ddxplus",
                    "age_years": float(20 + i),
                    "sex": "female" if i % 2 else "male",
                    "phenotypes": phenotypes,
                    "excluded_phenotypes": [],
                    "evidences": tokens,
                    "diagnosis_id": f"DDXPLUS:{name}",
                    "diagnosis_name": name,
                    "ingestion_date": "2099-01-01",
                }
            )
    for i, (diagnosis, phenotypes) in enumerate(
        [("KAGGLE:Migraine", ["HP:0002315"])] * 3
        + [("KAGGLE:Migraine", ["HP:0002315", "HP:0001945"])] * 2
        + [("KAGGLE:Pneumonia", ["HP:0012735", "HP:0001945"])]
    ):
        rows.append(
            {
                "record_id": f"kg{i:012d}",
                "source": "kaggle",
                "age_years": None,
                "sex": "unknown",
                "phenotypes": phenotypes,
                "excluded_phenotypes": [],
                "evidences": [],
                "diagnosis_id": diagnosis,
                "diagnosis_name": diagnosis.split(":")[1],
                "ingestion_date": "2099-01-01",
            }
        )
    rows.append(
        {
            "record_id": "pp000000000001",
            "source": "phenopacket",
            "age_years": 2.0,
            "sex": "male",
            "phenotypes": ["HP:0001250", "HP:0001249"],
            "excluded_phenotypes": ["HP:0012735"],
            "evidences": [],
            "diagnosis_id": "OMIM:100001",
            "diagnosis_name": "Seizure syndrome A",
            "ingestion_date": "2099-01-01",
        }
    )
    # laid out as the Ingest step writes them: partition columns in the path, not in the file
    for source in sorted({r["source"] for r in rows}):
        part = root / f"source={source}" / "ingestion_date=2099-01-01"
        part.mkdir(parents=True, exist_ok=True)
        kept = [
            {k: v for k, v in r.items() if k not in ("source", "ingestion_date")}
            for r in rows
            if r["source"] == source
        ]
        schema = pa.schema([f for f in CANONICAL_SCHEMA if f.name not in ("source", "ingestion_date")])
        pq.write_table(pa.Table.from_pylist(kept, schema=schema), part / "part-0.parquet")
    return root


if __name__ == "__main__":
    base = Path(sys.argv[1])
    write_reference(base / "reference")
    write_processed(base / "processed")
