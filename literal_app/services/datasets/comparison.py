"""Comparing two experiments on the same dataset: items paired by dataset item, per score the
paired mean difference (candidate - base) with its 95% CI and a verdict, items that got better
or worse, and the CI gate's decision (``gate``) used by ``literal_app.cli compare-experiments``
and ``GET /api/experiments/compare``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session

from literal_app.services.datasets import experiment_views as views
from literal_app.services.datasets.stats import Paired, paired
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid


@dataclass(frozen=True)
class PairedItem:
    dataset_item_id: str
    input: Any
    expected_output: Any
    base_output: Any
    candidate_output: Any
    base_scores: dict[str, float]
    candidate_scores: dict[str, float]
    deltas: dict[str, float]


@dataclass(frozen=True)
class Comparison:
    base: views.ExperimentSummary
    candidate: views.ExperimentSummary
    scores: dict[str, Paired]
    items: list[PairedItem] = field(default_factory=list)
    better: dict[str, int] = field(default_factory=dict)
    worse: dict[str, int] = field(default_factory=dict)


def _by_dataset_item(items: list[views.ItemResult]) -> dict[str, views.ItemResult]:
    """Finished items by dataset item (the first one when an SDK logged an item twice)."""
    out: dict[str, views.ItemResult] = {}
    for i in items:
        if i.dataset_item_id and i.status == "done":
            out.setdefault(i.dataset_item_id, i)
    return out


def compare(session: Session, actor: Actor, base_id: str, candidate_id: str) -> Comparison:
    """The paired comparison of ``candidate_id`` against ``base_id``."""
    require(actor, "datasets:read")
    base, cand = views.get_summary(session, actor, base_id), views.get_summary(session, actor, candidate_id)
    if base.dataset_id and cand.dataset_id and base.dataset_id != cand.dataset_id:
        raise Invalid("These experiments ran on different datasets: compare experiments of one dataset.")
    b_items = _by_dataset_item(views.item_results(session, actor, base_id))
    c_items = _by_dataset_item(views.item_results(session, actor, candidate_id))
    shared = [k for k in b_items if k in c_items]
    pairs = [_pair(k, b_items[k], c_items[k]) for k in shared]
    names = sorted({n for p in pairs for n in p.deltas})
    scores = {}
    for name in names:
        both = [p for p in pairs if name in p.deltas]
        scores[name] = paired([p.base_scores[name] for p in both], [p.candidate_scores[name] for p in both])
    better = {n: sum(1 for p in pairs if p.deltas.get(n, 0) > 0) for n in names}
    worse = {n: sum(1 for p in pairs if p.deltas.get(n, 0) < 0) for n in names}
    return Comparison(base, cand, scores, pairs, better, worse)


def _pair(key: str, b: views.ItemResult, c: views.ItemResult) -> PairedItem:
    bs = {s.name: s.value for s in b.scores}
    cs = {s.name: s.value for s in c.scores}
    deltas = {n: cs[n] - bs[n] for n in bs if n in cs}
    return PairedItem(key, b.input, b.expected_output, b.output, c.output, bs, cs, deltas)


@dataclass(frozen=True)
class GateResult:
    score: str
    passed: bool
    reason: str
    result: Paired


def gate(comparison: Comparison, score: str, max_regression: float | None = None) -> GateResult:
    """Fail when the candidate is significantly worse on ``score``, or when its mean dropped by more
    than ``max_regression`` (in the score's units) whatever the significance."""
    if score not in comparison.scores:
        known = ", ".join(comparison.scores) or "none"
        raise Invalid(f"No score {score!r} on the shared items of both experiments (scores: {known}).")
    r = comparison.scores[score]
    if max_regression is not None and r.difference is not None and -r.difference > max_regression:
        return GateResult(score, False, f"mean {score} dropped by {-r.difference:.4g} (> {max_regression:g})", r)
    if max_regression is None and r.verdict == "worse":
        return GateResult(score, False, f"{score} is significantly worse (95% CI {r.low:.4g} .. {r.high:.4g})", r)
    return GateResult(score, True, f"{score}: {r.verdict}", r)


def as_json(comparison: Comparison, gate_result: GateResult | None = None, with_items: bool = False) -> dict:
    """The comparison as plain JSON (the API's answer and the CLI's ``--json``)."""
    def exp(s: views.ExperimentSummary) -> dict:
        return {"id": s.id, "name": s.name, "datasetId": s.dataset_id, "model": s.model, "items": s.items,
                "failures": s.failures, "averages": s.averages}

    out = {"base": exp(comparison.base), "candidate": exp(comparison.candidate),
           "scores": {n: {**asdict(p), "better": comparison.better.get(n, 0), "worse": comparison.worse.get(n, 0)}
                      for n, p in comparison.scores.items()},
           "sharedItems": len(comparison.items)}
    if gate_result is not None:
        out["gate"] = {"score": gate_result.score, "passed": gate_result.passed, "reason": gate_result.reason}
    if with_items:
        out["items"] = [asdict(p) for p in comparison.items]
    return out
