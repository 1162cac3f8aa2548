"""evaluation.json as a self-contained HTML page with inline SVG plots (no plotting library needed)."""

from __future__ import annotations

import html

import numpy as np

W, H, PAD = 360, 240, 36


def _axes(title: str, xlabel: str, ylabel: str) -> list[str]:
    return [
        f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{html.escape(title)}">',
        f'<text x="{W / 2}" y="14" text-anchor="middle" font-weight="bold">{html.escape(title)}</text>',
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - 10}" y2="{H - PAD}" stroke="#333"/>',
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{PAD}" y2="24" stroke="#333"/>',
        f'<text x="{W / 2}" y="{H - 6}" text-anchor="middle" font-size="11">{html.escape(xlabel)}</text>',
        f'<text x="10" y="{H / 2}" font-size="11" transform="rotate(-90 10 {H / 2})" text-anchor="middle">{html.escape(ylabel)}</text>',
    ]


def _xy(x: float, y: float) -> tuple[float, float]:
    return PAD + x * (W - PAD - 10), (H - PAD) - y * (H - PAD - 24)


def _polyline(points: list[tuple[float, float]], color: str) -> str:
    pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in (_xy(x, y) for x, y in points))
    return f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>'


COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


def topk_plot(series: dict[str, dict]) -> str:
    parts = _axes("Top-k accuracy", "k (1, 3, 10)", "accuracy")
    for i, (name, m) in enumerate(series.items()):
        ys = [m.get(f"top{k}") for k in (1, 3, 10)]
        if None in ys:
            continue
        parts.append(_polyline([(j / 2, y) for j, y in enumerate(ys)], COLORS[i % len(COLORS)]))
        parts.append(
            f'<text x="{W - 140}" y="{40 + 14 * i}" font-size="11" fill="{COLORS[i % len(COLORS)]}">{html.escape(name)}</text>'
        )
    return "\n".join([*parts, "</svg>"])


def calibration_plot(curves: dict[str, list[dict]]) -> str:
    """Each set's reliability curve: below the diagonal is overconfident (the literature cases), above under."""
    parts = _axes("Calibration of the top-1 probability", "confidence", "accuracy")
    parts.append(_polyline([(0, 0), (1, 1)], "#aaa"))
    for i, (name, curve) in enumerate(curves.items()):
        color = COLORS[i % len(COLORS)]
        parts.append(_polyline([(b["confidence"], b["accuracy"]) for b in curve], color))
        parts.append(
            f'<text x="{PAD + 6}" y="{40 + 14 * i}" font-size="11" fill="{color}">{html.escape(name)}</text>'
        )
    return "\n".join([*parts, "</svg>"])


def calibration_table(by_set: dict[str, dict]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v['n']}</td><td>{v['ece']}</td>"
        f"<td>{v.get('meanTopProbability', '')}</td><td>{v.get('topRight', '')}</td></tr>"
        for k, v in by_set.items()
    )
    return (
        "<table><tr><th>set</th><th>n</th><th>calibration error</th><th>mean top probability</th>"
        f"<th>top right</th></tr>{rows}</table>"
    )


def suspicion_plot(scores: dict[str, list[float]]) -> str:
    parts = _axes("Orphan suspicion by true category", "orphan suspicion", "share of patients")
    for name, color in (("common", "#1f77b4"), ("orphan", "#d62728")):
        hist, _ = np.histogram(scores.get(name, []), bins=10, range=(0, 1))
        share = hist / max(1, hist.sum())
        parts.append(_polyline([((i + 0.5) / 10, float(s)) for i, s in enumerate(share)], color))
    return "\n".join([*parts, "</svg>"])


def render_report(m: dict, suspicion: dict[str, list[float]]) -> str:
    series = {f"common/{k}": v for k, v in m["common"].items()}
    for k, v in m["orphan"].items():
        series[f"orphan/{k}"] = v
        if isinstance(v.get("phenomizer"), dict):  # a set's baseline on the same cases, in the row after it
            series[f"orphan/{k}/phenomizer"] = v["phenomizer"]
    worst = sorted(
        m["common"]["complete"].get("perDisease", {}).items(),
        key=lambda kv: (kv[1]["recall"], -kv[1]["support"]),
    )[:10]
    rows = "".join(
        f"<tr><td>{html.escape(n)}</td><td>{v['recall']:.2f}</td><td>{v['support']}</td></tr>"
        for n, v in worst
    )
    table = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v.get('n')}</td><td>{v.get('top1')}</td><td>{v.get('top3')}</td><td>{v.get('top10')}</td><td>{v.get('mrr')}</td></tr>"
        for k, v in series.items()
    )
    vignettes = m["orphan"].get("vignettes", {})
    vignette_rows = "".join(
        f"<tr><td>{html.escape(c['name'])}</td><td>{c['rank'] if c['rank'] is not None else 'not in catalog'}</td>"
        f"<td>{html.escape(c['firstName'])}</td></tr>"
        for c in vignettes.get("cases", [])
    )
    left_out = "".join(f"<li>{html.escape(r)}</li>" for r in vignettes.get("skipped", []))
    by_set = m["calibration"].get("bySet", {})
    curves = {k: v["curve"] for k, v in by_set.items() if v.get("curve")} or {
        "pooled": m["calibration"]["curve"]
    }
    gate = m["gate"]
    verdict = "passed" if gate["passed"] else "FAILED: " + "; ".join(gate["reasons"])
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>DxOps evaluation</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1100px}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:4px 8px}} .plots{{display:flex;flex-wrap:wrap;gap:1em}}</style></head><body>
<h1>DxOps model evaluation</h1>
<p>Quality gate: <strong>{html.escape(verdict)}</strong>. Common vs orphan AUROC: {m["commonVsOrphanAuroc"]}. Expected calibration error: {m["calibration"]["ece"]}.</p>
<table><tr><th>set</th><th>n</th><th>top-1</th><th>top-3</th><th>top-10</th><th>MRR</th></tr>{table}</table>
<div class="plots">{topk_plot(series)}{calibration_plot(curves)}{suspicion_plot(suspicion)}</div>
<h2>Calibration by set (mean top probability above the share right: overconfident)</h2>
{calibration_table(by_set)}
<h2>Worst common diseases (held-out, complete questionnaire)</h2>
<table><tr><th>disease</th><th>recall</th><th>support</th></tr>{rows}</table>
<h2>Textbook vignettes (a sanity check: written by the team, used to choose between variants)</h2>
<table><tr><th>disease</th><th>rank</th><th>ranked first</th></tr>{vignette_rows}</table>
{f"<p>Left out:</p><ul>{left_out}</ul>" if left_out else ""}
<p>Decision support, not a diagnosis. Synthetic and simulated patients only; see docs/model-card.md.</p>
</body></html>"""
