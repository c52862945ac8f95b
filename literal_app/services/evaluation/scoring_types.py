"""The result every scorer answers (kept apart so each kind's module can build one)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScorerResult:
    """The score (``value``; ``label`` for a category or pass/fail), why (``reason``), what the
    judge cost (``tokens``, ``cost`` in USD, ``judge_step_id`` of the logged judge generation),
    or ``error`` (then ``value`` is None). ``name`` and ``type`` (CODE | AI) are the score's."""

    value: float | None
    label: str | None = None
    reason: str = ""
    tokens: int = 0
    cost: float | None = None
    error: str | None = None
    retryable: bool = False
    name: str = ""
    type: str = "CODE"
    score_schema_id: str | None = None
    judge_step_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
