"""Clinician feedback joined with the audit log: the pure rules, then one local-Spark run of the job."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from ingest import feedback as fb
from ingest import glue_job
from ingest import record as r

DATA = Path(__file__).resolve().parents[3] / "data"
DATE = "2026-12-01"
INPUT = {"modelVersion": "3", "observed": ["HP:0002279", "HP:9999999"], "excluded": ["HP:0001945"],
         "evidences": ["E_91"], "ageBand": "6-17", "sex": "female"}  # fmt: skip


def _feedback(request_id: str, disease: str, ts: str, with_input: bool = True) -> dict:
    return {"timestamp": ts, "feedbackId": f"fb-{request_id}-{ts}", "requestId": request_id,
            "diseaseId": disease, "verdict": "confirmed", "inCatalog": True,
            "input": INPUT if with_input else None}  # fmt: skip


def _audit(request_id: str) -> dict:
    return {"timestamp": "2026-11-30T10:00:00Z", "requestId": request_id, **INPUT,
            "topK": [{"diseaseId": "OMIM:147791", "probability": 0.4}]}  # fmt: skip


def _items(*docs: dict) -> list[tuple]:
    return [fb.classify_line("feedback.jsonl", n, json.dumps(d))[1] for n, d in enumerate(docs, start=1)]


def test_feedback_with_inputs_becomes_a_record_with_the_age_band_midpoint(ref):
    (row,) = fb.stage_request(_items(_feedback("req-1", "OMIM:147791", "2026-12-01T08:00:00Z")), ref)
    assert row[6] is None, row[7]  # reason_code
    assert row[5] == r.record_id("feedback", "req-1")
    assert (row[8], row[9]) == (12.0, "female")
    assert row[10] == ["HP:0001250"] and row[11] == ["HP:0001945"] and row[12] == ["E_91"]
    assert row[13] == "OMIM:147791"
    assert {"kind": r.UNRESOLVED_HPO, "term": "HP:9999999"} in row[15]


def test_every_catalog_prefix_is_a_valid_label(ref):
    # the Kaggle diseases of the common side and the DECIPHER entries of the orphan side can be confirmed too
    for label in ("KAGGLE:Diabetes", "DECIPHER:12", "ORPHA:558", "DDXPLUS:URTI"):
        (row,) = fb.stage_request(_items(_feedback("req-l", label, "2026-12-01T08:00:00Z")), ref)
        assert row[6] is None and row[13] == label, (label, row[7])


def test_feedback_without_inputs_is_joined_with_its_audit_record(ref):
    items = _items(_audit("req-2"), _feedback("req-2", "DDXPLUS:URTI", "2026-12-01T08:00:00Z", False))
    (row,) = fb.stage_request(items, ref)
    assert row[6] is None and row[13] == "DDXPLUS:URTI" and row[10] == ["HP:0001250"]


def test_feedback_without_inputs_or_audit_record_goes_to_quarantine_with_the_reason(ref):
    (row,) = fb.stage_request(_items(_feedback("req-3", "OMIM:1", "2026-12-01T08:00:00Z", False)), ref)
    assert row[6] == r.FEEDBACK_WITHOUT_INPUT and "req-3" in row[7]


def test_a_later_correction_supersedes_the_earlier_confirmation(ref):
    first = _feedback("req-4", "OMIM:1", "2026-12-01T08:00:00Z")
    later = {**_feedback("req-4", "ORPHA:558", "2026-12-01T09:00:00Z"), "verdict": "corrected"}
    rows = fb.stage_request(_items(later, first), ref)
    kept = [x for x in rows if x[6] is None]
    superseded = [x for x in rows if x[6] == r.SUPERSEDED]
    assert [x[13] for x in kept] == ["ORPHA:558"]
    assert len(superseded) == 1 and "2026-12-01T09:00:00Z" in superseded[0][7]


def test_a_token_the_service_ignored_does_not_quarantine_the_label(ref):
    # GIVEN the audit record of a request with an unknown token, as the service writes it: the answers the model used
    # in evidences, the ignored token (answered with UNKNOWN_EVIDENCE) apart
    audit = {**_audit("req-6"), "evidences": ["E_91"], "unknownEvidences": ["E_54"]}
    label = _feedback("req-6", "DDXPLUS:URTI", "2026-12-01T08:00:00Z", with_input=False)
    # WHEN
    (row,) = fb.stage_request(_items(audit, label), ref)
    # THEN the label trains on what the model used
    assert row[6] is None, row[7]
    assert row[12] == ["E_91"]


def test_audit_records_without_feedback_are_unlabeled_and_produce_no_row(ref):
    assert fb.stage_request(_items(_audit("req-5")), ref) == []


def test_bad_labels_and_inputs_are_rejected_naming_the_problem(ref):
    cases = {
        r.UNSUPPORTED_DIAGNOSIS: _feedback("a", "MONDO:0008678", "t"),
        r.MISSING_FIELD: {**_feedback("b", "OMIM:1", "t"), "diseaseId": None},
        r.INVALID_AGE: {**_feedback("c", "OMIM:1", "t"), "input": {**INPUT, "ageBand": "200"}},
        r.UNKNOWN_EVIDENCE: {**_feedback("d", "OMIM:1", "t"), "input": {**INPUT, "evidences": ["E_0"]}},
        r.NO_VALID_PHENOTYPE: {**_feedback("e", "OMIM:1", "t"),
                               "input": {**INPUT, "observed": ["HP:9999999"], "evidences": []}},
        r.MALFORMED_JSON: {**_feedback("f", "OMIM:1", "t"), "input": {**INPUT, "observed": "HP:0001250"}},
    }  # fmt: skip
    for code, doc in cases.items():
        (row,) = fb.stage_request(_items(doc), ref)
        assert row[6] == code, (code, row[7])


def test_unusable_lines_are_quarantined_not_dropped(ref):
    key, item = fb.classify_line("audit.jsonl", 7, '{"requestId": "x", "topK": [')  # a torn last line
    assert key is None
    rows = fb.stage_request([item, fb.classify_line("audit.jsonl", 8, "[1, 2]")[1]], ref)
    assert [(x[6], x[2]) for x in rows] == [(r.MALFORMED_JSON, 7), (r.MALFORMED_JSON, 8)]
    assert "no requestId" in rows[1][7]
    assert fb.classify_line("x.jsonl", 1, '{"no": "id"}')[0] is None


def test_job_reads_the_services_audit_and_feedback_folders_and_shipped_batches(spark, tmp_path):
    # GIVEN the layout the local runner links into the raw zone: feedback/audit and feedback/labels
    home = tmp_path / "home"
    (home / "audit").mkdir(parents=True)
    (home / "feedback").mkdir()
    (home / "audit" / "audit-2026-11-30.jsonl").write_text(
        "\n".join(json.dumps(_audit(f"req-{i}")) for i in range(3)) + "\n"
    )
    labels = [
        _feedback("req-0", "OMIM:147791", "2026-12-01T08:00:00Z"),
        _feedback("req-1", "DDXPLUS:URTI", "2026-12-01T08:01:00Z", with_input=False),
        _feedback("req-9", "OMIM:1", "2026-12-01T08:02:00Z", with_input=False),  # no audit record
    ]
    (home / "feedback" / "feedback-2026-12-01.jsonl").write_text(
        "\n".join(json.dumps(x) for x in labels) + "\n"
    )
    raw = tmp_path / "raw" / "feedback"
    raw.mkdir(parents=True)
    (raw / "audit").symlink_to(home / "audit")
    (raw / "labels").symlink_to(home / "feedback")
    # AND a batch as the service ships it to the audit bucket (<file>.<from>-<to>), copied into the raw zone
    shipped = raw / "shipped" / "feedback" / "task-1"
    shipped.mkdir(parents=True)
    batch = json.dumps(_feedback("req-2", "ORPHA:558", "2026-12-01T09:00:00Z")) + "\n"
    (shipped / f"feedback-2026-12-01.jsonl.0-{len(batch)}").write_text(batch)
    (shipped / ".shipped.json").write_text("{}")  # hidden files are never records
    out = {z: str(tmp_path / z) for z in ("processed", "quarantine", "reports")}
    argv = ["--raw_uri", str(tmp_path / "raw"), "--hpo_uri", str(DATA / "hpo"), "--processed_uri",
            out["processed"], "--quarantine_uri", out["quarantine"], "--report_uri", out["reports"],
            "--ingestion_date", DATE]  # fmt: skip
    # WHEN the job runs
    dq = glue_job.main(argv)
    # THEN two labels became records and the unjoinable one is in quarantine
    source = dq["sources"]["feedback"]
    assert (source["read"], source["accepted"]) == (4, 3)
    assert source["quarantinedByReason"] == {r.FEEDBACK_WITHOUT_INPUT: 1}
    table = pq.read_table(Path(out["processed"]) / f"source=feedback/ingestion_date={DATE}").to_pylist()
    assert sorted(x["diagnosis_id"] for x in table) == ["DDXPLUS:URTI", "OMIM:147791", "ORPHA:558"]


def test_job_joins_labels_with_audit_records_replicated_beside_them_in_the_raw_zone(spark, tmp_path):
    # GIVEN the AWS layout: S3 replicates the audit bucket's audit/ and feedback/ prefixes into the raw zone under
    # the same keys, so the labels are in <raw>/feedback and the audit records they need in <raw>/audit
    raw = tmp_path / "raw"
    (raw / "audit" / "task-1").mkdir(parents=True)
    (raw / "feedback" / "task-1").mkdir(parents=True)
    audit = json.dumps(_audit("req-7")) + "\n"
    (raw / "audit" / "task-1" / f"audit-2026-12-01.jsonl.0-{len(audit)}").write_text(audit)
    label = json.dumps(_feedback("req-7", "OMIM:147791", "2026-12-01T10:00:00Z", with_input=False)) + "\n"
    (raw / "feedback" / "task-1" / f"feedback-2026-12-01.jsonl.0-{len(label)}").write_text(label)
    out = {z: str(tmp_path / z) for z in ("processed", "quarantine", "reports")}
    argv = ["--raw_uri", str(raw), "--hpo_uri", str(DATA / "hpo"), "--processed_uri", out["processed"],
            "--quarantine_uri", out["quarantine"], "--report_uri", out["reports"], "--ingestion_date", DATE]  # fmt: skip
    # WHEN the job runs THEN the label without inputs found its audit record and became a record
    dq = glue_job.main(argv)
    # (audit lines are not counted as read: they are not labeled records)
    assert (dq["sources"]["feedback"]["read"], dq["sources"]["feedback"]["accepted"]) == (1, 1)
    table = pq.read_table(Path(out["processed"]) / f"source=feedback/ingestion_date={DATE}").to_pylist()
    assert [x["diagnosis_id"] for x in table] == ["OMIM:147791"]
