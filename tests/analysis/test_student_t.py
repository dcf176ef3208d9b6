"""analysis.student_t against scipy.special (the reference: stdtr for the tail, stdtrit for the
quantile) and against the printed table of Student's t."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from analysis import student_t


def close(mine: float, reference: float, rel: float) -> bool:
    return math.isclose(mine, reference, rel_tol=rel, abs_tol=1e-300)


@pytest.mark.parametrize("df, p, printed", [
    # Two-sided 95 % critical values as a t table prints them (e.g. Fisher & Yates, Statistical
    # Tables, table III): df 1, 2, 10, 30, 120; and the normal's 1.960 far out.
    (1, 0.975, "12.706"), (2, 0.975, "4.303"), (10, 0.975, "2.228"), (30, 0.975, "2.042"),
    (120, 0.975, "1.980"), (10**6, 0.975, "1.960"),
    # 99 %: df 5 and 60.
    (5, 0.995, "4.032"), (60, 0.995, "2.660"),
])
def test_quantiles_are_those_of_the_printed_table(df, p, printed):
    assert f"{student_t.quantile(p, df):.3f}" == printed


# Degrees of freedom as the pages meet them: whole (n - 1 of a unit, a region, a nation) and
# fractional (Welch's), from 1 to ten million.
whole_df = st.integers(1, 10**7)
any_df = st.floats(0.5, 1e7, allow_nan=False)
# p = (1 + level) / 2 of a two-sided interval at a level of 50 % to 99.98 %.
levels = st.floats(0.75, 0.9999)


@settings(max_examples=400, deadline=None)
@given(df=st.one_of(whole_df, any_df), p=levels)
def test_the_quantile_is_scipys(df, p):
    assert close(student_t.quantile(p, df), special.stdtrit(df, p), 1e-12)
    assert close(student_t.quantile(1 - p, df), special.stdtrit(df, 1 - p), 1e-12)


@settings(max_examples=400, deadline=None)
@given(df=st.one_of(whole_df, any_df), t=st.floats(-60, 60, allow_nan=False))
def test_the_tail_is_scipys(df, t):
    # Relative to the tail: a p-value of 1e-30 must be right, not merely near 0. The two
    # differ by up to 5e-12 below 1e5 df and 5e-10 beyond (20 000 random draws): a p-value is
    # printed to three digits.
    reference = special.stdtr(df, -t)
    assert close(student_t.tail(t, df), reference, 1e-11 if df < 1e5 else 1e-8)


def test_the_tail_at_the_quantile_is_the_level_left():
    for df in (1, 2.5, 7, 29, 999, 1000, 250_000):
        assert close(student_t.tail(student_t.quantile(0.975, df), df), 0.025, 1e-10)


def test_infinite_t_has_no_tail_and_zero_has_half():
    assert (student_t.tail(math.inf, 3), student_t.tail(-math.inf, 3)) == (0.0, 1.0)
    assert student_t.tail(0.0, 3) == 0.5


@pytest.mark.parametrize("df", [0, -1, math.nan, math.inf])
def test_degrees_of_freedom_must_be_positive_and_finite(df):
    with pytest.raises(ValueError, match="degrees of freedom"):
        student_t.quantile(0.975, df)
    with pytest.raises(ValueError, match="degrees of freedom"):
        student_t.tail(1.0, df)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.5, 2.0, math.nan])
def test_a_quantile_needs_a_probability_strictly_between_0_and_1(p):
    with pytest.raises(ValueError, match="between 0 and 1"):
        student_t.quantile(p, 10)


def test_a_tail_needs_a_number():
    with pytest.raises(ValueError, match="not a number"):
        student_t.tail(math.nan, 10)
