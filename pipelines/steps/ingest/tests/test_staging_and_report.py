"""Staging (raw unit -> staged row with reason) and the data-quality report arithmetic."""

from __future__ import annotations

import json

import pytest

from ingest import record as r
from ingest import report, staging
from ingest.record import STAGED_SCHEMA
from ingest.storage import IngestError

FIELDS = [f.name for f in STAGED_SCHEMA.fields]
DDX_HEADER = ["AGE", "DIFFERENTIAL_DIAGNOSIS", "SEX", "PATHOLOGY", "EVIDENCES", "INITIAL_EVIDENCE"]


def _row(staged: tuple) -> dict:
    assert len(staged) == len(FIELDS)
    return dict(zip(FIELDS, staged, strict=True))


def test_header_problem_accepts_official_headers_and_names_what_is_missing():
    assert staging.header_problem("ddxplus", DDX_HEADER) is None
    assert staging.header_problem("kaggle", [""] * 18) is None
    assert staging.header_problem("kaggle", ["Disease", *(f"Symptom_{i}" for i in range(1, 18))]) is None
    assert "INITIAL_EVIDENCE" in staging.header_problem("ddxplus", DDX_HEADER[:-1])
    assert staging.header_problem("kaggle", ["prognosis", "x"]) is not None


def test_stage_csv_line_accepts_a_ddxplus_row_with_id_and_hash(ref):
    line = "40,[],F,URTI,\"['E_91']\",E_91"
    row = _row(staging.stage_csv_line("ddxplus", "p.csv", 2, line, DDX_HEADER, None, ref))
    assert row["reason_code"] is None and row["record_id"] == r.record_id("ddxplus", "p.csv:2")
    assert json.loads(row["raw"])["PATHOLOGY"] == "URTI" and len(row["content_hash"]) == 64


def test_stage_csv_line_quarantines_bad_header_and_wrong_width_with_raw_line(ref):
    bad = _row(staging.stage_csv_line("ddxplus", "p.csv", 2, "1,2", DDX_HEADER, "header lacks ['AGE']", ref))
    assert (bad["reason_code"], json.loads(bad["raw"])) == (r.BAD_HEADER, "1,2")
    assert "p.csv" in bad["reason"]
    short = _row(staging.stage_csv_line("ddxplus", "p.csv", 3, "40,[],F", DDX_HEADER, None, ref))
    assert short["reason_code"] == r.MALFORMED_ROW and json.loads(short["raw"]) == ["40", "[]", "F"]


def test_stage_json_file_keeps_every_document_and_quarantines_malformed_lines(ref):
    text = '{"subject": {}, "phenotypicFeatures": [{"type": {"id": "HP:0001945"}}], "diseases": [{"term": {"id": "OMIM:1"}}]}\n{oops\n'
    rows = [_row(s) for s in staging.stage_json_file("phenopacket", "a.jsonl", text, ref)]
    assert [(x["line"], x["reason_code"]) for x in rows] == [(1, None), (2, r.MALFORMED_JSON)]
    assert json.loads(rows[1]["raw"]) == "{oops"


def _report(outcomes, written):
    return report.build_report(
        ingestion_date="2026-11-24", hpo_version="v", outcomes=outcomes, written=written,
        terms=[("kaggle", r.UNKNOWN_SYMPTOM, "nose_bleed", 2), ("kaggle", r.UNMAPPED_SYMPTOM, "itching", 5)],
        phenotypes={"kaggle": {"recordsWithPhenotypes": 3, "meanPhenotypes": 2.0}},
        inputs=[], mappings={}, outputs={},
    )  # fmt: skip


def test_build_report_counts_per_source_and_reason_and_lists_unknown_terms():
    outcomes = [("kaggle", None, 3), ("kaggle", r.DUPLICATE, 4), ("kaggle", r.MALFORMED_ROW, 1)]
    dq = _report(outcomes, {"processed": {"kaggle": 3}, "quarantine": {"kaggle": 5}})
    kaggle = dq["sources"]["kaggle"]
    assert (kaggle["read"], kaggle["accepted"], kaggle["quarantined"]) == (8, 3, 5)
    assert kaggle["quarantinedByReason"] == {r.DUPLICATE: 4, r.MALFORMED_ROW: 1}
    assert kaggle["terms"][r.UNMAPPED_SYMPTOM] == {"itching": 5}
    assert dq["unknownTerms"] == [
        {"source": "kaggle", "kind": r.UNKNOWN_SYMPTOM, "term": "nose_bleed", "count": 2}
    ]
    assert dq["totals"] == {"read": 8, "accepted": 3, "quarantined": 5}
    report.check_balance(dq)


@pytest.mark.parametrize(
    "written",
    [
        {"processed": {"kaggle": 2}, "quarantine": {"kaggle": 5}},
        {"processed": {"kaggle": 5}, "quarantine": {"kaggle": 3}},
    ],
)
def test_check_balance_fails_when_written_counts_do_not_match(written):
    dq = _report([("kaggle", None, 3), ("kaggle", r.DUPLICATE, 5)], written)
    with pytest.raises(IngestError, match="kaggle: read 8"):
        report.check_balance(dq)
