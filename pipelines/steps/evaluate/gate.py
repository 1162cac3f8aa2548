"""The quality gate: absolute thresholds from config, and no regression against the current champion."""

from __future__ import annotations

# metric path in evaluation.json -> threshold key in the QualityThresholds parameter
ABSOLUTE = {
    "common.complete.top1": "commonTop1",
    "common.halfEvidence.top1": "commonHalfEvidenceTop1",
    "orphan.simulated.top10": "orphanTop10",
}
# metrics compared with the champion (higher is better)
REGRESSION = (
    "common.complete.top1",
    "common.halfEvidence.top1",
    "orphan.simulated.top10",
    "orphan.timesplit.top10",
)


def lookup(metrics: dict, path: str):
    node = metrics
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check(metrics: dict, thresholds: dict, champion: dict) -> dict:
    reasons = []
    for path, key in ABSOLUTE.items():
        if key in thresholds:
            value = lookup(metrics, path)
            if value is None or value < thresholds[key]:
                reasons.append(f"{path}={value} is below the threshold {key}={thresholds[key]}")
    tolerance = float(thresholds.get("maxRegression", 0.02))
    for path in REGRESSION:
        new, old = lookup(metrics, path), lookup(champion, path)
        if new is not None and old is not None and new < old - tolerance:
            reasons.append(f"{path}={new} regressed from the champion's {old} by more than {tolerance}")
    return {
        "passed": not reasons,
        "reasons": reasons,
        "thresholds": thresholds,
        "championCompared": bool(champion),
    }
