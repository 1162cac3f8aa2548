"""The knowledge base's files as the model steps read them: vocabulary, catalog, questionnaire and their indexes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common.features import CommonFeatureSpec
from common.io import read_json
from common.records import diagnosis_index


@dataclass
class KnowledgeBaseFiles:
    vocabulary: dict
    catalog: list[dict]
    evidences: dict
    vindex: dict[str, int]  # HPO id -> vocabulary index
    spec: CommonFeatureSpec
    cindex: dict[str, int]  # diagnosis id (aliases and folded twins included) -> catalog position
    n_common: int  # the common block is the catalog's head

    @classmethod
    def read(cls, kb: Path) -> KnowledgeBaseFiles:
        vocabulary, catalog = read_json(kb / "vocabulary.json"), read_json(kb / "catalog.json")["diseases"]
        evidences = read_json(kb / "evidences.json")
        vindex = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
        return cls(
            vocabulary,
            catalog,
            evidences,
            vindex,
            CommonFeatureSpec.from_kb(evidences, vindex),
            diagnosis_index(catalog),
            sum(1 for d in catalog if d["category"] == "common"),
        )
