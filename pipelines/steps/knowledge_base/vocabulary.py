"""The phenotype vocabulary the service searches and the model indexes: every current HPO term."""

from __future__ import annotations

from common.hpo import PHENOTYPIC_ABNORMALITY, Ontology


def build_vocabulary(onto: Ontology) -> dict:
    ids = sorted(onto.terms)
    index = {t: i for i, t in enumerate(ids)}
    systems = set(onto.children.get(PHENOTYPIC_ABNORMALITY, ()))
    terms = []
    for t in ids:
        term = onto.terms[t]
        anc = onto.ancestors(t)
        system = min(anc & systems) if anc & systems else None
        terms.append(
            {
                "id": t,
                "label": term.label,
                "synonyms": sorted(set(term.synonyms) - set(term.layperson)),
                "layperson": list(term.layperson),
                "parents": [index[p] for p in onto.parents.get(t, ())],
                "system": system,
            }
        )
    return {"hpoVersion": onto.version, "terms": terms, "redirects": dict(sorted(onto.redirects.items()))}
