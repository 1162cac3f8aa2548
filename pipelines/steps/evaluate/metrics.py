"""Ranking and calibration metrics over a labeled set of predictions."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np


def rank_of(probs: np.ndarray, truth: int) -> float:
    """1-based rank of the true class; ties count against the model (an honest rank)."""
    if truth < 0:
        return float("inf")
    return float((probs >= probs[truth]).sum())


def ranking_metrics(ranks: list[float], ks=(1, 3, 10)) -> dict:
    r = np.array(ranks, dtype=float)
    if len(r) == 0:
        return {"n": 0}
    out = {"n": len(r)}
    for k in ks:
        out[f"top{k}"] = round(float((r <= k).mean()), 4)
    out["mrr"] = round(float(np.mean(1.0 / r)), 4)
    return out


def per_class(truths: list[int], preds: list[int], names: dict[int, str]) -> tuple[dict, float]:
    """Recall per class with its support, and macro F1 over the classes present in the truth."""
    tp, fp, fn, support = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int)
    for t, p in zip(truths, preds, strict=True):
        support[t] += 1
        if t == p:
            tp[t] += 1
        else:
            fp[p] += 1
            fn[t] += 1
    recall, f1s = {}, []
    for c in sorted(support):
        rec = tp[c] / support[c]
        prec = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        recall[names.get(c, str(c))] = {"recall": round(rec, 4), "support": support[c]}
    return recall, round(float(np.mean(f1s)), 4) if f1s else 0.0


def calibration(confidences: list[float], correct: list[bool], bins: int = 10) -> tuple[float, list[dict]]:
    """Expected calibration error of the top-1 probability, and the reliability curve."""
    conf, hit = np.array(confidences), np.array(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    ece, curve = 0.0, []
    for lo, hi in itertools.pairwise(edges):
        mask = (conf >= lo) & ((conf < hi) if hi < 1 else (conf <= hi))
        if mask.any():
            gap = abs(conf[mask].mean() - hit[mask].mean())
            ece += mask.mean() * gap
            curve.append(
                {
                    "bin": [round(lo, 2), round(hi, 2)],
                    "confidence": round(float(conf[mask].mean()), 4),
                    "accuracy": round(float(hit[mask].mean()), 4),
                    "n": int(mask.sum()),
                }
            )
    return round(float(ece), 4), curve


def auroc(scores: list[float], labels: list[int]) -> float:
    """Area under the ROC curve (Mann-Whitney), ties counted half."""
    s, y = np.array(scores), np.array(labels)
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return round(float(greater / (len(pos) * len(neg))), 4)
