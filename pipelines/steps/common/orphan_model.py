"""The orphan-disease ranker: a phenotype likelihood model over the HPO annotations.

For an observed term q and a disease d, the evidence is the best match of q or one of its ancestors t (up to
``max_up`` levels) against d's propagated profile F[d, t] (the highest annotated frequency at or below t), relative
to the background b(t) (the mean of F over diseases), discounted by ``gamma`` per level climbed, floored at
``epsilon`` (an unexplained finding: noise, or a disease we do not know well):

    s_d = sum_q log max(eps, max_t gamma^dist(q,t) * F[d,t] / b(t))
        + w_excluded * sum_e log(1 - F[d,e])          explicitly excluded findings the disease usually has
        + w_not * #(NOT annotations of d among the ancestors of the observed findings)
        + w_onset * [age < earliest onset of d]       too young for the disease
        + w_sex * [sex-specific disease, other sex]
        + w_missing * min(1, n / missing_full_at) * sum of log(1 - 0.9 f) over d's annotations the patient
                                                      does not show (n: the number of observed findings)
        + w_size * log(1 + #annotations of d) + w_transferred * [profile borrowed from gene relatives]
        + w_references * log(1 + #publications and databases behind d's annotations)
        + w_ic * sum_q max_t IC(t) * [d annotated at or below t]   Phenomizer-style similarity (Resnik, MICA)
        + w_orphanet * [Orphanet-only entry] + w_gene * [d has a known gene]

The missing-finding cost is scaled by how many findings the case lists: a case report of a dozen findings says the
unlisted ones were looked for; a clinician typing the three cardinal findings of Wilson disease says nothing of its 65
other annotations, and at full cost those outweighed the three matches (Wilson ranked 13th, and 8,749th for a
Kayser-Fleischer ring alone).

Every term is a weight times a named feature (``FEATURES``), so the weights can be learned (learning to rank, see
train/orphan_tuning.py). P(d | orphan) = softmax(s / temperature(n)), the temperature fitted by the number of
findings n. The same arithmetic runs here (numpy, for training and evaluation) and in the exported ONNX graph (for
serving); the export step checks they agree.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy import sparse

from common.csc import column, row_sums
from common.features import SEX_CODE

EXCLUDED_CAP = 0.95
MISSING_SCALE = 0.9  # an unreported obligate finding costs log(0.1): case reports omit findings, so never log(0)  # 1 - F is floored at 0.05: an obligate finding that is absent is strong, not infinite, evidence


# the named per-disease features the score is a weighted sum of, and the OrphanParams weight of each
FEATURES = (
    "match",
    "ic",
    "excluded",
    "not",
    "missing",
    "size",
    "transferred",
    "references",
    "orphanet",
    "gene",
    "onset",
    "sex",
)
WEIGHTS = {f: f"w_{f}" for f in FEATURES}


@dataclass
class OrphanParams:
    # the structural parameters and weights an earlier coordinate search chose (time-split tuning half and
    # simulated patients): the differential that simulated patients exclude findings of (common/exclusions.py).
    # TrainModel starts its search from later weights (train/orphan_tuning.SEARCH_START)
    epsilon: float = 0.2
    gamma: float = 0.3
    max_up: int = 4
    # not tuned (train/orphan_tuning.py): log(1 - F) of an excluded finding counts as its likelihood says, at the
    # match weight's scale
    w_excluded: float = 1.0
    w_not: float = -3.0
    w_onset: float = -2.0
    w_sex: float = -4.0
    w_size: float = 0.0
    w_missing: float = 0.3
    # findings from which an unlisted annotation costs fully: the simulated patients' longest list (Noise.max_terms),
    # what a complete description is here; 0 keeps the full cost at any count (packages from before the scaling)
    missing_full_at: float = 12.0
    w_transferred: float = -3.0
    # published case reports favour diseases with more literature: log(1 + #annotation sources) as a prior
    w_references: float = 0.0
    w_match: float = 1.0
    w_ic: float = 0.0
    w_orphanet: float = 0.0
    w_gene: float = 0.0
    transfer: float = 0.9
    # ancestors shared by more than this share of diseases are too general to discriminate; skipping them keeps
    # the number of sparse entries a request touches small (latency) at no measurable cost in accuracy
    max_background: float = 0.05
    temperature: float = 3.0
    # the temperature of a case with n observed findings when n < len(...), else ``temperature``: a few findings of a
    # well-described disease single it out more sharply than a case report's dozen fits any one profile (TrainModel
    # fits both by the number of findings; empty: one temperature, packages from before)
    temperature_by_findings: tuple[float, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> OrphanParams:
        """Parameters as a model package stores them; one trained before the missing-cost scaling lacks its key
        and scored every case at full cost."""
        params = cls(**{"missing_full_at": 0.0, **d})
        return replace(params, temperature_by_findings=tuple(params.temperature_by_findings))

    def temperature_for(self, n_observed: int) -> float:
        t = self.temperature_by_findings
        return t[n_observed] if n_observed < len(t) else self.temperature

    def missing_scale(self, n_observed: int) -> float:
        """The share of the missing-finding cost a case with ``n_observed`` findings bears."""
        return 1.0 if self.missing_full_at <= 0 else min(1.0, n_observed / self.missing_full_at)

    def weights(self) -> np.ndarray:
        """The weight of each of FEATURES, in order."""
        return np.array([getattr(self, WEIGHTS[f]) for f in FEATURES], np.float32)


@dataclass
class OrphanMatrices:
    """Everything the ranker needs, indexed by vocabulary term index and orphan-disease index."""

    disease_ids: list[str]
    profile: sparse.csc_matrix  # [D, T] propagated frequency F / background b (the likelihood ratio at t)
    excluded_log: sparse.csc_matrix  # [D, T] log(1 - min(F, cap)) on the propagated profile
    not_annot: sparse.csc_matrix  # [D, T] 1 where d has a NOT annotation at t
    ancestors: np.ndarray  # [T+1, K] ancestor indices within max_up levels (padded with T)
    distances: np.ndarray  # [T+1, K] levels between the term and that ancestor
    onset_min: np.ndarray  # [D] earliest onset in years (-1 = unknown)
    sex: np.ndarray  # [D] 0 any, 1 female only, 2 male only
    size: np.ndarray  # [D] log(1 + #annotations)
    missing_log: (
        sparse.csc_matrix
    )  # [D, T] log(1 - 0.9 f) at each direct annotation (the cost of not seeing it)
    # [3, D] sum of missing_log over the disease's annotations for a patient of unknown sex, a female and a male: a
    # patient does not miss the annotations of the other sex (a girl with Mowat-Wilson syndrome, its cryptorchidism)
    missing_by_sex: np.ndarray
    transferred: np.ndarray  # [D] 1 for diseases whose profile is borrowed from gene relatives
    full_ancestors: list  # per term: every ancestor index, itself included
    references: np.ndarray  # [D] log(1 + #distinct annotation sources)
    ic: np.ndarray  # [T] information content -log(share of annotated diseases annotated at or below the term)
    orphanet: np.ndarray  # [D] 1 for Orphanet entries (no OMIM entry folded in)
    gene: np.ndarray  # [D] 1 for diseases with a known gene in genes_to_disease

    @property
    def missing_total(self) -> np.ndarray:
        """[D] the total missing cost of a patient of unknown sex: every annotation."""
        return self.missing_by_sex[0]

    def missing_total_for(self, sex: int) -> np.ndarray:
        return self.missing_by_sex[sex if sex in (1, 2) else 0]


def term_ancestors(parents: list[list[int]], max_up: int, skip: set[int]) -> tuple[np.ndarray, np.ndarray]:
    """For each term, its ancestors (itself included) within ``max_up`` is_a steps and their shortest distance."""
    n = len(parents)
    lists: list[list[tuple[int, int]]] = []
    for t in range(n):
        seen = {t: 0}
        queue = deque([t])
        while queue:
            u = queue.popleft()
            if seen[u] == max_up:
                continue
            for p in parents[u]:
                if p not in seen:
                    seen[p] = seen[u] + 1
                    queue.append(p)
        lists.append(sorted((d, a) for a, d in seen.items() if a == t or a not in skip))
    width = max(len(x) for x in lists)
    anc = np.full((n + 1, width), n, dtype=np.int64)
    dist = np.zeros((n + 1, width), dtype=np.float32)
    for t, items in enumerate(lists):
        for j, (d, a) in enumerate(items):
            anc[t, j], dist[t, j] = a, d
    return anc, dist


def disease_profiles(catalog: list[dict], transfer: float) -> list[dict[str, float]]:
    """Direct annotations per orphan disease; an unannotated disease borrows the union of its gene relatives',
    scaled by ``transfer`` < 1 so that a relative with its own annotations ranks just above it."""
    direct = {d["id"]: {p["id"]: p["frequency"] for p in d["phenotypes"]} for d in catalog}
    out = []
    for d in catalog:
        if d["annotated"]:
            out.append(direct[d["id"]])
            continue
        merged: dict[str, float] = {}
        for r in d.get("transferredFrom", []):
            for t, f in direct.get(r, {}).items():
                merged[t] = max(merged.get(t, 0.0), f)
        out.append({t: transfer * f for t, f in merged.items()})
    return out


def build_matrices(
    vocabulary: dict, catalog: list[dict], params: OrphanParams, n_background: int | None = None
) -> OrphanMatrices:
    """``n_background``: only the first that many orphan diseases define the background (how common a finding is);
    rows after them are held-out variants of catalog diseases (leave-one-publication-out tuning)."""
    terms = vocabulary["terms"]
    index = {t["id"]: i for i, t in enumerate(terms)}
    parents = [t["parents"] for t in terms]
    all_anc = _full_ancestors(parents)
    orphans = [d for d in catalog if d["category"] == "orphan"]
    profiles = disease_profiles(orphans, params.transfer)
    n_terms, n_dis = len(terms), len(orphans)

    rows, cols, vals = [], [], []
    for di, prof in enumerate(profiles):
        prop: dict[int, float] = {}
        for tid, f in prof.items():
            for a in all_anc[index[tid]]:
                if f > prop.get(a, 0.0):
                    prop[a] = f
        rows.extend([di] * len(prop))
        cols.extend(prop.keys())
        vals.extend(prop.values())
    freq = sparse.csc_matrix((np.array(vals, np.float32), (rows, cols)), shape=(n_dis, n_terms))
    ic = information_content(freq, orphans, n_background)
    n_bg = n_dis if n_background is None else n_background
    background = np.asarray(freq[:n_bg].mean(axis=0)).ravel()
    background = np.maximum(background, 1.0 / n_bg)
    ratio = freq.multiply(1.0 / background[None, :]).tocsc().astype(np.float32)
    excl = freq.copy()
    excl.data = np.log1p(-np.minimum(excl.data, EXCLUDED_CAP)).astype(np.float32)

    nrows, ncols = [], []
    for di, d in enumerate(orphans):
        for tid in d.get("excludedPhenotypes", []):
            if tid in index:
                nrows.append(di)
                ncols.append(index[tid])
    not_annot = sparse.csc_matrix((np.ones(len(nrows), np.float32), (nrows, ncols)), shape=(n_dis, n_terms))

    skip = {index[t] for t in ("HP:0000001", "HP:0000118") if t in index}
    skip |= {int(t) for t in np.flatnonzero(background > params.max_background)}
    anc, dist = term_ancestors(parents, params.max_up, skip)
    onset = np.array([(d.get("onsetYears") or [-1])[0] for d in orphans], np.float32)
    sex = np.array([SEX_CODE.get(d.get("sex") or "", 0) for d in orphans], np.int64)
    size = np.log1p(np.array([len(p) for p in profiles], np.float32))
    mrows, mcols, mvals = [], [], []
    for di, prof in enumerate(profiles):
        for tid, f in prof.items():
            mrows.append(di)
            mcols.append(index[tid])
            mvals.append(np.log1p(-MISSING_SCALE * min(f, 1.0)))
    missing = sparse.csc_matrix((np.array(mvals, np.float32), (mrows, mcols)), shape=(n_dis, n_terms))
    missing_by_sex = np.tile(np.asarray(missing.sum(axis=1)).ravel().astype(np.float32), (3, 1))
    for di, d in enumerate(orphans):
        for ph in d.get("phenotypes", []):
            own = SEX_CODE.get(ph.get("sex") or "", 0)
            if own and ph["id"] in index:  # the other sex's row does not count it
                missing_by_sex[3 - own, di] -= _stored(missing, di, index[ph["id"]])
    transferred = np.array([0.0 if d["annotated"] else 1.0 for d in orphans], np.float32)
    return OrphanMatrices(
        [d["id"] for d in orphans],
        ratio,
        excl.tocsc(),
        not_annot,
        anc,
        dist,
        onset,
        sex,
        size,
        missing,
        missing_by_sex,
        transferred,
        [sorted(a) for a in all_anc],
        np.log1p(np.array([d.get("references") or 0 for d in orphans], np.float32)),
        ic,
        np.array([d["id"].startswith("ORPHA:") for d in orphans], np.float32),
        np.array([bool(d.get("genes")) for d in orphans], np.float32),
    )


def _stored(matrix: sparse.csc_matrix, i: int, j: int) -> np.float32:
    """``matrix[i, j]`` (0 where nothing is stored), without scipy's indexing (54,000 reads a TrainModel step)."""
    rows, values = column(matrix, j)
    hit = np.flatnonzero(rows == i)
    return values[hit].sum(dtype=np.float32) if len(hit) else np.float32(0.0)


def information_content(freq: sparse.csc_matrix, orphans: list[dict], n_background: int | None) -> np.ndarray:
    """IC(t) = -log(share of the annotated diseases whose propagated profile reaches t); 0 where none does.

    Only diseases with their own annotations count (not those borrowing a gene relative's profile), as in
    Phenomizer (Koehler et al. 2009), whose annotation-frequency IC this is."""
    n_bg = len(orphans) if n_background is None else n_background
    own = np.array([bool(d["annotated"]) for d in orphans[:n_bg]], bool)
    present = freq[:n_bg][own]
    count = np.asarray((present > 0).sum(axis=0)).ravel().astype(np.float64)
    n = max(1, int(own.sum()))
    return np.where(count > 0, -np.log(np.maximum(count, 1.0) / n), 0.0).astype(np.float32)


def _full_ancestors(parents: list[list[int]]) -> list[set[int]]:
    memo: list[set[int] | None] = [None] * len(parents)

    def visit(t: int) -> set[int]:
        if memo[t] is None:
            out = {t}
            for p in parents[t]:
                out |= visit(p)
            memo[t] = out
        return memo[t]

    import sys

    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))
    return [visit(t) for t in range(len(parents))]


class OrphanScorer:
    """Scores cases against every orphan disease, caching per-term match vectors (terms repeat across cases)."""

    def __init__(self, m: OrphanMatrices, params: OrphanParams):
        self.m, self.p = m, params
        self._term_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.constant = np.stack([m.size, m.transferred, m.references, m.orphanet, m.gene])

    def _match(self, q: int) -> tuple[np.ndarray, np.ndarray]:
        """(log of the best discounted likelihood ratio, floored; best IC of a common ancestor) of term q, per disease."""
        hit = self._term_cache.get(q)
        if hit is None:
            n_dis = self.m.profile.shape[0]
            vec, ic = np.zeros(n_dis, np.float32), np.zeros(n_dis, np.float32)
            for a, d in zip(self.m.ancestors[q], self.m.distances[q], strict=True):
                if a == self.m.profile.shape[1]:
                    continue
                rows, values = column(self.m.profile, a)
                if len(rows):
                    np.maximum.at(vec, rows, values * (self.p.gamma**d))
                    np.maximum.at(ic, rows, self.m.ic[a])
            hit = (np.log(np.maximum(vec, self.p.epsilon)), ic)
            self._term_cache[q] = hit
        return hit

    def features(self, observed: list[int], excluded: list[int], age: float, sex: int) -> np.ndarray:
        """[len(FEATURES), D]: each named feature of every disease for this case."""
        m = self.m
        n_dis = m.profile.shape[0]
        f = np.zeros((len(FEATURES), n_dis), np.float32)
        for q in observed:
            match, ic = self._match(q)
            f[0] += match
            f[1] += ic
        for e in excluded:
            rows, values = column(m.excluded_log, e)
            if len(rows):
                f[2, rows] += values
        f[4] = m.missing_total_for(sex)
        closure = sorted({a for q in observed for a in m.full_ancestors[q]})
        if closure:
            # annotations the patient shows (at the same or a more specific term) are not missing
            f[3] = row_sums(m.not_annot, closure)
            f[4] -= row_sums(m.missing_log, closure)
        f[4] *= self.p.missing_scale(len(observed))
        f[5:10] = self.constant
        if age >= 0:
            f[10] = (m.onset_min >= 0) & (age < m.onset_min * 0.8)
        if sex in (1, 2):
            f[11] = (m.sex != 0) & (m.sex != sex)
        return f

    def scores(self, observed: list[int], excluded: list[int], age: float, sex: int) -> np.ndarray:
        return self.p.weights() @ self.features(observed, excluded, age, sex)

    def probabilities(self, observed, excluded, age, sex) -> np.ndarray:
        return self.softmax(self.scores(observed, excluded, age, sex), len(observed))

    def softmax(self, scores: np.ndarray, n_observed: int) -> np.ndarray:
        """P(d | orphan) from the scores already computed for a case (scoring is the costly part) with
        ``n_observed`` observed findings."""
        s = scores / self.p.temperature_for(n_observed)
        s = s - s.max()
        e = np.exp(s)
        return e / e.sum()
