"""Tests of analysis.bounded (t_pseudo_extremes) against hand computations."""

import math

import pytest

from analysis.bounded import (bounded_interval, ikm_bounded_interval, nrr_bounded_interval,
                              with_extremes)
from analysis.stats import MeanSummary, compare_periods, ikm_interval

# Student t quantiles t(0.975, df) from a printed t table (NIST/SEMATECH e-Handbook 1.3.6.7.2).
T_975 = {1: 12.706, 9: 2.262}


def test_the_pseudo_respondents_are_one_at_1_and_one_at_4():
    # Two respondents of mean 4: (n, sum, sum of squares) (2, 8, 32) + (1, 1, 1) + (1, 4, 16).
    assert with_extremes(MeanSummary(2, 8, 32)) == MeanSummary(4, 13, 49)


def test_two_identical_answers_give_the_whole_scale_not_zero_width():
    # Augmented 1, 4, 4, 4: mean 13/4 = 3.25, variance ((2.25)² + 3·0.75²)/3 = 2.25, sd 1.5,
    # se 1.5/√4 = 0.75; t(0.975, 1) = 12.706 -> 3.25 ± 9.53, clipped to 1..4 -> 25..100.
    ci = ikm_bounded_interval(2, 8, 32)
    assert (ci.low, ci.high, ci.margin, ci.level) == (25, 100, 37.5, 0.95)
    # The plain t-interval of the same answers has zero width: the reason for this module.
    plain = ikm_interval(2, 8, 32)
    assert plain.low == plain.high == 100


def test_ten_identical_answers_by_hand():
    # Augmented 1 and eleven 4s: mean 45/12 = 3.75; squares 2.75² + 11·0.25² = 8.25, variance
    # 8.25/11 = 0.75, se √0.75/√12 = 0.25; t(0.975, 9) = 2.262 -> 3.75 - 0.5655 = 3.1845 (x25 =
    # 79.61) and 3.75 + 0.5655 clipped to 4 (x25 = 100).
    ci = ikm_bounded_interval(10, 40, 160)
    assert ci.low == pytest.approx((3.75 - T_975[9] * 0.25) * 25, abs=0.01)
    assert ci.high == 100
    assert ci.margin == pytest.approx((100 - ci.low) / 2)


def test_one_respondent_and_none():
    # One answer 3: augmented 1, 3, 4 -> mean 8/3, sd √(7/3) = 1.528, se 0.882;
    # t(0.975, 1) = 12.706 -> ± 11.2: the whole scale.
    ci = bounded_interval(MeanSummary(1, 3, 9))
    assert (ci.low, ci.high) == (1, 4)
    assert bounded_interval(MeanSummary(0, 0, 0)) is None


def test_an_element_from_its_answer_counts():
    # Two answers 4 to an element: the same as two respondents of mean 4 above, on 1..4.
    ci = nrr_bounded_interval((0, 0, 0, 2))
    assert (ci.low, ci.high) == (1, 4)
    # Counts 1/2/3/4 = (0, 1, 2, 2): answers 2, 3, 3, 4, 4 plus 1 and 4 -> sum 21, squares 71,
    # mean 3, variance (71 - 63)/6 = 4/3, se √(4/3)/√7 = 0.4364; t(0.975, 4) = 2.776
    # -> 3 ± 1.2115 = 1.7885 .. 4.2115, clipped at 4.
    ci = nrr_bounded_interval((0, 1, 2, 2))
    assert ci.low == pytest.approx(3 - 2.776 * math.sqrt(4 / 3) / math.sqrt(7), abs=1e-3)
    assert ci.high == 4


@pytest.mark.parametrize(("n", "tolerance"), [(1000, 0.06), (4000, 0.015)])
def test_it_converges_to_the_t_interval(n, tolerance):
    # Half the respondents of mean 3, half of mean 4 (t-interval margin 0.78 points at 1 000,
    # 0.39 at 4 000): the pair of pseudo-respondents moves each bound by O(1/n), here under
    # 0.06 and 0.015 konversi points, and never makes the interval narrower.
    total, squares = n // 2 * 3 + n // 2 * 4, n // 2 * 9 + n // 2 * 16
    bounded, plain = ikm_bounded_interval(n, total, squares), ikm_interval(n, total, squares)
    assert bounded.low == pytest.approx(plain.low, abs=tolerance)
    assert bounded.high == pytest.approx(plain.high, abs=tolerance)
    assert bounded.margin >= plain.margin


def test_a_mean_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside the scale"):
        bounded_interval(MeanSummary(2, 10, 50))


def test_no_welch_test_when_a_period_has_no_spread():
    # Period a: 3.0, 3.2, 2.8, 3.0 (varies); period b: two identical respondents of mean 4.
    # Welch's t would give p ≈ 0.0003 from b's zero variance; the test is withheld instead.
    change = compare_periods(MeanSummary.of([3.0, 3.2, 2.8, 3.0]), MeanSummary(2, 8, 32))
    assert change.difference == pytest.approx(25.0)  # (4 - 3) x 25
    assert (change.p_value, change.significant, change.test) == (None, False, "undefined")
    # Its interval is a's alone: t(0.975, 3) = 3.182 x sd 0.16330 / √4 x 25 = 6.496 points.
    assert change.high - change.difference == pytest.approx(3.182 * 0.16330 / 2 * 25, abs=0.01)
