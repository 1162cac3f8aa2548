"""A phenopacket's age in years, from any form of the GA4GH TimeElement.

Phenopacket v2 writes a time as an ISO 8601 age (``P6Y3M``), an age range, an HPO onset term ("Infantile onset"), a
gestational age or a timestamp. Collections such as phenopacket-store use all of them, and many of their cases give no
``subject.timeAtLastEncounter`` but do date their findings (``phenotypicFeatures[].onset``). The patient was at
least as old as the latest of those, which is what the age is used for: a disease that begins later than the
patient's findings is less likely (the ranker's too-young rule). ``diseases[]`` is the diagnosis and is not read for
the age. containers/inference/src/model/time-element.ts reads the same forms for the API and ``dxops evaluate``;
pipelines/mappings/hpo-onset-years.v1.csv is the onset table both sides are tested against.
"""

from __future__ import annotations

from datetime import date

from common.annotations import ONSET_YEARS
from ingest import record as r


def phenopacket_age(packet: dict) -> float | None:
    """``subject.timeAtLastEncounter``, else the latest onset of an observed finding."""
    subject = packet.get("subject") or {}
    encounter = subject.get("timeAtLastEncounter")
    if encounter:
        return r.check_age(time_years(encounter, "subject.timeAtLastEncounter", subject.get("dateOfBirth")))
    onsets = [
        time_years(f["onset"], "phenotypicFeatures[].onset", subject.get("dateOfBirth"))
        for f in packet.get("phenotypicFeatures") or []
        if f.get("onset") and not f.get("excluded")
    ]
    known = [a for a in onsets if a is not None]
    return r.check_age(max(known)) if known else None


def time_years(element: dict, where: str, birth: str | None = None) -> float | None:
    """One TimeElement -> years; None for the forms that carry no age (an interval, a timestamp without a birth date).

    An age range and an onset class give their midpoint: a point estimate, since the record holds one age."""
    if not isinstance(element, dict):
        raise r.InvalidRecordError(r.INVALID_AGE, f"{where} is not a TimeElement object")
    if "age" in element:
        return r.parse_iso_age(str((element["age"] or {}).get("iso8601duration", "")))
    if "ageRange" in element:
        ends = [(element["ageRange"] or {}).get(k) or {} for k in ("start", "end")]
        years = [r.parse_iso_age(str(e["iso8601duration"])) for e in ends if e.get("iso8601duration")]
        if not years:
            raise r.InvalidRecordError(r.INVALID_AGE, f"{where}.ageRange has neither a start nor an end age")
        return round(sum(years) / len(years), 4)
    if "ontologyClass" in element:
        term = str((element["ontologyClass"] or {}).get("id", ""))
        if term not in ONSET_YEARS:
            raise r.InvalidRecordError(
                r.INVALID_AGE, f"{where}.ontologyClass {term!r} is not an HPO onset term"
            )
        earliest, latest = ONSET_YEARS[term]
        return (earliest + latest) / 2
    if "gestationalAge" in element:
        return 0.0  # before birth
    if "timestamp" in element and birth:
        return _years_between(birth, str(element["timestamp"]), where)
    return None


def _years_between(birth: str, timestamp: str, where: str) -> float:
    try:
        days = (date.fromisoformat(timestamp[:10]) - date.fromisoformat(birth[:10])).days
    except ValueError as err:
        raise r.InvalidRecordError(r.INVALID_AGE, f"{where}.timestamp or subject.dateOfBirth: {err}") from err
    return round(days / 365.25, 4)
