"""Tests of analysis.rank_trend and the Welch test of analysis.stats against scipy.stats (which
they replace on the dashboards) and against hand computations."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from analysis import rank_trend
from analysis.stats import MeanSummary, compare_answers, compare_periods, trend

RELATIVE = 1e-12


def close(found: float, expected) -> bool:
    """Return whether found equals scipy's figure to RELATIVE (NaN equals NaN)."""
    expected = float(expected)
    if math.isnan(expected):
        return math.isnan(found)
    return found == pytest.approx(expected, rel=RELATIVE, abs=0)


# Series of 2..40 points: integers from a small range (many ties, as konversi figures that
# repeat or a period index), or two-decimal konversi figures (few ties).
def series(min_size: int = 2, max_size: int = 40):
    tied = st.integers(min_value=0, max_value=4).map(float)
    konversi = st.integers(min_value=2500, max_value=10000).map(lambda v: v / 100)
    return st.integers(min_value=min_size, max_value=max_size).flatmap(lambda n: st.tuples(
        st.lists(st.one_of(tied, konversi), min_size=n, max_size=n),
        st.lists(st.one_of(tied, konversi), min_size=n, max_size=n)))


@settings(max_examples=250, deadline=None)
@given(pair=series())
def test_kendall_tau_equals_scipy(pair):
    xs, ys = pair
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        with pytest.raises(ValueError, match="undefined"):
            rank_trend.kendall_tau(xs, ys)
        return
    found, expected = rank_trend.kendall_tau(xs, ys), scipy_stats.kendalltau(xs, ys)
    assert close(found.tau, expected.statistic)
    assert close(found.p_value, expected.pvalue)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=2, max_value=40), data=st.data())
def test_kendall_exact_p_value_equals_scipy_without_ties(n, data):
    # Untied points, the case of the exact p-value (n <= 33, or one pair out of order beyond).
    xs = list(range(n))
    ys = data.draw(st.permutations(range(n)))
    found, expected = rank_trend.kendall_tau(xs, ys), scipy_stats.kendalltau(xs, ys)
    assert close(found.tau, expected.statistic)
    assert close(found.p_value, expected.pvalue)


@settings(max_examples=250, deadline=None)
@given(pair=series(), level=st.sampled_from([0.95, 0.9, 0.99, 0.8, 0.5, 0.3]))
def test_theil_sen_equals_scipy(pair, level):
    xs, ys = pair
    if len(set(xs)) < 2:
        with pytest.raises(ValueError, match="2 different"):
            rank_trend.theil_sen(xs, ys, level)
        return
    found = rank_trend.theil_sen(xs, ys, level)
    with np.errstate(invalid="ignore"):  # scipy warns where σ² < 0, then gives NaN
        expected = scipy_stats.theilslopes(ys, xs, alpha=level)
    assert close(found.slope, expected.slope)
    assert close(found.low, expected.low_slope)
    assert close(found.high, expected.high_slope)


def test_kendall_tau_b_with_a_tie_by_hand():
    # xs 1..4, ys 1, 1, 2, 3: of 6 pairs, 5 concordant and 1 tied in y (the first two), so
    # tau-b = 5 / sqrt(6 · 5) = 0.912871; with a tie the p-value is the normal one: variance
    # (n(n-1)(2n+5) - 2·1·9) / 18 = (156 - 18) / 18 = 7.6667, z = 5 / sqrt(7.6667) = 1.805788,
    # p = 2 (1 - Φ(z)) = erfc(z / √2) = 0.0709515 (Kendall 1970, ch. 4).
    found = rank_trend.kendall_tau([1, 2, 3, 4], [1, 1, 2, 3])
    assert found.tau == pytest.approx(5 / math.sqrt(30))
    assert found.p_value == pytest.approx(0.0709515, abs=1e-7)


def test_kendall_exact_p_value_by_hand():
    # 4 untied points with 1 pair out of order: 1 of the 24 orderings has 0 inversions and 3
    # have 1, so p = 2 · 4 / 24 = 1/3; the mirror image (5 pairs out of order) gives the same.
    assert rank_trend.kendall_tau([1, 2, 3, 4], [1, 3, 2, 4]).p_value == pytest.approx(1 / 3)
    assert rank_trend.kendall_tau([1, 2, 3, 4], [4, 2, 3, 1]).p_value == pytest.approx(1 / 3)
    # 5 points and 4 of 10 pairs out of order: the permutations of 5 with at most 4
    # inversions number 1 + 4 + 9 + 15 + 20 = 49 (Mahonian numbers), p = 2 · 49 / 120.
    assert rank_trend.kendall_tau([1, 2, 3, 4, 5], [2, 4, 1, 5, 3]).p_value == pytest.approx(
        98 / 120)


def test_theil_sen_by_hand():
    # xs 1..4, ys 1, 1, 2, 3: pairwise slopes 0, 1/2, 2/3, 1, 1, 1, median (2/3 + 1) / 2 = 5/6.
    # σ² = 7.6667 as above, σ = 2.76887, z = -1.95996: ranks round((6 + 5.4269) / 2) = 6, capped
    # at 5, and round((6 - 5.4269) / 2) - 1 = -1, raised to 0: the interval is 0 .. 1.
    found = rank_trend.theil_sen([1, 2, 3, 4], [1, 1, 2, 3])
    assert (found.slope, found.low, found.high) == (pytest.approx(5 / 6), 0.0, 1.0)


def test_bad_series_are_refused():
    with pytest.raises(ValueError, match="equal-length"):
        rank_trend.kendall_tau([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="finite"):
        rank_trend.theil_sen([1, 2, 3], [1, math.inf, 2])
    with pytest.raises(ValueError, match="numbers"):
        trend([[1, 2], [3, 4]], [1, 2])


@settings(max_examples=200, deadline=None)
@given(pair=series(min_size=3), level=st.sampled_from([0.95, 0.9]))
def test_trend_equals_scipy(pair, level):
    xs, ys = pair
    if len(set(xs)) < 2:
        return
    found = trend(xs, ys, level)
    with np.errstate(invalid="ignore"):
        fit = scipy_stats.theilslopes(ys, xs, alpha=level)
    assert close(found.slope, fit.slope)
    assert close(found.low, fit.low_slope) and close(found.high, fit.high_slope)
    if len(set(ys)) < 2:
        assert (found.tau, found.p_value, found.significant) == (None, None, False)
        return
    tau = scipy_stats.kendalltau(xs, ys)
    assert close(found.tau, tau.statistic) and close(found.p_value, tau.pvalue)
    assert found.significant == (tau.pvalue < 0.05)


# Answers per value 1..4 of one element in one period, at least 2 answers.
counts = st.tuples(*[st.integers(min_value=0, max_value=300)] * 4).filter(lambda c: sum(c) > 1)


@settings(max_examples=300, deadline=None)
@given(before=counts, after=counts, level=st.sampled_from([0.95, 0.9, 0.99]))
def test_welch_equals_scipy(before, after, level):
    change = compare_answers(before, after, level)
    a = [v for v, c in zip(range(1, 5), before) for _ in range(c)]
    b = [v for v, c in zip(range(1, 5), after) for _ in range(c)]
    if len(set(a)) < 2 or len(set(b)) < 2:  # a period without spread is not tested
        assert (change.p_value, change.test) == (None, "undefined")
        return
    ma, mb = MeanSummary.of(a), MeanSummary.of(b)
    expected = scipy_stats.ttest_ind_from_stats(mb.mean, mb.std, mb.n, ma.mean, ma.std, ma.n,
                                                equal_var=False)
    assert close(change.p_value, expected.pvalue)
    va, vb = ma.variance / ma.n, mb.variance / mb.n
    df = (va + vb) ** 2 / (va**2 / (ma.n - 1) + vb**2 / (mb.n - 1))
    margin = scipy_stats.t.ppf((1 + level) / 2, df) * math.sqrt(va + vb) * 25
    assert close(change.high - change.difference, margin)


def test_welch_with_one_period_without_spread_uses_the_other():
    # Period a: 3, 3.5, 2.5 (variance 0.25); b: 4, 4 (none). Interval from a alone: df = 2,
    # t(0.975, 2) = 4.302653 (scipy.stats.t.ppf), margin = 4.302653 · sqrt(0.25 / 3) · 25.
    change = compare_periods(MeanSummary.of([3, 3.5, 2.5]), MeanSummary.of([4, 4]))
    margin = scipy_stats.t.ppf(0.975, 2) * math.sqrt(0.25 / 3) * 25
    assert close(change.high - change.difference, margin)
    assert (change.p_value, change.test) == (None, "undefined")


LIGHT = """
import json, sys
from analysis.group_index import group_index
from analysis.stats import MeanSummary, compare_periods, ikm_interval, trend
trend([0, 1, 2, 3], [80.0, 81.5, 81.5, 83.0])
trend([0, 1, 2, 3] * 10, [80.0, 81.5, 81.5, 83.0] * 10)
compare_periods(MeanSummary.of([3, 3.5, 2.5]), MeanSummary.of([4, 3, 3.5]))
ikm_interval(3, 9, 27.5)
group_index([2], [40], [820])
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("scipy", "numpy", "matplotlib")))))
"""


def test_the_dashboard_statistics_load_neither_scipy_nor_numpy_nor_matplotlib():
    # In a fresh interpreter: the trend (exact and normal p-values), Welch's test, both
    # intervals and the ranking of many groups need only the standard library (a web worker
    # stays some 29 MB lighter: bench/lean.py).
    finished = subprocess.run([sys.executable, "-c", LIGHT], capture_output=True, text=True,
                              timeout=60)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert json.loads(finished.stdout) == []
