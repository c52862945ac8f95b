"""Code scorers: deterministic, LLM-free metrics configured with parameters (never with code).

Each metric reads the scored output (and the expected output or a configured value) as text,
and answers ``(value, label, reason)``. Pass/fail metrics answer 1.0 "pass" / 0.0 "fail";
similarities answer 0–1; numeric distance answers the distance. ``check_params`` validates a
configuration when a scorer is saved, so a bad regex or schema is refused before any run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

import regex
from jsonschema import SchemaError
from jsonschema.validators import validator_for
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from literal_app.services.kernel.errors import Invalid

MAX_TEXT = 200_000  # characters of a scored text a metric reads (bounds regex and fuzzy work)
REGEX_TIMEOUT = 0.5  # seconds: a pathological pattern fails its run instead of hanging a worker


class MetricError(Exception):
    """The scored data cannot be measured (e.g. not a number): the run fails with this reason."""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    description: str
    needs_expected: bool  # True when it compares to the expected output (unless a value is set)
    score: Callable[[dict, str, str | None], tuple[float, str | None, str]]


def text_of(value: Any, key: str | None = None) -> str:
    """The text a metric reads from a logged value: a string as is, a message's ``content``,
    anything else as compact JSON. ``key`` (dotted, e.g. ``answer.text``) picks a field first."""
    if key:
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, dict) and isinstance(value.get("content"), str) and not key:
        return value["content"][:MAX_TEXT]
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)[:MAX_TEXT]


def _norm(text: str, params: dict) -> str:
    text = text.strip() if params.get("trim", True) else text
    return text if params.get("case_sensitive", True) else text.casefold()


def _passed(ok: bool, reason: str) -> tuple[float, str, str]:
    return (1.0, "pass", reason) if ok else (0.0, "fail", reason)


def _target(params: dict, expected: str | None) -> str:
    value = params.get("value")
    if value not in (None, ""):
        return str(value)
    if expected is None:
        raise MetricError("No expected output to compare with (set a value in the scorer or score a dataset item).")
    return expected


def _exact(params: dict, out: str, expected: str | None):
    ok = _norm(out, params) == _norm(_target(params, expected), params)
    return _passed(ok, "The output equals the expected text." if ok else "The output differs from the expected text.")


def _contains(params: dict, out: str, expected: str | None):
    needle = _target(params, expected)
    ok = _norm(needle, params) in _norm(out, params)
    return _passed(ok, f"The output {'contains' if ok else 'does not contain'} {needle[:80]!r}.")


def _not_contains(params: dict, out: str, expected: str | None):
    value, _, reason = _contains(params, out, expected)
    return _passed(value == 0.0, reason)


def _regex(params: dict, out: str, expected: str | None):
    flags = regex.IGNORECASE if params.get("ignore_case") else 0
    try:
        found = regex.search(params["pattern"], out, flags, timeout=REGEX_TIMEOUT)
    except TimeoutError:
        raise MetricError("The regular expression took too long on this output.") from None
    return _passed(found is not None, f"The pattern {'matches' if found else 'does not match'} the output.")


def _valid_json(params: dict, out: str, expected: str | None):
    try:
        json.loads(out)
    except ValueError as exc:
        return _passed(False, f"Not valid JSON: {exc}.")
    return _passed(True, "The output is valid JSON.")


def _json_schema(params: dict, out: str, expected: str | None):
    try:
        doc = json.loads(out)
    except ValueError as exc:
        return _passed(False, f"Not valid JSON: {exc}.")
    error = next(iter(validator_for(params["schema"])(params["schema"]).iter_errors(doc)), None)
    if error is None:
        return _passed(True, "The output matches the schema.")
    where = "/".join(str(p) for p in error.absolute_path) or "the document"
    return _passed(False, f"At {where}: {error.message}"[:500])


def _similarity(params: dict, out: str, expected: str | None):
    a, b = _norm(out, params), _norm(_target(params, expected), params)
    if params.get("method", "levenshtein") == "token_set":
        value = fuzz.token_set_ratio(a, b) / 100.0
    else:
        value = Levenshtein.normalized_similarity(a, b)
    threshold = params.get("threshold")
    label = None if threshold is None else ("pass" if value >= float(threshold) else "fail")
    return round(value, 6), label, f"Similarity {value:.3f} ({params.get('method', 'levenshtein')})."


def _number(text: str, what: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise MetricError(f"The {what} is not a number: {text[:60]!r}.") from None


def _numeric(params: dict, out: str, expected: str | None):
    got, want = _number(out, "output"), _number(_target(params, expected), "expected value")
    dist = abs(got - want)
    if params.get("relative"):
        dist = dist / abs(want) if want else (0.0 if got == 0 else float("inf"))
    tolerance = params.get("tolerance")
    label = None if tolerance is None else ("pass" if dist <= float(tolerance) else "fail")
    return round(dist, 9), label, f"|{got:g} - {want:g}|{' / |expected|' if params.get('relative') else ''} = {dist:g}."


def _length(params: dict, out: str, expected: str | None):
    unit = params.get("unit", "characters")
    size = len(out.split()) if unit == "words" else len(out)
    lo, hi = params.get("min"), params.get("max")
    ok = (lo is None or size >= lo) and (hi is None or size <= hi)
    bounds = f"{lo if lo is not None else 0}–{hi if hi is not None else '∞'}"
    return _passed(ok, f"{size} {unit}, {'within' if ok else 'outside'} {bounds}.")


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("exact_match", "Exact match", "Output equals the expected output (or a value).", True, _exact),
    Metric("contains", "Contains", "Output contains the value (or the expected output).", True, _contains),
    Metric("not_contains", "Does not contain", "Output does not contain the value.", True, _not_contains),
    Metric("regex", "Regex", "Output matches a regular expression.", False, _regex),
    Metric("valid_json", "Valid JSON", "Output parses as JSON.", False, _valid_json),
    Metric("json_schema", "Matches JSON schema", "Output is JSON valid against a schema.", False, _json_schema),
    Metric("similarity", "String similarity", "Levenshtein or token-set similarity to the expected output, 0–1.",
           True, _similarity),
    Metric("numeric_distance", "Numeric distance", "Absolute (or relative) distance to the expected number.",
           True, _numeric),
    Metric("length", "Length bounds", "Output length in characters or words within bounds.", False, _length),
)}


def score(metric: str, params: dict, output: Any, expected_output: Any = None) -> tuple[float, str | None, str]:
    """Run ``metric`` on the output; ``MetricError`` when the data cannot be measured."""
    m = METRICS[metric]
    out = text_of(output, params.get("output_key") or None)
    expected = None if expected_output is None else text_of(expected_output, params.get("expected_key") or None)
    return m.score(params, out, expected)


_BOOLS = ("case_sensitive", "trim", "ignore_case", "relative")


def _num(params: dict, key: str, what: str, *, minimum: float | None = None) -> float | None:
    value = params.get(key)
    if value in (None, ""):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise Invalid(f"{what} must be a number.") from None
    if minimum is not None and value < minimum:
        raise Invalid(f"{what} must be at least {minimum:g}.")
    return value


def check_params(metric: str, params: Any) -> dict:
    """The metric's parameters cleaned, or ``Invalid`` naming what to fix."""
    if metric not in METRICS:
        raise Invalid(f"Unknown code metric {metric!r}; choose one of {', '.join(METRICS)}.")
    params = dict(params) if isinstance(params, dict) else {}
    out: dict[str, Any] = {k: bool(params[k]) for k in _BOOLS if k in params}
    for key in ("value", "output_key", "expected_key"):
        if params.get(key) not in (None, ""):
            out[key] = str(params[key])[:10_000]
    if metric == "regex":
        pattern = str(params.get("pattern") or "")
        if not pattern or len(pattern) > 1000:
            raise Invalid("Enter a regular expression (at most 1000 characters).")
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise Invalid(f"The regular expression is not valid: {exc}.") from None
        out["pattern"] = pattern
    elif metric == "json_schema":
        schema = params.get("schema")
        if isinstance(schema, str):
            try:
                schema = json.loads(schema)
            except ValueError as exc:
                raise Invalid(f"The JSON schema is not valid JSON: {exc}.") from None
        if not isinstance(schema, dict):
            raise Invalid("The JSON schema must be an object, e.g. {\"type\": \"object\"}.")
        try:
            validator_for(schema).check_schema(schema)
        except SchemaError as exc:
            raise Invalid(f"Not a valid JSON schema: {exc.message}") from None
        out["schema"] = schema
    elif metric == "similarity":
        method = params.get("method") or "levenshtein"
        if method not in ("levenshtein", "token_set"):
            raise Invalid("Similarity is levenshtein or token_set.")
        out["method"] = method
        threshold = _num(params, "threshold", "The pass threshold", minimum=0)
        if threshold is not None:
            out["threshold"] = min(threshold, 1.0)
    elif metric == "numeric_distance":
        tolerance = _num(params, "tolerance", "The tolerance", minimum=0)
        if tolerance is not None:
            out["tolerance"] = tolerance
    elif metric == "length":
        unit = params.get("unit") or "characters"
        if unit not in ("characters", "words"):
            raise Invalid("Length is counted in characters or words.")
        lo, hi = _num(params, "min", "The minimum length", minimum=0), _num(params, "max", "The maximum length",
                                                                          minimum=0)
        if lo is None and hi is None:
            raise Invalid("Set a minimum or a maximum length.")
        if lo is not None and hi is not None and lo > hi:
            raise Invalid("The minimum length is above the maximum.")
        out.update(unit=unit, **({"min": int(lo)} if lo is not None else {}), **({"max": int(hi)} if hi is not None else {}))
    return out
