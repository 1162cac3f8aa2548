"""One local-Spark run of glue_job.main on a tiny raw zone holding good and bad rows of every source."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ingest import glue_job
from ingest import record as r
from ingest.storage import IngestError

DATA = Path(__file__).resolve().parents[3] / "data"
DATE = "2026-11-24"
DDX = """AGE,DIFFERENTIAL_DIAGNOSIS,SEX,PATHOLOGY,EVIDENCES,INITIAL_EVIDENCE
40,[],F,URTI,"['E_91', 'E_201', 'E_55_@_V_89']",E_91
40,[],F,URTI,"['E_201', 'E_91', 'E_55_@_V_89']",E_91
7,[],M,Possible NSTEMI / STEMI,"['E_53', 'E_55_@_V_29']",E_53
130,[],M,URTI,"['E_91']",E_91
33,[],F,URTI,"['E_91', 'E_9999']",E_91

"""
KAGGLE_BLANK = "," * 17
PACKET = {
    "id": "pp-1",
    "subject": {"id": "s1", "sex": "FEMALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P6Y3M"}}},
    "phenotypicFeatures": [{"type": {"id": "HP:0002279"}}, {"type": {"id": "HP:9999999"}},
                           {"type": {"id": "HP:0001263"}, "excluded": True}],
    "diseases": [{"term": {"id": "OMIM:147791", "label": "Jacobsen syndrome"}}],
}  # fmt: skip


def _kaggle_row(disease: str, *symptoms: str) -> str:
    return ",".join([disease, *symptoms, *[""] * (17 - len(symptoms))])


def _raw_zone(root: Path) -> Path:
    raw = root / "raw"
    (raw / "ddxplus").mkdir(parents=True)
    (raw / "ddxplus" / "patients.csv").write_text(DDX)
    for name in ("release_evidences.json", "release_conditions.json"):
        shutil.copy(DATA / "ddxplus" / name, raw / "ddxplus" / name)
    (raw / "kaggle").mkdir()
    rows = [
        _kaggle_row("Fungal infection", "itching", " skin_rash"),
        _kaggle_row("Fungal infection", " skin_rash", "itching"),  # same symptom set: duplicate
        _kaggle_row("Diabetes ", " obesity", " polyuria"),
        _kaggle_row("Space flu", " cough"),
        "Acne,pus_filled_pimples",
    ]
    (raw / "kaggle" / "dataset.csv").write_text("\n".join([KAGGLE_BLANK, *rows]) + "\n")
    (raw / "kaggle" / "Training.csv").write_text("itching,skin_rash,prognosis\n1,0,Fungal infection\n")
    (raw / "kaggle" / "empty.csv").write_text("")
    (raw / "phenopackets" / "cohort").mkdir(parents=True)
    (raw / "phenopackets" / "pp-1.json").write_text(json.dumps(PACKET, indent=2))
    lines = [
        json.dumps({**PACKET, "id": "pp-2", "metaData": {"created": "2025"}}),  # same content as pp-1
        "{not json",
        json.dumps({**PACKET, "id": "pp-3", "diseases": [{"term": {"id": "MONDO:0008678"}}]}),
    ]
    (raw / "phenopackets" / "cohort" / "batch.jsonl").write_text("\n".join(lines) + "\n")
    (raw / "phenopackets" / "broken.json").write_text("{\n  'subject': nope\n")
    return raw


@pytest.fixture(scope="module")
def run(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("ingest")
    raw = _raw_zone(root)
    out = {z: str(root / z) for z in ("processed", "quarantine", "reports")}
    argv = ["--raw_uri", str(raw), "--hpo_uri", str(DATA / "hpo"), "--processed_uri", out["processed"],
            "--quarantine_uri", out["quarantine"], "--report_uri", out["reports"], "--ingestion_date", DATE]  # fmt: skip
    return argv, out, glue_job.main(argv)


def _quarantine(out: dict) -> dict[tuple[str, str], list[dict]]:
    found: dict[tuple[str, str], list[dict]] = {}
    for path in Path(out["quarantine"]).rglob("*.json"):
        source = path.parent.parent.name.removeprefix("source=")
        for line in path.read_text().splitlines():
            row = json.loads(line)
            found.setdefault((source, row["reason_code"]), []).append(row)
    return found


def test_report_counts_read_accepted_and_quarantined_per_source_and_reason(run):
    _, out, dq = run
    assert dq == json.loads((Path(out["reports"]) / f"ingestion_date={DATE}" / "dq-report.json").read_text())
    ddx, kaggle, pp = (dq["sources"][s] for s in ("ddxplus", "kaggle", "phenopacket"))
    assert (ddx["read"], ddx["accepted"], ddx["quarantinedByReason"]) == (
        5, 2, {r.DUPLICATE: 1, r.INVALID_AGE: 1, r.UNKNOWN_EVIDENCE: 1})  # fmt: skip
    assert (kaggle["read"], kaggle["accepted"]) == (6, 2)
    assert kaggle["quarantinedByReason"] == {r.BAD_HEADER: 1, r.DUPLICATE: 1, r.MALFORMED_ROW: 1,
                                             r.UNKNOWN_DIAGNOSIS: 1}  # fmt: skip
    assert (pp["read"], pp["accepted"]) == (5, 1)
    assert pp["quarantinedByReason"] == {r.DUPLICATE: 1, r.MALFORMED_JSON: 2, r.UNSUPPORTED_DIAGNOSIS: 1}
    assert dq["totals"] == {"read": 16, "accepted": 5, "quarantined": 11}
    assert "ingest phenopacket: read 5, accepted 1, quarantined 4 (duplicate 1, malformed_json 2," in (
        glue_job.summary(dq)
    )
    assert {"source": "phenopacket", "kind": r.UNRESOLVED_HPO, "term": "HP:9999999", "count": 3} in dq[
        "unknownTerms"
    ]
    assert dq["mappings"]["kaggle-symptoms-to-hpo.v1.csv"]["entries"] == 131
    assert dq["hpoVersion"] == "2025-05-06"
    inputs = {Path(i["uri"]).name: i for i in dq["inputs"]}
    assert len(inputs["patients.csv"]["sha256"]) == 64 and inputs["Training.csv"]["headerProblem"]
    assert inputs["empty.csv"]["bytes"] == 0 and inputs["empty.csv"]["headerProblem"] is None


def test_processed_zone_holds_canonical_records_partitioned_by_source_and_date(run):
    _, out, _ = run
    partitions = sorted(
        p.relative_to(out["processed"]).as_posix() for p in Path(out["processed"]).glob("*/*")
    )
    assert partitions == [f"source={s}/ingestion_date={DATE}" for s in ("ddxplus", "kaggle", "phenopacket")]
    table = pq.read_table(Path(out["processed"]) / f"source=phenopacket/ingestion_date={DATE}")
    assert table.column_names == [
        f.name for f in r.RECORD_SCHEMA.fields if f.name not in ("source", "ingestion_date")
    ]
    (packet,) = table.to_pylist()
    assert packet["phenotypes"] == ["HP:0001250"] and packet["excluded_phenotypes"] == ["HP:0001263"]
    assert (packet["age_years"], packet["sex"], packet["diagnosis_id"]) == (6.25, "female", "OMIM:147791")
    assert packet["record_id"] == r.record_id("phenopacket", "pp-2")  # cohort/batch.jsonl sorts first
    ddx = pq.read_table(Path(out["processed"]) / f"source=ddxplus/ingestion_date={DATE}").to_pylist()
    stemi = next(x for x in ddx if x["diagnosis_id"] == "DDXPLUS:Possible_NSTEMI_STEMI")
    assert stemi["evidences"] == ["E_53", "E_55_@_V_29"] and stemi["phenotypes"] == [
        "HP:0012531",
        "HP:0100749",
    ]


def test_quarantine_keeps_raw_content_reason_and_location(run):
    _, out, _ = run
    q = _quarantine(out)
    (dup,) = q[("ddxplus", r.DUPLICATE)]
    assert dup["location"] == "patients.csv:3" and dup["reason"] == "same content as patients.csv:2"
    assert json.loads(dup["raw"])["EVIDENCES"] == "['E_201', 'E_91', 'E_55_@_V_89']"
    (bad_header,) = q[("kaggle", r.BAD_HEADER)]
    assert (
        bad_header["location"] == "Training.csv:2" and json.loads(bad_header["raw"]) == "1,0,Fungal infection"
    )
    (pp_dup,) = q[("phenopacket", r.DUPLICATE)]
    assert pp_dup["location"] == "pp-1.json:1" and pp_dup["reason"] == "same content as cohort/batch.jsonl:1"
    assert sorted(x["location"] for x in q[("phenopacket", r.MALFORMED_JSON)]) == [
        "broken.json:1",
        "cohort/batch.jsonl:2",
    ]


def test_rerun_for_the_same_date_replaces_its_partitions(run):
    argv, out, first = run
    second = glue_job.main(argv)
    assert second["totals"] == first["totals"]
    assert sum(len(v) for v in _quarantine(out).values()) == first["totals"]["quarantined"]


def test_no_input_files_is_a_clear_error(spark, tmp_path):
    argv = ["--raw_uri", str(tmp_path / "empty"), "--processed_uri", str(tmp_path / "p"), "--quarantine_uri",
            str(tmp_path / "q"), "--report_uri", str(tmp_path / "r")]  # fmt: skip
    with pytest.raises(IngestError, match="no input files"):
        glue_job.main(argv)
