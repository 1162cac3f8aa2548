"""A leakage-controlled, time-split set of literature pseudo-cases for tuning and evaluating the orphan ranker.

The older HPO release (2024) plays the knowledge base; the cases are the phenotype sets that the newer release
(2025) annotates from publications the older one never cited, each publication's findings gathered from every row
that cites it, alone or with older publications. A model built from the older release has therefore never
seen them: the same situation as a new case report. Diseases first annotated after 2024 are only reachable through
gene relatives, like the unannotated diseases in real use.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from pathlib import Path

from common.annotations import read_genes_to_disease, read_hpoa
from common.disease_split import is_tuning_disease
from common.hpo import load_ontology
from knowledge_base.catalog import orphan_entries
from knowledge_base.decipher import usable_twins
from knowledge_base.lopo import lopo_cases, read_phenotype_rows
from knowledge_base.vocabulary import build_vocabulary

MIN_TERMS = 3  # a publication adding one or two annotations is not a case description
LOPO_SEED = 42
_COUNT = re.compile(r"(\d+)/(\d+)")  # an HPOA frequency given as patients with the finding / patients


def split_references(joined: str) -> list[str]:
    """An HPOA ``reference`` field ("PMID:1;PMID:2") as its single references."""
    return [r.strip() for r in joined.split(";") if r.strip()]


def publication_cases(rows, old_refs: set[str], resolve) -> list[dict]:
    """Per disease and publication the older release never cited, the findings (observed, excluded) that the newer
    release's phenotype rows annotate from it; only cases with at least MIN_TERMS observed findings.

    ``patients``: the most patients a row citing the publication alone counts ("2/5": 5), None without such a
    count. A case report of one patient is what real use sees; most publications pool several."""
    cases: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"observed": set(), "excluded": set()}
    )
    patients: dict[tuple[str, str], int] = {}
    for row in rows:
        if len(row) < 11 or row[10] != "P":
            continue
        term = resolve(row[3])
        if term is None:
            continue
        absent = row[2] == "NOT" or row[7].startswith("0/")
        refs = split_references(row[4])
        # HPO keeps one row per disease and finding with its references joined: a new publication that reports a
        # finding an older one did too appears in that shared row, and its case includes the finding
        for ref in refs:
            if ref.startswith("PMID:") and ref not in old_refs:
                cases[(row[0], ref)]["excluded" if absent else "observed"].add(term)
        # a joined row's count may add up several publications' patients: only a row of one reference says how
        # many that publication describes
        count = _COUNT.fullmatch(row[7].strip())
        if len(refs) == 1 and count:
            key = (row[0], refs[0])
            patients[key] = max(patients.get(key, 0), int(count.group(2)))
    return [
        {
            "diseaseId": d,
            "reference": ref,
            "observed": sorted(c["observed"]),
            "excluded": sorted(c["excluded"]),
            "patients": patients.get((d, ref)),
        }
        for (d, ref), c in sorted(cases.items())
        if len(c["observed"]) >= MIN_TERMS
    ]


def build_timesplit(
    old_hp: Path,
    old_hpoa: Path,
    new_hpoa: Path,
    genes_path: Path,
    decipher_twins: dict[str, str] | None = None,
) -> dict:
    """The older release as a knowledge base (its catalog folded as the current one is), the time-split cases, and
    leave-one-publication-out cases of the older release (``knowledge_base/lopo.py``): those of its tuning diseases
    for tuning (``lopo``), those of the reporting diseases for evaluation (``lopo-reporting``). All tuning stays on
    the older release."""
    onto = load_ontology(old_hp)
    hpoa_version, old, _ = read_hpoa(old_hpoa, onto.resolve)
    twins, _ = usable_twins(decipher_twins or {}, old)
    catalog = orphan_entries(old, read_genes_to_disease(genes_path), twins)
    old_refs = {r for a in old.values() for joined in a.references for r in split_references(joined)}
    with gzip.open(new_hpoa, "rt", encoding="utf-8") as fh:
        rows = (line.rstrip("\n").split("\t") for line in fh if not line.startswith(("#", "database_id")))
        out = publication_cases(rows, old_refs, onto.resolve)
    rows = read_phenotype_rows(old_hpoa, onto.resolve)
    lopo = lopo_cases(rows, catalog, is_tuning_disease, LOPO_SEED)
    # the same construction for the reporting diseases: a second literature-like set, evaluated and never tuned on
    lopo_reporting = lopo_cases(rows, catalog, lambda d: not is_tuning_disease(d), LOPO_SEED)
    return {
        "hpoVersion": onto.version,
        "hpoaVersion": hpoa_version,
        "vocabulary": build_vocabulary(onto),
        "catalog": catalog,
        "cases": out,
        "lopo": lopo,
        "lopo-reporting": lopo_reporting,
    }
