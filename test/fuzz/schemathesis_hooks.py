"""Schemathesis hooks for the inference API (loaded through SCHEMATHESIS_HOOKS by test/fuzz/run-schemathesis.ts).

The API's own string formats need generators: without one, schemathesis would fill a field of an unknown format
with strings that match its pattern but not the format, and count the service's 400 as a rejected valid request.
"""

import re

import schemathesis
from hypothesis import strategies as st


def _component(unit: str, high: int) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), st.integers(min_value=0, max_value=high).map(lambda n: f"{n}{unit}"))


# `iso8601-age` (containers/inference/src/schemas.ts): an ISO 8601 duration of at most 130 years. The bounds of the
# parts add up to 130 years (100 + 240 months + 260 weeks + 1826 days), so every generated value is valid.
_AGES = st.one_of(
    st.just("P130Y"),
    st.tuples(_component("Y", 100), _component("M", 240), _component("W", 260), _component("D", 1826))
    .map(lambda parts: "P" + "".join(parts))
    .filter(lambda value: value != "P"),
)

schemathesis.openapi.format("iso8601-age", _AGES)


def _poisoning(value: object) -> bool:
    if isinstance(value, dict):
        if "__proto__" in value:
            return True
        constructor = value.get("constructor")
        if isinstance(constructor, dict) and "prototype" in constructor:
            return True
        return any(_poisoning(v) for v in value.values())
    if isinstance(value, list):
        return any(_poisoning(v) for v in value)
    return False


_ISO_AGE = re.compile(r"^P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?$")


def _years(iso: object) -> float | None:
    match = _ISO_AGE.match(iso) if isinstance(iso, str) else None
    if not match:
        return None
    years, months, weeks, days = (float(g) if g else 0.0 for g in match.groups())
    return years + months / 12 + (weeks * 7 + days) / 365.25


def _reversed_range(value: object) -> bool:
    """An `ageRange` anywhere whose start is after its end, which the service refuses (400, docs/api.md)."""
    if isinstance(value, dict):
        span = value.get("ageRange")
        if isinstance(span, dict):
            ends = [_years((span.get(k) or {}).get("iso8601duration")) for k in ("start", "end")]
            if None not in ends and ends[0] > ends[1]:
                return True
        return any(_reversed_range(v) for v in value.values())
    if isinstance(value, list):
        return any(_reversed_range(v) for v in value)
    return False


@schemathesis.hook
def filter_body(context, body) -> bool:
    """Bodies with a `__proto__` or `constructor.prototype` key at any depth are refused by the JSON parser (400,
    docs/api.md), also inside the phenopacket's open objects whose schema allows any key: a documented refusal that
    JSON Schema cannot express without a recursive schema, and that hostile-input.test.ts tests on its own. So are
    age ranges that start after they end (JSON Schema cannot compare two values; diagnoses.test.ts tests it)."""
    return not _poisoning(body) and not _reversed_range(body)
