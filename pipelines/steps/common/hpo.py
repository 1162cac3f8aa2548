"""The Human Phenotype Ontology as the pipeline needs it: terms, is_a parents, ancestors, alt ids and obsoletes.

Reads the obographs JSON release (``hp.vYYYY-MM-DD.json[.gz]``) unchanged; the HPO license forbids altering it.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

PURL = "http://purl.obolibrary.org/obo/"
ROOT = "HP:0000001"
PHENOTYPIC_ABNORMALITY = "HP:0000118"
_ALT_ID = "http://www.geneontology.org/formats/oboInOwl#hasAlternativeId"
_REPLACED_BY = "http://purl.obolibrary.org/obo/IAO_0100001"
_CONSIDER = "http://www.geneontology.org/formats/oboInOwl#consider"
_LAYPERSON = "http://purl.obolibrary.org/obo/hp#layperson"


def curie(iri: str) -> str:
    """``http://purl.obolibrary.org/obo/HP_0001250`` -> ``HP:0001250``."""
    local = iri.removeprefix(PURL)
    return local.replace("_", ":", 1)


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    layperson: tuple[str, ...] = ()


@dataclass
class Ontology:
    """Non-obsolete HP terms with their parents, plus the map from retired ids to current ones."""

    version: str
    terms: dict[str, Term]
    parents: dict[str, tuple[str, ...]]
    # alt_id or obsolete id -> current id (only where the release says which one)
    redirects: dict[str, str] = field(default_factory=dict)

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        kids: dict[str, list[str]] = {t: [] for t in self.terms}
        for child, ps in self.parents.items():
            for p in ps:
                kids.setdefault(p, []).append(child)
        return {k: tuple(sorted(v)) for k, v in kids.items()}

    def resolve(self, term_id: str) -> str | None:
        """The current id for ``term_id`` (itself, or through alt_id/replaced_by), or None if unknown."""
        seen = set()
        while term_id not in self.terms:
            if term_id in seen or term_id not in self.redirects:
                return None
            seen.add(term_id)
            term_id = self.redirects[term_id]
        return term_id

    def ancestors(self, term_id: str) -> frozenset[str]:
        """``term_id`` and every term above it through is_a."""
        return self._ancestors_cache.get(term_id) or self._compute_ancestors(term_id)

    @cached_property
    def _ancestors_cache(self) -> dict[str, frozenset[str]]:
        return {}

    def _compute_ancestors(self, term_id: str) -> frozenset[str]:
        out = {term_id}
        for p in self.parents.get(term_id, ()):
            out |= self.ancestors(p)
        result = frozenset(out)
        self._ancestors_cache[term_id] = result
        return result

    def is_phenotypic_abnormality(self, term_id: str) -> bool:
        return PHENOTYPIC_ABNORMALITY in self.ancestors(term_id)


def load_ontology(path: str | Path) -> Ontology:
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        graph = json.load(fh)["graphs"][0]
    version = _version(graph)
    terms: dict[str, Term] = {}
    redirects: dict[str, str] = {}
    for node in graph["nodes"]:
        tid = curie(node["id"])
        if not tid.startswith("HP:") or node.get("type") != "CLASS":
            continue
        meta = node.get("meta", {})
        props = meta.get("basicPropertyValues", [])
        if meta.get("deprecated"):
            target = [p["val"] for p in props if p["pred"] == _REPLACED_BY]
            if target:
                redirects[tid] = curie(target[0]) if target[0].startswith("http") else target[0]
            continue
        for p in props:
            if p["pred"] == _ALT_ID:
                redirects[p["val"]] = tid
        syns = meta.get("synonyms", [])
        terms[tid] = Term(
            id=tid,
            label=node.get("lbl", tid),
            synonyms=tuple(s["val"] for s in syns),
            layperson=tuple(s["val"] for s in syns if s.get("synonymType") == _LAYPERSON),
        )
    parents: dict[str, list[str]] = {}
    for edge in graph["edges"]:
        if edge["pred"] != "is_a":
            continue
        sub, obj = curie(edge["sub"]), curie(edge["obj"])
        if sub in terms and obj in terms:
            parents.setdefault(sub, []).append(obj)
    return Ontology(version, terms, {k: tuple(sorted(v)) for k, v in parents.items()}, redirects)


def _version(graph: dict) -> str:
    for p in graph.get("meta", {}).get("basicPropertyValues", []):
        if p["pred"].endswith("versionInfo"):
            return p["val"]
    return graph.get("meta", {}).get("version", "unknown").rsplit("/releases/", 1)[-1].split("/")[0]
