"""Small file helpers shared by the steps: pick the newest versioned file, hash, write JSON atomically."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def latest(directory: Path, pattern: str, required: bool = True) -> Path | None:
    """The last file (by name, so by version) matching ``pattern`` in ``directory``."""
    matches = sorted(Path(directory).glob(pattern))
    if not matches:
        if required:
            raise FileNotFoundError(f"no file matching {pattern} in {directory}")
        return None
    return matches[-1]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_json(path: Path, value, indent: int | None = None) -> None:
    """Writes JSON to a temp file and renames it, so a reader never sees half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(value, fh, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    os.replace(tmp, path)


def read_json(path: Path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
