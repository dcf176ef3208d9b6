"""Tests of analysis.stats against hand computations, published tables and scipy."""

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from analysis.ikm import compute_ikm
from analysis.stats import (
    Interval, MeanSummary, compare_answers, compare_periods, compare_units, cronbach_alpha,
    drivers, ikm_interval, importance_performance, item_total_correlations, krejcie_morgan,
    margin_of_error, nrr_interval, sample_adequacy, trend,
)

# Student t quantiles t(0.975, df) from a printed t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
T_TABLE_975 = {4: 2.776, 9: 2.262}

# Hand example for Cronbach's alpha: 4 respondents x 3 items.
#   item variances (ddof 1): [1,2,3,4] -> 5/3, [2,2,3,3] -> 1/3, [2,3,3,4] -> 2/3; sum 8/3
#   totals [5,7,9,11], variance 20/3
#   alpha = 3/2 * (1 - (8/3)/(20/3)) = 3/2 * 0.6 = 0.9
#   corrected item-total: item1 vs [4,5,6,7] -> 1; item2 [2,2,3,3] vs [3,5,6,8]:
#   cross 3, squares 1 and 13 -> 3/sqrt(13); item3 [2,3,3,4] vs [3,4,6,7]: 4/sqrt(2*10)
ALPHA_MATRIX = [[1, 2, 2], [2, 2, 3], [3, 3, 3], [4, 3, 4]]


def test_mean_summary_matches_numpy():
    values = [3.0, 3.5, 2.5, 4.0, 3.0]
    summary = MeanSummary.of(values)
    assert (summary.n, summary.total, summary.total_sq) == (5, 16.0, 52.5)
    assert summary.mean == pytest.approx(np.mean(values))
    assert summary.variance == pytest.approx(np.var(values, ddof=1))
    assert summary.std == pytest.approx(np.std(values, ddof=1))


@pytest.mark.parametrize(("args", "message"), [
    ((-1, 0, 0), "-1"), ((2, 8, 10), "below"), ((0, 3, 9), "empty"), ((2, float("nan"), 1), "nan"),
])
def test_mean_summary_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        MeanSummary(*args)


def test_mean_summary_accepts_decimals_from_sql():
    # PostgreSQL returns SUM over numeric as Decimal; the summary must not care.
    summary = MeanSummary(Decimal(5), Decimal("16"), Decimal("52.5"))
    assert summary == MeanSummary(5, Decimal("16"), Decimal("52.5"))
    assert summary.n == 5 and type(summary.n) is int
    assert summary.variance == pytest.approx(0.325)  # (52.5 - 16**2/5)/4, see below


def test_mean_summary_undefined_moments():
    with pytest.raises(ValueError, match="n = 0"):
        MeanSummary(0, 0, 0).mean
    with pytest.raises(ValueError, match="n = 1"):
        MeanSummary(1, 3, 9).variance


def test_ikm_interval_hand_computed():
    # Hand: respondent means 3, 3.5, 2.5, 4, 3: n 5, sum 16, sum of squares 52.5;
    #   mean 3.2, variance (52.5 - 16**2/5)/4 = 0.325, se = sqrt(0.325/5) = 0.254951
    #   margin = 2.776 * 0.254951 = 0.70775 (1..4 scale) -> x25 = 17.694; centre 80.
    interval = ikm_interval(5, 16, 52.5)
    assert interval.estimate == pytest.approx(80.0)
    assert interval.margin == pytest.approx(T_TABLE_975[4] * math.sqrt(0.325 / 5) * 25, abs=0.01)
    assert interval.low == pytest.approx(80 - interval.margin)
    assert interval.level == 0.95


def test_ikm_interval_needs_two_respondents():
    assert ikm_interval(1, 3.5, 12.25) is None
    assert ikm_interval(0, 0, 0) is None


def test_ikm_interval_zero_spread():
    # Every respondent answered all 4s: mean 4 -> 100, no spread, margin 0.
    assert ikm_interval(3, 12, 48) == Interval(100.0, 100.0, 0.0, 0.95)


def test_nrr_interval_hand_computed():
    # Hand: counts of answers 1..4 = 1, 2, 3, 4: n 10, sum 30, sum of squares 100;
    #   mean 3, variance (100 - 90)/9 = 10/9, se = sqrt(10/9/10) = 1/3
    #   margin = 2.262/3 = 0.754 -> 2.246 .. 3.754
    interval = nrr_interval([1, 2, 3, 4])
    assert interval.estimate == pytest.approx(3.0)
    assert interval.margin == pytest.approx(T_TABLE_975[9] / 3, abs=1e-3)
    assert (interval.low, interval.high) == pytest.approx((2.246, 3.754), abs=1e-3)


def test_nrr_interval_matches_scipy_on_raw_answers():
    answers = [1] * 1 + [2] * 2 + [3] * 3 + [4] * 4
    expected = scipy_stats.t.interval(0.9, 9, loc=np.mean(answers), scale=scipy_stats.sem(answers))
    interval = nrr_interval([1, 2, 3, 4], level=0.9)
    assert (interval.low, interval.high) == pytest.approx(expected)


@pytest.mark.parametrize(("counts", "message"), [([1, 2, 3], "4 counts"), ([1, -2, 3, 4], "-2")])
def test_nrr_interval_rejects_bad_counts(counts, message):
    with pytest.raises(ValueError, match=message):
        nrr_interval(counts)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1])
def test_level_must_be_a_probability(level):
    with pytest.raises(ValueError, match=str(level)):
        nrr_interval([1, 2, 3, 4], level=level)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=2, max_size=40))
def test_ikm_interval_centres_on_exact_ikm(responses):
    # DESIGN.md 5: with exact weights the IKM equals the mean respondent mean.
    means = [sum(r) / 9 for r in responses]
    interval = ikm_interval(len(means), math.fsum(means), math.fsum(m * m for m in means))
    ikm = compute_ikm([sum(c) for c in zip(*responses)], [len(responses)] * 9)
    assert interval.estimate == pytest.approx(float(ikm.konversi))


@pytest.mark.parametrize(("population", "expected"), [
    # DESIGN.md section 2 (required by the spec):
    (60, 52), (100, 80), (1000, 278), (10000, 370),
    # Krejcie & Morgan (1970), Table 1; each checked against the formula (unrounded value):
    (10, 10),      # 9.77
    (50, 44),      # 44.34
    (110, 86),     # 85.68
    (200, 132),    # 131.74
    (220, 140),    # 140.11
    (500, 217),    # 217.47
    (1200, 291),   # 291.15
    (1500, 306),   # 305.96
    (2800, 338),   # 337.87
    (3000, 341),   # 340.60
    (5000, 357),   # 356.76
    (9000, 368),   # 368.42
    (20000, 377),  # 376.88
    (75000, 382),  # 382.15
    (1000000, 384),  # 383.95
])
def test_krejcie_morgan_table(population, expected):
    assert krejcie_morgan(population) == expected


def test_krejcie_morgan_100000_is_383_not_384():
    # Many reproductions print "100000 -> 384", but the formula gives 382.63 -> 383 (rounding up
    # also gives 383, so rounding is not the cause).  The formula reaches 384 only from
    # N = 244 865 on, so the table's last row is read here as N = 1 000 000 (383.95): "100000"
    # is a dropped zero.  Unverified against the 1970 scan; DESIGN.md specifies the formula.
    assert krejcie_morgan(100000) == 383
    assert (krejcie_morgan(244864), krejcie_morgan(244865)) == (383, 384)


def test_krejcie_morgan_rounds_to_nearest_not_up():
    # 60 -> 52.011: rounding up would give 53; 1000 -> 277.71 -> 278 either way.
    assert krejcie_morgan(60) == 52
    assert krejcie_morgan(1) == 1  # chi2*PQ / (0 + chi2*PQ) = 1


def test_krejcie_morgan_infinite_population():
    # Limit chi2 P(1-P) / d^2 = 3.841 * 0.25 / 0.0025 = 384.1 -> 384.
    assert krejcie_morgan(None) == 384
    assert krejcie_morgan(10**12) == 384


@pytest.mark.parametrize("population", [0, -5])
def test_krejcie_morgan_rejects_empty_population(population):
    with pytest.raises(ValueError, match=str(population)):
        krejcie_morgan(population)


def test_sample_adequacy():
    # Hand: n 100 of N 1000: sqrt(3.841*0.25/100 * 900/999) = sqrt(0.0086509) = 0.093010.
    result = sample_adequacy(100, 1000)
    assert (result.required, result.achieved, result.adequate) == (278, 100, False)
    assert result.margin_of_error == pytest.approx(0.093010, abs=1e-6)
    # The formula's own size (277.71, rounded 278) achieves d = 0.05: n 278 of N 1000 -> 0.04996.
    exact = sample_adequacy(278, 1000)
    assert exact.adequate and exact.margin_of_error == pytest.approx(0.05, abs=1e-4)


def test_sample_adequacy_without_population():
    # Hand: sqrt(3.841*0.25/400) = sqrt(0.0024006) = 0.048996, no correction; required 384.
    result = sample_adequacy(400, None)
    assert (result.required, result.adequate) == (384, True)
    assert result.margin_of_error == pytest.approx(0.048996, abs=1e-6)


def test_margin_of_error_edges():
    assert margin_of_error(0, 100) is None
    assert margin_of_error(100, 100) == 0.0  # a census
    assert margin_of_error(120, 100) == 0.0  # more responses than recorded services
    assert sample_adequacy(120, 100).adequate


def _respondent_means(seed, n, shift):
    """Return respondent means of n random complete responses, tilted upward by shift."""
    rng = np.random.default_rng(seed)
    probabilities = np.array([0.1, 0.2, 0.4, 0.3]) + np.array([-shift, -shift, 0, 2 * shift])
    answers = rng.choice([1, 2, 3, 4], size=(n, 9), p=probabilities)
    return answers.mean(axis=1)


@pytest.mark.parametrize(("seed", "n_a", "n_b", "shift"), [
    (1, 30, 45, 0.0), (2, 12, 200, 0.05), (3, 300, 280, 0.02), (4, 2, 3, 0.1),
])
def test_welch_matches_scipy_on_raw_arrays(seed, n_a, n_b, shift):
    a = _respondent_means(seed, n_a, 0.0)
    b = _respondent_means(seed + 100, n_b, shift)
    change = compare_periods(MeanSummary.of(a), MeanSummary.of(b))
    expected = scipy_stats.ttest_ind(b, a, equal_var=False)
    ci = expected.confidence_interval(0.95)
    assert change.difference == pytest.approx((b.mean() - a.mean()) * 25)
    assert change.p_value == pytest.approx(expected.pvalue)
    assert (change.low, change.high) == pytest.approx((ci.low * 25, ci.high * 25))
    assert change.significant == (expected.pvalue < 0.05)
    assert change.test == "welch"


def test_welch_detects_a_clear_rise():
    # Invented: period a means 3.0/3.2/2.8/3.0, period b 3.6/3.8/3.4/3.6 -> +15 konversi points.
    change = compare_periods(MeanSummary.of([3.0, 3.2, 2.8, 3.0]), MeanSummary.of([3.6, 3.8, 3.4, 3.6]))
    assert change.difference == pytest.approx(15.0)
    assert change.significant and change.low > 0


def test_welch_without_variation_is_undefined():
    change = compare_periods(MeanSummary(3, 9, 27), MeanSummary(4, 14, 49))
    # Means 3 and 3.5 -> +12.5; no spread, so no test.
    assert (change.difference, change.p_value, change.significant) == (12.5, None, False)


def test_welch_needs_two_per_period():
    with pytest.raises(ValueError, match="period a needs n >= 2.*n = 1"):
        compare_periods(MeanSummary(1, 3, 9), MeanSummary(4, 14, 49.5))


def test_trend_on_a_simple_line():
    # y = 2x + 70: every pairwise slope is 2; tau 1; exact Kendall p = 2/5! = 1/60.
    result = trend([1, 2, 3, 4, 5], [72, 74, 76, 78, 80])
    assert (result.slope, result.low, result.high) == (2.0, 2.0, 2.0)
    assert result.tau == pytest.approx(1.0)
    assert result.p_value == pytest.approx(1 / 60)
    assert result.significant and result.direction == "up"


def test_trend_with_noise_matches_scipy():
    xs, ys = [0, 1, 2, 3, 4, 5, 6], [80.1, 79.0, 78.5, 78.9, 77.2, 76.0, 76.4]
    expected = scipy_stats.theilslopes(ys, xs)
    result = trend(xs, ys)
    assert (result.slope, result.low, result.high) == pytest.approx(
        (expected.slope, expected.low_slope, expected.high_slope))
    assert result.direction == "down"
    assert result.tau == pytest.approx(scipy_stats.kendalltau(xs, ys).statistic)


def test_trend_with_few_points():
    # Fewer than 3 points: no test; 2 points still give their slope (78 - 75)/1 = 3.
    two = trend([1, 2], [75, 78])
    assert (two.slope, two.p_value, two.significant, two.direction) == (3.0, None, False, "up")
    one = trend([1], [75])
    assert (one.slope, one.p_value, one.significant, one.direction) == (None, None, False, "unknown")


def test_trend_flat_and_invalid():
    flat = trend([1, 2, 3], [80, 80, 80])
    assert (flat.slope, flat.tau, flat.p_value, flat.direction) == (0.0, None, None, "flat")
    with pytest.raises(ValueError, match="equal"):
        trend([2, 2, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="equal-length"):
        trend([1, 2, 3], [1, 2])


def test_compare_units_hand_computed():
    # Hand: all of a above all of b; ranks b 1..4 (sum 10), a 5..7 (sum 18), N 7:
    #   H = 12/(7*8) * (18**2/3 + 10**2/4) - 3*8 = (3/14)*133 - 24 = 4.5; p = chi2(1).sf(4.5).
    result = compare_units({"a": [3.0, 3.2, 3.4], "b": [2.0, 2.1, 2.5, 2.2]})
    assert result.statistic == pytest.approx(4.5)
    assert result.p_value == pytest.approx(scipy_stats.chi2.sf(4.5, 1))
    assert result.significant


def test_compare_units_edge_cases():
    # Every value identical: H is 0/0 (scipy would warn), so no statistic and no p-value.
    same = compare_units({"a": [3, 3], "b": [3, 3, 3]})
    assert (same.statistic, same.p_value, same.significant) == (None, None, False)
    with pytest.raises(ValueError, match="2 units"):
        compare_units({"a": [1, 2]})
    with pytest.raises(ValueError, match="'b'"):
        compare_units({"a": [1, 2], "b": []})


def test_cronbach_alpha_hand_computed():
    assert cronbach_alpha(ALPHA_MATRIX) == pytest.approx(0.9)  # hand computation above


def test_item_total_correlations_hand_computed():
    expected = (1.0, 3 / math.sqrt(13), 4 / math.sqrt(20))  # hand computation above
    assert item_total_correlations(ALPHA_MATRIX) == pytest.approx(expected)


def test_reliability_rejects_degenerate_input():
    with pytest.raises(ValueError, match="do not vary"):
        cronbach_alpha([[2, 2], [2, 2], [2, 2]])
    with pytest.raises(ValueError, match=r"\(3,\)"):
        cronbach_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="missing"):
        cronbach_alpha([[1, 2], [float("nan"), 3]])
    assert item_total_correlations([[1, 2, 3], [2, 2, 4], [3, 2, 2]])[1] is None  # constant item


def test_drivers_sorted_by_corrected_correlation():
    found = drivers(ALPHA_MATRIX, ["U1", "U2", "U3"])
    # Hand computation above: U1 1.0 > U3 0.894 > U2 0.832; means 2.5, 3.0, 2.5.
    assert [d.code for d in found] == ["U1", "U3", "U2"]
    assert [d.mean for d in found] == [2.5, 3.0, 2.5]
    constant = drivers([[1, 2, 3], [2, 2, 4], [3, 2, 2]], ["U1", "U2", "U3"])
    assert constant[-1].code == "U2" and constant[-1].correlation is None
    with pytest.raises(ValueError, match="2 codes for 3"):
        drivers(ALPHA_MATRIX, ["U1", "U2"])


def test_importance_performance_quadrants():
    # Invented: mean importance (4+3+3.5+2)/4 = 3.125, mean performance (3+3.5+3.6+2)/4 = 3.025.
    found = importance_performance({"U1": 4, "U2": 3, "U3": 3.5, "U4": 2},
                                   {"U1": 3, "U2": 3.5, "U3": 3.6, "U4": 2})
    assert [(q.code, q.quadrant) for q in found] == [
        ("U1", "concentrate"), ("U2", "possible_overkill"), ("U3", "keep_up"),
        ("U4", "low_priority")]
    with pytest.raises(ValueError, match="same"):
        importance_performance({"U1": 3}, {"U2": 3})


def test_an_elements_change_is_welchs_t_on_its_answers_from_their_counts():
    # Invented: answers to one element, before [2,2,2,2,2,3,3,2,2,1] (counts 1,7,2,0: NRR 2.1)
    # and after [4,3,4,4,3,4,4,3,4,4] (counts 0,0,3,7: NRR 3.7): +1.6 NRR = +40 konversi.
    before, after = [2, 2, 2, 2, 2, 3, 3, 2, 2, 1], [4, 3, 4, 4, 3, 4, 4, 3, 4, 4]
    change = compare_answers((1, 7, 2, 0), (0, 0, 3, 7))
    expected = scipy_stats.ttest_ind(after, before, equal_var=False)
    assert change.difference == pytest.approx(40.0)
    assert change.p_value == pytest.approx(expected.pvalue)
    assert change.significant


def test_an_elements_change_needs_two_answers_in_each_period():
    with pytest.raises(ValueError, match="period a needs n >= 2"):
        compare_answers((0, 0, 1, 0), (0, 1, 2, 3))
