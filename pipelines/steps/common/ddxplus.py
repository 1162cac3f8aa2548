"""The DDXPlus knowledge files: conditions (the common-disease catalog) and the evidence questionnaire."""

from __future__ import annotations

import json
import re
from pathlib import Path

TOKEN_SEP = "_@_"


def slug(name: str) -> str:
    """DDXPlus condition name -> id slug: each run of non-alphanumerics becomes ``_``."""
    return re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_")


def condition_id(name: str) -> str:
    return f"DDXPLUS:{slug(name)}"


def load_conditions(directory: str | Path) -> dict[str, dict]:
    with open(Path(directory) / "release_conditions.json", encoding="utf-8") as fh:
        return json.load(fh)


def load_evidences(directory: str | Path) -> dict[str, dict]:
    with open(Path(directory) / "release_evidences.json", encoding="utf-8") as fh:
        return json.load(fh)


def evidence_tokens(evidences: dict[str, dict]) -> list[str]:
    """Every answer the questionnaire can produce, as tokens: ``E_91`` for binary evidences and
    ``E_55_@_V_89`` for each value of categorical (C) and multi-choice (M) evidences, in a stable order."""
    tokens: list[str] = []
    for code in sorted(evidences, key=_code_order):
        ev = evidences[code]
        if ev["data_type"] == "B":
            tokens.append(code)
        else:
            tokens.extend(f"{code}{TOKEN_SEP}{v}" for v in ev["possible-values"])
    return tokens


def _code_order(code: str) -> int:
    return int(code.split("_")[1])
