"""Kendall's tau-b and the Theil-Sen slope of a series of periods, in plain Python.

A trend spans a few dozen periods at most, so the pairwise definitions, O(n²), are both the
clearest form and fast enough. Each function gives what scipy.stats gives (`kendalltau` with
its default method "auto", `theilslopes` with its default method "separate"), with the same
float operations in the same order. The normal distribution's functions come from the
standard library (math.erfc for the tail, statistics.NormalDist for the quantile), so that a
dashboard worker loads neither scipy nor numpy.

References: Kendall, M. G. (1970), Rank Correlation Methods, 4th ed., Griffin (tau-b, its
variance with ties, and the exact null distribution without ties); Sen, P. K. (1968),
"Estimates of the regression coefficient based on Kendall's tau", JASA 63(324), 1379-1389
(the slope's interval, equation 2.6).
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from statistics import NormalDist

EXACT_MAX_N = 33  # scipy's "auto": the exact p-value up to 33 points without ties


@dataclass(frozen=True)
class KendallTau:
    """Kendall's tau-b with its two-sided p-value."""

    tau: float
    p_value: float


@dataclass(frozen=True)
class TheilSen:
    """The Theil-Sen slope (median of pairwise slopes) and Sen's interval of it."""

    slope: float
    low: float
    high: float


def _sign(a: float, b: float) -> int:
    return (a > b) - (a < b)


def _tie_sums(values: Sequence[float]) -> tuple[int, int, int]:
    """Return, over groups of t equal values, Σ t(t-1)/2, Σ t(t-1)(t-2) and Σ t(t-1)(2t+5)."""
    sizes = [t for t in Counter(values).values() if t > 1]
    return (sum(t * (t - 1) // 2 for t in sizes), sum(t * (t - 1) * (t - 2) for t in sizes),
            sum(t * (t - 1) * (2 * t + 5) for t in sizes))


def paired(xs: Sequence[float], ys: Sequence[float]) -> tuple[list[float], list[float]]:
    """Return xs and ys as lists of floats, checked: equal lengths, finite values."""
    try:
        xs, ys = [float(x) for x in xs], [float(y) for y in ys]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"xs and ys must be sequences of numbers: {exc}") from exc
    if len(xs) != len(ys):
        raise ValueError(f"xs and ys must be equal-length sequences, got {len(xs)} and {len(ys)}")
    if not all(math.isfinite(v) for v in (*xs, *ys)):
        raise ValueError("xs and ys must be finite")
    return xs, ys


def kendall_tau(xs: Sequence[float], ys: Sequence[float]) -> KendallTau:
    """Return Kendall's tau-b of the pairs (xs, ys) and its two-sided p-value.

    The p-value is exact (Kendall 1970) without ties when n <= 33 or at most one pair is
    discordant (or concordant), else the normal approximation with the tie-corrected variance.
    """
    xs, ys = paired(xs, ys)
    n = len(xs)
    pairs = n * (n - 1) // 2
    x_ties, x0, x1 = _tie_sums(xs)
    y_ties, y0, y1 = _tie_sums(ys)
    if n < 2 or x_ties == pairs or y_ties == pairs:
        raise ValueError("tau-b is undefined when xs or ys are all equal (or fewer than 2)")
    score = discordant = 0  # score: concordant minus discordant pairs
    for i in range(n):
        for j in range(i + 1, n):
            sign = _sign(xs[i], xs[j]) * _sign(ys[i], ys[j])
            score += sign
            discordant += sign < 0
    tau = min(1.0, max(-1.0, score / math.sqrt(pairs - x_ties) / math.sqrt(pairs - y_ties)))
    if x_ties == y_ties == 0 and (n <= EXACT_MAX_N or min(discordant, pairs - discordant) <= 1):
        return KendallTau(tau, _exact_p(n, pairs - discordant))
    m = n * (n - 1.0)
    variance = ((m * (2 * n + 5) - x1 - y1) / 18 + (2 * x_ties * y_ties) / m
                + x0 * y0 / (9 * m * (n - 2)))
    z = score / math.sqrt(variance)
    return KendallTau(tau, math.erfc(abs(z) / math.sqrt(2)))  # 2·Φ(-|z|)


def _exact_p(n: int, concordant: int) -> float:
    """Return the two-sided exact p-value of `concordant` pairs among n untied points: twice
    the share of the n! orderings with at most min(concordant, discordant) inversions."""
    c = min(concordant, n * (n - 1) // 2 - concordant)
    if n <= 2 or 4 * c == n * (n - 1):
        return 1.0
    if c == 0:
        return 2.0 / math.factorial(n) if n < 171 else 0.0
    if c == 1:
        return 2.0 / math.factorial(n - 1) if n < 172 else 0.0
    counts = [1, 1] + [0] * (c - 1)  # orderings of 2 points with 0, 1, .., c inversions
    for size in range(3, n + 1):  # Mahonian numbers: I(size, k) = Σ I(size - 1, k - i), i < size
        running = list(accumulate(counts))
        counts = [running[k] - (running[k - size] if k >= size else 0) for k in range(c + 1)]
    return min(2 * sum(counts) / math.factorial(n), 1.0)


def _median(ordered: list[float]) -> float:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def theil_sen(xs: Sequence[float], ys: Sequence[float], level: float = 0.95) -> TheilSen:
    """Return the median slope over pairs with x_i > x_j, and its interval at `level`.

    The interval (Sen 1968, eq. 2.6) takes the pairwise slopes at ranks (N ∓ z σ) / 2, with
    N the number of slopes, z the normal quantile and σ² = (n(n-1)(2n+5) - Σ over tie groups
    in xs and in ys of t(t-1)(2t+5)) / 18; a level above 0.5 is taken as 1 - level, as scipy
    does. Low and high are NaN when ties leave σ² negative.
    """
    xs, ys = paired(xs, ys)
    slopes = sorted((ys[i] - ys[j]) / (xs[i] - xs[j])
                    for i in range(len(xs)) for j in range(len(xs)) if xs[i] > xs[j])
    if not slopes:
        raise ValueError(f"xs must hold at least 2 different values, got {xs!r}")
    alpha = 1.0 - level if level > 0.5 else level
    z = NormalDist().inv_cdf(alpha / 2.0)
    n = len(ys)
    sigma_sq = 1 / 18.0 * (n * (n - 1) * (2 * n + 5) - _tie_sums(xs)[2] - _tie_sums(ys)[2])
    if sigma_sq < 0:
        return TheilSen(_median(slopes), math.nan, math.nan)
    sigma, count = math.sqrt(sigma_sq), len(slopes)
    upper = min(round((count - z * sigma) / 2.0), count - 1)
    lower = max(round((count + z * sigma) / 2.0) - 1, 0)
    return TheilSen(_median(slopes), slopes[lower], slopes[upper])
