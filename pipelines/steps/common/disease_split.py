"""Which diseases may be used for tuning and which are reserved for reporting: one rule for every step.

The time-split literature cases are split by disease: a disease whose id hashes even is a tuning disease, odd ones
are reported on. No tuning or training set (time-split tuning half, leave-one-publication-out cases, simulated
tuning patients, the orphan suspicion's patients) may contain a reporting disease.
"""

from __future__ import annotations

import hashlib


def is_tuning_disease(disease_id: str) -> bool:
    return int(hashlib.sha256(disease_id.encode()).hexdigest()[:8], 16) % 2 == 0
