"""Response rates of invitations and Wilson's interval, against published and hand-made counts."""

from fractions import Fraction

import pytest

from analysis.invitation_rates import response_rates, wilson_interval


# Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
# Medicine 17:857-872, Table I, method 3 (Wilson score, no continuity correction).
@pytest.mark.parametrize("successes, trials, low, high", [
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718)])
def test_wilson_interval_reproduces_newcombes_table(successes, trials, low, high):
    found = wilson_interval(successes, trials)
    assert (round(found.low, 4), round(found.high, 4)) == (low, high)
    assert found.level == 0.95


def test_wilson_interval_is_exact_at_the_ends_and_absent_without_trials():
    assert wilson_interval(0, 0) is None
    assert wilson_interval(0, 5).low == 0.0 and wilson_interval(5, 5).high == 1.0


def test_rates_are_over_issued_and_absent_when_none_issued():
    rates = response_rates(15, 9, 6)  # 9/15 opened, 6/15 answered
    assert (rates.open_rate, rates.answer_rate) == (Fraction(3, 5), Fraction(2, 5))
    assert rates.has_rate and rates.answer_interval == wilson_interval(6, 15)
    none = response_rates(0, 0, 0)
    assert not none.has_rate
    assert (none.open_rate, none.answer_rate, none.answer_interval) == (None, None, None)
    zero = response_rates(3, 0, 0)  # issued, nothing yet: a rate of 0, not "no rate"
    assert zero.answer_rate == 0 and zero.answer_interval.low == 0.0


@pytest.mark.parametrize("counts", [(2, 3, 1), (5, 1, 2), (-1, 0, 0), (1.5, 1, 0), (True, 0, 0)])
def test_impossible_counts_are_refused_by_name(counts):
    with pytest.raises(ValueError, match="issued|opened|answered|whole number"):
        response_rates(*counts)
