"""Exclusions as a clinician or a case report writes them: findings of the differential the patient lacks.

A physician who suspects Marfan syndrome looks for ectopia lentis and writes "no ectopia lentis" when it is absent;
nobody lists the absence of a finding no candidate has. So the excluded findings of a simulated patient are drawn
from the typical findings (annotated frequency at least ``MIN_FREQUENCY``) of the five leading candidates other than
its own disease on its observed findings, among those the patient does not show: a term is shown when the patient
has it or a more specific term under it (``Case.present``, the findings before omission).

The patient's own disease pays for them too whenever it has such a finding at less than full frequency, so the
excluded-finding weight can be learned from these cases. The earlier simulated exclusions (random findings of other
diseases) never counted against the right disease, and the search raised that weight until answering "Descartado"
to a suggested finding hurt the right disease (train/orphan_tuning.py).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from common.orphan_model import OrphanMatrices, OrphanParams, OrphanScorer
from common.simulate import Case

DIFFERENTIAL = 5  # competing diseases whose findings are looked for
MIN_FREQUENCY = 0.5  # a finding a competitor has in at least half its patients: worth looking for
EXCLUDED_MEAN = 2.0  # Poisson mean of the exclusions written per patient


def differential_exclusions(
    matrices: OrphanMatrices,
    catalog: list[dict],
    vocabulary: dict,
    cases: list[Case],
    seed: int,
    mean: float = EXCLUDED_MEAN,
) -> list[Case]:
    """``cases`` with their exclusions replaced by findings of their differential that they lack; ``catalog`` is
    the orphan catalog whose order the matrices' rows follow. A case without ``present`` (not simulated) is kept.

    The differential is the default-weight ranker's (``OrphanParams()``), never the model being trained or
    evaluated: the cases then depend only on the knowledge base and the seed, so two models meet the same ones."""
    rng = np.random.default_rng(seed)
    scorer = OrphanScorer(matrices, OrphanParams())
    index = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
    row = {d: i for i, d in enumerate(scorer.m.disease_ids)}
    typical = [
        [(index[p["id"]], p["frequency"]) for p in d["phenotypes"] if p["frequency"] >= MIN_FREQUENCY]
        for d in catalog
    ]
    out = []
    for c in cases:
        if not c.present or c.disease_id not in row:
            out.append(c)
            continue
        k = rng.poisson(mean)
        if k == 0:
            out.append(replace(c, excluded=[]))
            continue
        shown = {a for t in c.present for a in scorer.m.full_ancestors[t]} | {
            a for t in c.observed for a in scorer.m.full_ancestors[t]
        }
        scores = scorer.scores(c.observed, [], c.age, c.sex)
        scores[row[c.disease_id]] = -np.inf
        rivals = np.argsort(-scores, kind="stable")[:DIFFERENTIAL]
        weight: dict[int, float] = {}
        for r in rivals.tolist():
            for t, f in typical[r]:
                if t not in shown:
                    weight[t] = max(weight.get(t, 0.0), f)
        if not weight:
            out.append(replace(c, excluded=[]))
            continue
        terms = np.array(sorted(weight))
        p = np.array([weight[t] for t in terms.tolist()])
        picked = rng.choice(terms, min(k, len(terms)), replace=False, p=p / p.sum())
        out.append(replace(c, excluded=sorted(int(t) for t in picked)))
    return out
