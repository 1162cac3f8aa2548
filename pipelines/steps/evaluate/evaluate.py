"""EvaluateModel step: held-out common-disease patients, simulated and time-split orphan cases, the quality gate.

Inputs: ``--processed-dir``, ``--kb-dir``, ``--model-dir``. Output (``--evaluation-dir``): evaluation.json (the
SageMaker PropertyFile the CheckQuality condition reads: ``gate.passed``) and report.html.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from common.diagnosis_model import DiagnosisModel
from common.disease_split import is_tuning_disease
from common.exclusions import differential_exclusions
from common.features import Request, phenotype_only, without_demographics
from common.io import read_json, write_json
from common.records import RecordEncoder, diagnosis_index, holdout_split, load_records
from common.simulate import FEW_FINDINGS, Noise, clinician_entries, simulate_cases
from evaluate import gate
from evaluate.drift import drift_baseline
from evaluate.few_findings import few_findings_curve
from evaluate.metrics import auroc, calibration, per_class, rank_of, ranking_metrics
from evaluate.phenomizer import PhenomizerBaseline, evaluate_baseline, evaluate_lopo_baseline
from evaluate.report import render_report
from evaluate.served_list import timesplit_ranks
from evaluate.vignettes import read_vignettes
from train.orphan_tuning import lopo_sample, lopo_set, timesplit_cases, timesplit_half, timesplit_matrices

# training simulates with seed + 1 to seed + 5 (seed 42): these patients are new to the model
SIM_EVAL_SEED = 1000
# which reporting LOPO cases are evaluated, when there are more than the tuning sample size
LOPO_EVAL_SEED = 1003
HALF_SEED = 7


def log(msg: str) -> None:
    print(f"[EvaluateModel] {msg}", flush=True)


def half_evidence(req: Request, tokens: list[str], hpo: dict[str, str], vindex: dict, rng) -> Request:
    """Removes half of the patient's questionnaire answers, and the phenotypes that came only from them."""
    kept = (
        sorted(rng.choice(req.tokens, len(req.tokens) - len(req.tokens) // 2, replace=False).tolist())
        if req.tokens
        else []
    )
    observed = set()
    for t in kept:
        tok = tokens[t]
        h = hpo.get(tok) or hpo.get(tok.split("_@_")[0])
        if h in vindex:
            observed.add(vindex[h])
    return Request(sorted(observed), req.excluded, kept, req.age, req.sex)


def half_findings(req: Request, rng) -> Request:
    """Keeps a random half of the observed findings (at least one)."""
    keep = max(1, len(req.observed) - len(req.observed) // 2)
    observed = sorted(rng.choice(req.observed, keep, replace=False).tolist()) if req.observed else []
    return Request(observed, req.excluded, req.tokens, req.age, req.sex)


def evaluation_diseases(orphans: list[dict]) -> tuple[list[int], bool]:
    """Positions of the annotated reporting diseases the simulated evaluation patients come from (the tuning and
    suspicion patients come from the others, so no disease is seen twice), and whether there were none, so that
    every annotated disease had to be used (tiny test catalogs)."""
    annotated = [i for i, d in enumerate(orphans) if d["annotated"] and d["phenotypes"]]
    reporting = [i for i in annotated if not is_tuning_disease(orphans[i]["id"])]
    return (reporting, False) if reporting else (annotated, True)


def orphan_ranks(
    model: DiagnosisModel, cases: list, cindex: dict[str, int]
) -> tuple[list[float], list[tuple[float, bool]]]:
    """Each simulated case's rank of its disease on the combined list, and its (top probability, top is right)."""
    ranks, calib = [], []
    for c in cases:
        probs = model.listed(Request(c.observed, c.excluded, [], c.age, c.sex))[0]
        ranks.append(rank_of(probs, cindex[c.disease_id]))
        calib.append((float(probs.max()), int(np.argmax(probs)) == cindex[c.disease_id]))
    return ranks, calib


def evaluate_views(
    model: DiagnosisModel, views: dict[str, list[Request]], truths: list[int], names: dict
) -> tuple[dict, list, dict]:
    """Metrics per view, calibration pairs, and each view's (probabilities, suspicion) for later use."""
    out, calib, predictions = {}, [], {}
    for view, reqs in views.items():
        ranks, preds, susp = [], [], []
        predictions[view] = [model.listed(req) for req in reqs]
        for (probs, s), y in zip(predictions[view], truths, strict=True):
            ranks.append(rank_of(probs, y))
            preds.append(int(np.argmax(probs)))
            susp.append(s)
            calib.append((float(probs.max()), int(np.argmax(probs)) == y))
        m = ranking_metrics(ranks)
        recall, macro_f1 = per_class(truths, preds, names)
        m.update(
            {"macroF1": macro_f1, "meanOrphanSuspicion": round(float(np.mean(susp)), 4) if susp else None}
        )
        if view == "complete":
            m["perDisease"] = recall
        out[view] = m
    return out, calib, predictions


def calibration_summary(pairs: list[tuple[float, bool]]) -> dict:
    """One set's calibration error and reliability curve, with its mean top probability against the share right:
    which way it is off."""
    ece, curve = calibration([c for c, _ in pairs], [h for _, h in pairs])
    out = {"n": len(pairs), "ece": ece}
    if pairs:
        out["meanTopProbability"] = round(float(np.mean([c for c, _ in pairs])), 4)
        out["topRight"] = round(float(np.mean([h for _, h in pairs])), 4)
        out["curve"] = curve
    return out


def evaluate_vignettes(model: DiagnosisModel, cindex: dict) -> dict:
    """The combined differential on the textbook vignettes (evaluate/vignettes.py): metrics, and each vignette's
    rank and first candidate, so that a change that loses a textbook disease shows by name."""
    vignettes, skipped = read_vignettes(model.vocabulary)
    for reason in skipped:
        log(f"vignette left out: {reason}")
    ranks, cases = [], []
    for v in vignettes:
        probs, _ = model.listed(Request(v.observed, [], [], v.age, v.sex))
        rank = rank_of(probs, cindex.get(v.disease_id, -1))
        ranks.append(rank)
        first = model.catalog[int(np.argmax(probs))]
        cases.append(
            {
                "diseaseId": v.disease_id,
                "name": v.name,
                "rank": int(rank) if np.isfinite(rank) else None,
                "first": first["id"],
                "firstName": first["name"],
            }
        )
    out = ranking_metrics(ranks)
    out.update({"cases": cases, "skipped": skipped})
    out["note"] = "textbook vignettes written by the team, used to choose between variants: a sanity check"
    return out


def evaluate(processed: Path, kb: Path, model_dir: Path, out: Path, thresholds: dict, champion: dict) -> dict:
    started = time.time()
    model = DiagnosisModel(kb, model_dir)
    catalog, vocab = model.catalog, model.vocabulary
    cindex = diagnosis_index(catalog)
    names = {i: d["name"] for i, d in enumerate(catalog)}
    vindex = {t["id"]: i for i, t in enumerate(vocab["terms"])}
    encoder = RecordEncoder(vocab, model.spec.tokens)
    _, held_out = holdout_split(load_records(processed))

    # the DDXPlus patients are what the common views report; the Kaggle symptom sets and held-out clinician
    # feedback are reported apart
    def common_held_out(source: str) -> list[dict]:
        return [
            r
            for r in held_out
            if r["source"] == source and cindex.get(r["diagnosis_id"], 10**9) < model.n_common
        ]

    common_recs = common_held_out("ddxplus")
    rng = np.random.default_rng(HALF_SEED)
    reqs = [encoder.request(r) for r in common_recs]
    truths = [cindex[r["diagnosis_id"]] for r in common_recs]
    views = {
        "complete": reqs,
        "halfEvidence": [
            half_evidence(q, model.spec.tokens, model.evidences.get("hpo", {}), vindex, rng) for q in reqs
        ],
        "phenotypesOnly": [phenotype_only(q) for q in reqs],
    }
    log(f"common: {len(reqs)} held-out records x {len(views)} views")
    common, calib, view_predictions = evaluate_views(model, views, truths, names)
    # the clinician page leaves age and sex optional; reported apart, and kept out of the calibration pairs so the
    # calibration error means what it meant before the view existed
    no_demographics = [without_demographics(phenotype_only(q)) for q in reqs]
    common.update(evaluate_views(model, {"phenotypesNoDemographics": no_demographics}, truths, names)[0])
    kaggle_recs = common_held_out("kaggle")
    if kaggle_recs:
        log(f"common: {len(kaggle_recs)} held-out Kaggle symptom sets")
        # the Kaggle file lists each disease's symptoms as subsets of one fixed list, so its held-out sets are
        # near-copies of training sets: the view with half the findings removed is the more telling one
        kaggle_reqs = [encoder.request(r) for r in kaggle_recs]
        kaggle, _, _ = evaluate_views(
            model,
            {"kaggle": kaggle_reqs, "kaggleHalfFindings": [half_findings(q, rng) for q in kaggle_reqs]},
            [cindex[r["diagnosis_id"]] for r in kaggle_recs],
            names,
        )
        common.update(kaggle)

    log("orphan: simulated patients and time-split literature cases")
    orphans = [d for d in catalog if d["category"] == "orphan"]
    ann, overlaps_tuning = evaluation_diseases(orphans)
    if overlaps_tuning:
        log("no annotated reporting disease: simulated patients are drawn from the tuning diseases too")
    pick = np.random.default_rng(SIM_EVAL_SEED).choice(ann, min(500, len(ann)), replace=False).tolist()
    sim = simulate_cases(orphans, vocab, sorted(pick), 1, Noise(), SIM_EVAL_SEED)
    # exclusions from the differential the patient lacks, as in training (common/exclusions.py)
    sim = differential_exclusions(model.matrices, orphans, vocab, sim, SIM_EVAL_SEED + 3)
    sim_ranks, sim_susp, sim_probs, sim_calib = [], [], [], []
    for c in sim:
        probs, s = model.listed(Request(c.observed, c.excluded, [], c.age, c.sex))
        sim_probs.append(probs)
        sim_ranks.append(rank_of(probs, cindex[c.disease_id]))
        sim_susp.append(s)
        sim_calib.append((float(probs.max()), int(np.argmax(probs)) == cindex[c.disease_id]))
    # the calibration of each set on its own too: the pooled error is mostly the DDXPlus views', and the orphan
    # side's probabilities can be far off while it looks small
    calib_by_set: dict[str, list[tuple[float, bool]]] = {"common": calib, "orphanSimulated": sim_calib}
    calib = calib + sim_calib
    orphan = {"simulated": {**ranking_metrics(sim_ranks), "overlapsTuningDiseases": overlaps_tuning}}
    # the same diseases, as a clinician enters them: about four findings each (common/simulate.py, FEW_FINDINGS)
    few = simulate_cases(orphans, vocab, sorted(pick), 1, FEW_FINDINGS, SIM_EVAL_SEED + 1)
    few_ranks, calib_by_set["orphanFewFindings"] = orphan_ranks(model, few, cindex)
    orphan["simulatedFewFindings"] = ranking_metrics(few_ranks)
    # the characteristic findings of the reporting diseases clinicians meet most (common/simulate.py)
    entries = clinician_entries(orphans, vocab, ann, 500, SIM_EVAL_SEED + 2)
    entry_ranks, calib_by_set["clinicianEntry"] = orphan_ranks(model, entries, cindex)
    orphan["clinicianEntry"] = ranking_metrics(entry_ranks)
    split_dir = kb / "timesplit"
    if (split_dir / "cases.json").exists():
        split = {n: read_json(split_dir / f"{n}.json") for n in ("vocabulary", "catalog", "cases")}
        _, _, cases = timesplit_cases(split, tuning=False)
        m = timesplit_matrices(split, model.params)
        split_ranks = timesplit_ranks(model, split, m, cases, vindex)
        ts_ranks, combined_ranks = split_ranks.alone, split_ranks.combined
        # what the list shows first on literature cases, the service's real input: reported, never fitted on
        calib_by_set["timesplit"] = split_ranks.calibration
        ts = ranking_metrics(ts_ranks)
        known = set(m.disease_ids)
        ts["inCatalog"] = sum(1 for c in cases if c.disease_id in known)
        ts["note"] = (
            "orphan ranker on the 2024 release, cases from publications it never cited (reporting half)"
        )
        orphan["timesplit"] = ts
        combined = ranking_metrics(combined_ranks)
        combined["note"] = (
            "the same cases on the combined differential: this run's common model and orphan suspicion mixed with "
            "the 2024 ranker, as the service mixes its own"
        )
        orphan["timesplitCombined"] = combined
        phenomizer = PhenomizerBaseline(split["vocabulary"], split["catalog"], m.full_ancestors)
        baseline = evaluate_baseline(phenomizer, cases)
        baseline["note"] = (
            "Phenomizer-style baseline (Resnik IC of the MICA, best-match average query -> disease) on the same "
            "cases; top-k with ties broken at random, *Pessimistic with ties counted against it"
        )
        orphan["timesplitPhenomizer"] = baseline
        # the publications of one patient, as a real case report is (most pool several): the served list and the
        # baseline on them (timesplit_cases keeps the order of the split's cases)
        single = [
            i for i, c in enumerate(timesplit_half(split["cases"], tuning=False)) if c.get("patients") == 1
        ]
        orphan["timesplitSinglePatient"] = {
            **ranking_metrics([combined_ranks[i] for i in single]),
            "phenomizer": evaluate_baseline(phenomizer, [cases[i] for i in single]),
            "note": "the served list on the reporting cases whose publication describes one patient",
        }
        if (split_dir / "lopo-reporting.json").exists():
            orphan["lopo"] = lopo_metrics(
                split, read_json(split_dir / "lopo-reporting.json"), model.params, m
            )

    orphan["vignettes"] = evaluate_vignettes(model, cindex)
    log(
        "few findings: k phenotypes of each held-out DDXPlus patient and of 300 simulated rare-disease patients"
    )
    few_curve = few_findings_curve(
        lambda q: model.listed(q)[0],
        {
            "ddxplus": (views["phenotypesOnly"], truths),
            # keep_k keeps observed findings, age and sex only
            "orphanSimulated": (
                [Request(c.observed, age=c.age, sex=c.sex) for c in sim[:300]],
                [cindex[c.disease_id] for c in sim[:300]],
            ),
        },
    )

    common_susp = [s for view in ("complete", "phenotypesOnly") for _, s in view_predictions[view]]
    # reference traffic for drift: clinicians enter phenotypes; half common patients, half rare-disease patients
    reference = views["phenotypesOnly"] + [Request(c.observed, c.excluded, [], c.age, c.sex) for c in sim]
    preds = [p for p, _ in view_predictions["phenotypesOnly"]] + sim_probs
    baseline = drift_baseline(
        reference,
        [float(p.max()) for p in preds],
        [catalog[int(np.argmax(p))]["category"] for p in preds],
        [t["system"] for t in vocab["terms"]],
    )
    ece, curve = calibration([c for c, _ in calib], [h for _, h in calib])
    by_set = {name: calibration_summary(pairs) for name, pairs in calib_by_set.items()}
    metrics = {
        "common": common,
        "orphan": orphan,
        "commonVsOrphanAuroc": auroc(common_susp + sim_susp, [0] * len(common_susp) + [1] * len(sim_susp)),
        "fewFindings": few_curve,
        "calibration": {"ece": ece, "curve": curve, "bySet": by_set},
        "unknownTerms": len(encoder.unknown_terms),
        "driftBaseline": baseline,
    }
    feedback = [r for r in held_out if r["source"] == "feedback" and r["diagnosis_id"] in cindex]
    if feedback:
        ranks = [rank_of(model.listed(encoder.request(r))[0], cindex[r["diagnosis_id"]]) for r in feedback]
        metrics["feedback"] = ranking_metrics(ranks)
    metrics["gate"] = gate.check(metrics, thresholds, champion)
    metrics["seconds"] = round(time.time() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "evaluation.json", metrics, indent=2)
    (out / "report.html").write_text(
        render_report(metrics, {"common": common_susp, "orphan": sim_susp}), encoding="utf-8"
    )
    return metrics


def lopo_metrics(split: dict, lopo: list[dict], params, m) -> dict:
    """Leave-one-publication-out cases of the reporting diseases (knowledge_base/lopo.py), orphan ranker alone, and
    the Phenomizer-style baseline on the same cases: a harder literature set than the time-split one, since a case's
    own findings are gone from its disease's profile, as for a patient whose findings the annotations do not list."""
    cases = lopo_sample(lopo, LOPO_EVAL_SEED, tuning=False)
    ranks = lopo_set(split, cases, params, LOPO_EVAL_SEED, tuning=False).ranks(
        params.weights().astype(np.float64)
    )
    baseline = evaluate_lopo_baseline(split["vocabulary"], split["catalog"], m.full_ancestors, cases)
    return {
        **ranking_metrics(ranks.tolist()),
        "unannotatedAfterHoldOut": sum(1 for c in cases if not c["heldOutEntry"]["annotated"]),
        "phenomizer": baseline,
        "note": "2024 release, reporting diseases: one publication's findings against its disease's profile "
        "rebuilt without the rows only that publication supports; the orphan ranker alone",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processed-dir", type=Path, default=Path("/opt/ml/processing/input/processed"))
    parser.add_argument("--kb-dir", type=Path, default=Path("/opt/ml/processing/input/kb"))
    parser.add_argument("--model-dir", type=Path, default=Path("/opt/ml/processing/input/model"))
    parser.add_argument("--evaluation-dir", type=Path, default=Path("/opt/ml/processing/output/evaluation"))
    parser.add_argument("--thresholds", type=json.loads, default={}, help="QualityThresholds JSON")
    parser.add_argument(
        "--champion-metrics", type=json.loads, default={}, help="the approved model's evaluation.json"
    )
    args = parser.parse_args(argv)
    m = evaluate(
        args.processed_dir,
        args.kb_dir,
        args.model_dir,
        args.evaluation_dir,
        args.thresholds,
        args.champion_metrics,
    )
    summary = {
        "step": "EvaluateModel",
        "commonTop1": m["common"]["complete"].get("top1"),
        "commonHalfEvidenceTop1": m["common"]["halfEvidence"].get("top1"),
        "orphanSimulatedTop10": m["orphan"]["simulated"].get("top10"),
        "gatePassed": m["gate"]["passed"],
    }
    print(json.dumps(summary))
    return 0  # a failed gate is a result, not an error: the CheckQuality condition acts on it


if __name__ == "__main__":
    sys.exit(main())
