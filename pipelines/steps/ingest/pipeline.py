"""The ingestion job without any Glue dependency: read every source, validate, deduplicate, write the processed and
quarantine zones and the data-quality report. glue_job.py calls ``run`` from Glue or from local Spark."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pyspark.sql import SparkSession

from common.hpo import load_ontology
from ingest import mappings as m
from ingest import readers, report, validation, writer
from ingest.record import STAGED_SCHEMA
from ingest.storage import IngestError, directory_of, newest, read_bytes, write_bytes

# pipelines/mappings, next to the step scripts in the repo and in the step image
DEFAULT_MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"


@dataclass(frozen=True)
class Options:
    raw_uri: str
    processed_uri: str
    quarantine_uri: str
    report_uri: str
    ingestion_date: str
    hpo_uri: str | None = None  # default <raw_uri>/hpo (the newest hp.v*.json[.gz] in it)
    mappings_uri: str | None = None  # default pipelines/mappings of this checkout
    ddxplus_uri: str | None = None  # default <raw_uri>/ddxplus; the same for kaggle and phenopackets
    kaggle_uri: str | None = None
    phenopackets_uri: str | None = None
    # the service's audit/ and feedback/ JSON Lines (default <raw_uri>/feedback, plus <raw_uri>/audit: in AWS the
    # audit bucket's records are replicated there)
    feedback_uri: str | None = None

    def extra_roots(self) -> dict[str, list[str]]:
        """More folders a source reads from (readers.EXTRA_FOLDERS), unless its folder was given explicitly."""
        raw = self.raw_uri.rstrip("/")
        return {
            source: [f"{raw}/{folder}" for folder in folders]
            for source, folders in readers.EXTRA_FOLDERS.items()
            if getattr(self, f"{readers.LAYOUT[source][0]}_uri") is None
        }

    def source_roots(self) -> dict[str, str]:
        raw = self.raw_uri.rstrip("/")
        return {
            source: getattr(self, f"{folder}_uri") or f"{raw}/{folder}"
            for source, (folder, _) in readers.LAYOUT.items()
        }


def run(spark: SparkSession, options: Options) -> dict:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", options.ingestion_date):
        raise IngestError(f"--ingestion_date {options.ingestion_date!r} is not YYYY-MM-DD")
    roots, extra = options.source_roots(), options.extra_roots()
    files = readers.discover(spark, roots, extra)
    if not files:
        searched = sorted([*roots.values(), *(r for rs in extra.values() for r in rs)])
        raise IngestError(f"no input files under {searched}")
    sources_read = sorted({f.source for f in files})
    ref, ref_inputs, mapping_coverage = load_reference(spark, options, roots, "ddxplus" in sources_read)

    staged = spark.createDataFrame(
        readers.stage_all(spark, files, spark.sparkContext.broadcast(ref)), STAGED_SCHEMA
    )
    final = validation.mark_duplicates(staged).persist()
    date = options.ingestion_date
    records = validation.accepted(final, date)
    writer.write_zones(
        records, validation.quarantined(final, date), options.processed_uri, options.quarantine_uri
    )
    written = {
        "processed": writer.count_written(spark, options.processed_uri, "parquet", sources_read, date),
        "quarantine": writer.count_written(spark, options.quarantine_uri, "json", sources_read, date),
    }
    digests = writer.file_digests(spark, [f.uri for f in files])
    inputs = [
        {"source": f.source, "uri": f.uri, **digests.get(f.uri, {}), "headerProblem": f.header_problem}
        for f in files
    ]
    dq = report.build_report(
        ingestion_date=date,
        hpo_version=ref.hpo_version,
        outcomes=validation.outcome_counts(final),
        written=written,
        terms=validation.term_counts(final),
        phenotypes=validation.phenotype_stats(records),
        inputs=inputs + ref_inputs,
        mappings=mapping_coverage,
        outputs={"processed": options.processed_uri, "quarantine": options.quarantine_uri},
    )
    final.unpersist()
    report_path = f"{options.report_uri.rstrip('/')}/ingestion_date={date}/dq-report.json"
    write_bytes(spark, report_path, json.dumps(dq, indent=2, ensure_ascii=False).encode())
    report.check_balance(dq)  # after writing the report, so a failed run still leaves its numbers behind
    return dq


def load_reference(spark, options: Options, roots: dict[str, str], with_ddxplus: bool):
    """The broadcast reference data, the lineage of each reference file, and the coverage of each mapping."""
    inputs: list[dict] = []

    def fetch(uri: str) -> bytes:
        data = read_bytes(spark, uri)
        inputs.append(
            {
                "source": "reference",
                "uri": uri,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
        )
        return data

    hpo_uri = newest(
        spark, options.hpo_uri or f"{options.raw_uri.rstrip('/')}/hpo", "hp.", (".json.gz", ".json")
    )
    suffix = ".json.gz" if hpo_uri.endswith(".gz") else ".json"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(fetch(hpo_uri))
        tmp.flush()
        ontology = load_ontology(tmp.name)
    resolve = m.hpo_resolver(ontology)

    mapping_dir = options.mappings_uri or str(DEFAULT_MAPPINGS)
    texts, coverage = {}, {}
    for name in (m.KAGGLE_SYMPTOMS, m.KAGGLE_DISEASES, m.DDXPLUS_EVIDENCES):
        uri = newest(spark, mapping_dir, f"{name}.v", (".csv",))
        texts[name] = fetch(uri).decode("utf-8")
        coverage[uri.rsplit("/", 1)[-1]] = m.summary(texts[name])
    evidences, conditions = {}, frozenset()
    if with_ddxplus:
        knowledge = directory_of(spark, roots["ddxplus"])
        evidences = m.ddxplus_questionnaire(json.loads(fetch(f"{knowledge}/release_evidences.json")))
        conditions = frozenset(json.loads(fetch(f"{knowledge}/release_conditions.json")))
    ref = m.Reference(
        hpo_version=ontology.version,
        hpo=resolve,
        evidences=evidences,
        conditions=conditions,
        evidence_hpo=m.parse_term_mapping(texts[m.DDXPLUS_EVIDENCES], m.DDXPLUS_EVIDENCES, resolve.get),
        symptom_hpo=m.parse_term_mapping(texts[m.KAGGLE_SYMPTOMS], m.KAGGLE_SYMPTOMS, resolve.get),
        kaggle_diseases=m.parse_disease_mapping(texts[m.KAGGLE_DISEASES], m.KAGGLE_DISEASES),
        not_findings=m.not_findings(ontology),
    )
    return ref, inputs, coverage
