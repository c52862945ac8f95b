"""Comparing two experiments (``/experiments/compare?base=&candidate=``): per score the paired mean
difference with its 95% CI, p value and verdict, items that got better or worse, and the shared
items side by side with their score deltas."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.services.datasets import comparison
from literal_app.services.kernel.errors import DomainError
from literal_app.state.datasets.dataset import short
from literal_app.state.datasets.experiment import text_of
from literal_app.state.session import SessionState

SHOWN = 100


@dataclass(frozen=True)
class VerdictRow:
    name: str
    base: str
    candidate: str
    difference: str
    ci: str
    p: str
    verdict: str
    better: int
    worse: int


@dataclass(frozen=True)
class PairRow:
    input: str
    expected: str
    base: str
    candidate: str
    deltas: str
    direction: str  # better | worse | same


def _f(v: float | None, fmt: str = ".4g") -> str:
    return "—" if v is None else format(v, fmt)


def _direction(deltas: dict[str, float]) -> str:
    total = sum(deltas.values())
    return "better" if total > 0 else "worse" if total < 0 else "same"


def _p(value: float | None) -> str:
    """A p-value as people read it: "< 0.001" rather than a rounded 0."""
    return "< 0.001" if value is not None and value < 0.001 else _f(value, ".3g")


class CompareState(SessionState):
    base_id: str = ""
    candidate_id: str = ""
    base_name: str = ""
    candidate_name: str = ""
    shared: int = 0
    verdicts: list[VerdictRow] = []
    pairs: list[PairRow] = []
    error: str = ""

    @rx.event
    def load(self):
        q = self.router.url.query_parameters
        self.base_id, self.candidate_id = q.get("base", ""), q.get("candidate", "")
        if not self.project_id:
            return
        try:
            c = self.call(comparison.compare, self.base_id, self.candidate_id)
        except DomainError as exc:
            self.error, self.verdicts, self.pairs = exc.message, [], []
            return
        self.error, self.base_name, self.candidate_name, self.shared = "", c.base.name, c.candidate.name, len(c.items)
        self.verdicts = [VerdictRow(n, _f(p.base_mean), _f(p.candidate_mean), _f(p.difference, "+.4g"),
                                    "—" if p.low is None else f"[{p.low:+.3g}, {p.high:+.3g}]", _p(p.p_value),
                                    p.verdict, c.better.get(n, 0), c.worse.get(n, 0)) for n, p in c.scores.items()]
        changed = sorted(c.items, key=lambda p: sum(p.deltas.values()))
        self.pairs = [PairRow(short(p.input), text_of(p.expected_output)[:400], text_of(p.base_output)[:400],
                              text_of(p.candidate_output)[:400],
                              " · ".join(f"{n} {d:+.3g}" for n, d in p.deltas.items()), _direction(p.deltas))
                      for p in changed[:SHOWN]]
