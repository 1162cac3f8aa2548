"""The data-quality report: what was read, accepted and quarantined per source and reason, which terms did not
make it into the records as written, mapping coverage, and the lineage of every input. Pure: dicts in, dict out."""

from __future__ import annotations

from collections import defaultdict

from ingest.record import UNKNOWN_SYMPTOM, UNRESOLVED_HPO
from ingest.storage import IngestError

SCHEMA_VERSION = 1
UNKNOWN_KINDS = (UNRESOLVED_HPO, UNKNOWN_SYMPTOM)


def build_report(
    *,
    ingestion_date: str,
    hpo_version: str,
    outcomes: list[tuple[str, str | None, int]],
    written: dict[str, dict[str, int]],
    terms: list[tuple[str, str, str, int]],
    phenotypes: dict[str, dict],
    inputs: list[dict],
    mappings: dict[str, dict],
    outputs: dict[str, str],
) -> dict:
    sources: dict[str, dict] = {}
    for source, reason, count in sorted(outcomes, key=lambda o: (o[0], o[1] or "")):
        entry = sources.setdefault(source, _empty_source())
        entry["read"] += count
        if reason is None:
            entry["accepted"] += count
        else:
            entry["quarantined"] += count
            entry["quarantinedByReason"][reason] = count
    for source, entry in sources.items():
        entry["written"] = {zone: counts.get(source, 0) for zone, counts in written.items()}
        entry.update(phenotypes.get(source, {"recordsWithPhenotypes": 0, "meanPhenotypes": 0.0}))
    notes: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for source, kind, term, count in sorted(terms):
        notes[source][kind][term] = count
    for source, kinds in notes.items():
        sources.setdefault(source, _empty_source())["terms"] = {k: dict(v) for k, v in kinds.items()}
    unknown = [
        {"source": s, "kind": k, "term": t, "count": c} for s, k, t, c in sorted(terms) if k in UNKNOWN_KINDS
    ]
    return {
        "schemaVersion": SCHEMA_VERSION,
        "ingestionDate": ingestion_date,
        "hpoVersion": hpo_version,
        "totals": {key: sum(e[key] for e in sources.values()) for key in ("read", "accepted", "quarantined")},
        "sources": sources,
        "unknownTerms": unknown,
        "mappings": mappings,
        "inputs": sorted(inputs, key=lambda i: i["uri"]),
        "outputs": outputs,
    }


def check_balance(report: dict) -> None:
    """Nothing is lost: per source, what landed in the zones adds up to what was read and to the staged outcome."""
    problems = []
    for source, entry in report["sources"].items():
        written = entry["written"]
        balanced = entry["accepted"] + entry["quarantined"] == entry["read"]
        if not balanced or (written.get("processed"), written.get("quarantine")) != (
            entry["accepted"],
            entry["quarantined"],
        ):
            problems.append(
                f"{source}: read {entry['read']}, accepted {entry['accepted']} + quarantined "
                f"{entry['quarantined']}, written {entry['written']}"
            )
    if problems:
        raise IngestError("records lost between reading and writing: " + "; ".join(problems))


def _empty_source() -> dict:
    return {"read": 0, "accepted": 0, "quarantined": 0, "quarantinedByReason": {}, "terms": {}}
