"""DECIPHER's copy-number syndromes folded into the OMIM entry that describes the same syndrome.

The HPO annotations carry 47 DECIPHER entries (Wolf-Hirschhorn, Angelman, Prader-Willi, 22q11 deletion, ...), most
of which OMIM describes too. As separate candidates they take the top ranks from their OMIM twin (small profiles
pay little for the findings a patient does not show) and show the same syndrome twice. Names rarely match exactly
("2q33.1 deletion syndrome" is OMIM's Glass syndrome), so the pairs come from a reviewed mapping,
``decipher-to-omim.v*.csv``, not from name matching; ``match`` none keeps a DECIPHER entry apart.
"""

from __future__ import annotations

import csv
from pathlib import Path

from common.annotations import DiseaseAnnotations
from common.io import latest

MAPPING = "decipher-to-omim.v*.csv"
MATCHES = ("exact", "broader", "none")


def read_decipher_twins(mappings_dir: Path) -> dict[str, str]:
    """DECIPHER id -> OMIM id of every reviewed pair (``match`` exact or broader); {} without a mapping file."""
    path = latest(mappings_dir, MAPPING, required=False)
    if path is None:
        return {}
    twins = {}
    with open(path, encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            decipher, omim, match = row["decipher_id"].strip(), row["omim_id"].strip(), row["match"].strip()
            if match not in MATCHES:
                raise ValueError(f"{path.name}:{line}: match {match!r} is not one of {MATCHES}")
            if not decipher.startswith("DECIPHER:"):
                raise ValueError(f"{path.name}:{line}: {decipher!r} is not a DECIPHER id")
            if match == "none":
                continue
            if not omim.startswith("OMIM:"):
                raise ValueError(
                    f"{path.name}:{line}: {decipher} is matched ({match}) but {omim!r} is not an OMIM id"
                )
            twins[decipher] = omim
    return twins


def usable_twins(
    twins: dict[str, str], diseases: dict[str, DiseaseAnnotations]
) -> tuple[dict[str, str], list[str]]:
    """(the pairs whose two entries are both annotated in this release, the DECIPHER ids of the others): an older
    or newer release may lack one side, and then both entries stay as they are."""
    usable, skipped = {}, []
    for decipher, omim in sorted(twins.items()):
        if all(d in diseases and diseases[d].phenotypes for d in (decipher, omim)):
            usable[decipher] = omim
        else:
            skipped.append(decipher)
    return usable, skipped
