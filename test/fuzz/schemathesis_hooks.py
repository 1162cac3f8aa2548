"""Schemathesis hooks for the inference API (loaded through SCHEMATHESIS_HOOKS by test/fuzz/run-schemathesis.ts).

The API's own string formats need generators: without one, schemathesis would fill a field of an unknown format
with strings that match its pattern but not the format, and count the service's 400 as a rejected valid request.
"""

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


@schemathesis.hook
def filter_body(context, body) -> bool:
    """Bodies with a `__proto__` or `constructor.prototype` key at any depth are refused by the JSON parser (400,
    docs/api.md), also inside the phenopacket's open objects whose schema allows any key: a documented refusal that
    JSON Schema cannot express without a recursive schema, and that hostile-input.test.ts tests on its own."""
    return not _poisoning(body)
