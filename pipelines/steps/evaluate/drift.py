"""The drift baseline: per feature family, the share of reference requests in each bin (docs/model-package.md).

The service keeps the same histograms over live traffic and reports the population stability index against these.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from common.features import Request

AGE_BINS = ("unknown", "0-1", "2-5", "6-17", "18-39", "40-64", "65+")
SEX_BINS = ("unknown", "female", "male")
COUNT_BINS = ("0", "1", "2-3", "4-7", "8-15", "16+")
CONFIDENCE_BINS = tuple(f"{i / 10:.1f}-{(i + 1) / 10:.1f}" for i in range(10))
CATEGORY_BINS = ("common", "orphan")


def age_bin(age: float) -> str:
    if age < 0:
        return "unknown"
    years = int(age)
    for label, upper in (("0-1", 1), ("2-5", 5), ("6-17", 17), ("18-39", 39), ("40-64", 64)):
        if years <= upper:
            return label
    return "65+"


def count_bin(n: int) -> str:
    for label, upper in (("0", 0), ("1", 1), ("2-3", 3), ("4-7", 7), ("8-15", 15)):
        if n <= upper:
            return label
    return "16+"


def confidence_bin(p: float) -> str:
    return CONFIDENCE_BINS[min(9, int(p * 10))]


def _shares(counter: Counter, bins) -> list[float]:
    total = sum(counter[b] for b in bins) or 1
    return [round(counter[b] / total, 6) for b in bins]


def drift_baseline(
    requests: list[Request], top_probs: list[float], top_categories: list[str], systems: list[str | None]
) -> dict:
    """``systems``: per vocabulary index, the term's organ-system id (or None)."""
    system_bins = sorted({s for s in systems if s})
    counters = {
        name: Counter()
        for name in ("ageBand", "sex", "phenotypeCount", "system", "confidence", "predictedCategory")
    }
    for req, p, cat in zip(requests, top_probs, top_categories, strict=True):
        counters["ageBand"][age_bin(req.age)] += 1
        counters["sex"][SEX_BINS[req.sex]] += 1
        counters["phenotypeCount"][count_bin(len(req.observed))] += 1
        for t in req.observed:
            if systems[t]:
                counters["system"][systems[t]] += 1
        counters["confidence"][confidence_bin(p)] += 1
        counters["predictedCategory"][cat] += 1
    bins = {
        "ageBand": AGE_BINS,
        "sex": SEX_BINS,
        "phenotypeCount": COUNT_BINS,
        "system": tuple(system_bins),
        "confidence": CONFIDENCE_BINS,
        "predictedCategory": CATEGORY_BINS,
    }
    return {
        "requests": len(requests),
        "families": {
            name: {"bins": list(b), "expected": _shares(counters[name], b)} for name, b in bins.items()
        },
    }


def psi(expected: list[float], actual: list[float], floor: float = 1e-4) -> float:
    """Population stability index, shares floored so empty bins do not make it infinite."""
    e = np.maximum(np.array(expected, float), floor)
    a = np.maximum(np.array(actual, float), floor)
    return float(np.sum((a - e) * np.log(a / e)))
