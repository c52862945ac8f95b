"""Small statistics for experiments: a mean with its 95% confidence interval (Student's t) and the
paired comparison of two experiments over their shared items. Pure functions, no database.

Student's t quantile is computed here (regularised incomplete beta + bisection) rather than
pulling in SciPy for one function; it matches ``scipy.stats.t.ppf`` to ~1e-9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Summary:
    count: int
    mean: float | None
    low: float | None  # 95% CI
    high: float | None
    stdev: float | None


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (Numerical Recipes, modified Lentz)."""
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:  # the last (odd) step changed nothing: converged
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    tail = 0.5 * _betainc(df / 2, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (0.5 < p < 1)."""
    low, high = 0.0, 1e3
    for _ in range(200):
        mid = (low + high) / 2
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def summarize(values: list[float]) -> Summary:
    n = len(values)
    if n == 0:
        return Summary(0, None, None, None, None)
    mean = sum(values) / n
    if n == 1:
        return Summary(1, mean, None, None, None)
    stdev = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * stdev / math.sqrt(n)
    return Summary(n, mean, mean - half, mean + half, stdev)


@dataclass(frozen=True)
class Paired:
    """Candidate minus base over the shared items: mean difference, its 95% CI, the two-sided p
    value of the paired t-test, and the verdict."""

    count: int
    base_mean: float | None
    candidate_mean: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    verdict: str  # better | worse | no significant difference | not enough data


def paired(base: list[float], candidate: list[float]) -> Paired:
    n = len(base)
    if n < 2:
        return Paired(n, _mean(base), _mean(candidate), None, None, None, None, "not enough data")
    diffs = [c - b for b, c in zip(base, candidate)]
    s = summarize(diffs)
    if s.stdev == 0:  # every item moved by the same amount: the sign is the verdict
        verdict = "better" if s.mean > 0 else "worse" if s.mean < 0 else "no significant difference"
        return Paired(n, _mean(base), _mean(candidate), s.mean, s.mean, s.mean, 0.0 if s.mean else 1.0, verdict)
    t = s.mean / (s.stdev / math.sqrt(n))
    p = 2 * (1 - t_cdf(abs(t), n - 1))
    verdict = "no significant difference"
    if s.low > 0:
        verdict = "better"
    elif s.high < 0:
        verdict = "worse"
    return Paired(n, _mean(base), _mean(candidate), s.mean, s.low, s.high, p, verdict)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def histogram(values: list[float], bins: int = 10) -> list[tuple[float, float, int]]:
    """(from, to, count) buckets over the values' range, for a distribution chart."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [(low, high, len(values))]
    width = (high - low) / bins
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / width), bins - 1)] += 1
    return [(low + i * width, low + (i + 1) * width, c) for i, c in enumerate(counts)]
