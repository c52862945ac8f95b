"""Scoring one experiment item: built-in code scorers (exact match, contains, valid JSON, text
similarity) by name, and any project scorer through the evaluation area's ``run_scorer`` once it
exists (issue 16), so server-run experiments can use every scorer the project defines.

A scorer answers ``ItemScore(name, value, reason)``; a scorer that raises gives a failed score
(value 0 and the error as its reason) rather than failing the item: the output is still worth
keeping and the other scorers still ran.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Callable

from sqlmodel import Session

from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import Invalid


@dataclass(frozen=True)
class ItemScore:
    name: str
    value: float
    reason: str
    type: str = "CODE"


def expected_text(expected: Any) -> str:
    """The text an answer is compared with: a message's content, a lone value, or JSON."""
    if expected is None:
        return ""
    if isinstance(expected, str):
        return expected
    if isinstance(expected, dict):
        for key in ("content", "output", "answer", "expected", "expected_output"):
            if isinstance(expected.get(key), str):
                return expected[key]
        if len(expected) == 1:
            only = next(iter(expected.values()))
            return only if isinstance(only, str) else json.dumps(only)
    return json.dumps(expected, sort_keys=True)


def _exact(output: str, expected: Any) -> tuple[float, str]:
    want = expected_text(expected)
    same = output.strip() == want.strip()
    return (1.0, "The output equals the expected output.") if same else (0.0, "The output differs from the expected output.")


def _contains(output: str, expected: Any) -> tuple[float, str]:
    want = expected_text(expected).strip()
    found = bool(want) and want.lower() in output.lower()
    return (1.0, "The output contains the expected text.") if found else (0.0, "The expected text is not in the output.")


def _json_valid(output: str, _expected: Any) -> tuple[float, str]:
    try:
        json.loads(output)
    except ValueError as exc:
        return 0.0, f"Not valid JSON: {exc}."
    return 1.0, "The output is valid JSON."


def _similarity(output: str, expected: Any) -> tuple[float, str]:
    ratio = difflib.SequenceMatcher(None, output.strip(), expected_text(expected).strip(), autojunk=False).ratio()
    return round(ratio, 4), f"Character similarity {ratio:.0%} (difflib ratio)."


BUILT_IN: dict[str, tuple[str, Callable[[str, Any], tuple[float, str]]]] = {
    "exact_match": ("Exact match", _exact),
    "contains": ("Contains expected", _contains),
    "json_valid": ("Valid JSON", _json_valid),
    "similarity": ("Similarity", _similarity),
}


def scorer_choices() -> list[tuple[str, str]]:
    """(id, label) of the scorers an experiment can use."""
    return [(key, label) for key, (label, _fn) in BUILT_IN.items()]


def check_scorers(scorer_ids: list[str]) -> list[str]:
    unknown = [s for s in scorer_ids if s not in BUILT_IN and _delegate() is None]
    if unknown:
        raise Invalid(f"Unknown scorer {unknown[0]!r}: use {', '.join(BUILT_IN)}.")
    return list(dict.fromkeys(scorer_ids))


def _delegate() -> Callable | None:
    """The evaluation area's ``run_scorer`` when it is installed (project scorers)."""
    from literal_app.services import evaluation

    return getattr(evaluation, "run_scorer", None)


def score_item(session: Session, actor: Actor, scorer_ids: list[str], *, input: Any, output: str,
               expected_output: Any) -> list[ItemScore]:
    """Run each scorer on one item's output; never raises for a scorer's own failure."""
    out: list[ItemScore] = []
    for scorer_id in scorer_ids:
        try:
            out.append(_one(session, actor, scorer_id, input, output, expected_output))
        except Exception as exc:  # a broken scorer is reported on the item, it does not sink it
            out.append(ItemScore(BUILT_IN.get(scorer_id, (scorer_id,))[0], 0.0, f"Scorer failed: {exc}"))
    return out


def _one(session: Session, actor: Actor, scorer_id: str, input: Any, output: str, expected: Any) -> ItemScore:
    if scorer_id in BUILT_IN:
        label, fn = BUILT_IN[scorer_id]
        value, reason = fn(output, expected)
        return ItemScore(label, value, reason)
    result = _delegate()(session, actor, scorer_id, input=input, output=output, expected_output=expected)
    return ItemScore(getattr(result, "name", scorer_id), float(getattr(result, "value")),
                     getattr(result, "reason", "") or getattr(result, "comment", "") or "",
                     getattr(result, "type", "AI") or "AI")
