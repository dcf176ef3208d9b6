"""analysis.group_index gives, for many groups at once, exactly what compute_ikm and
ikm_bounded_interval give one group at a time (the expected values come from those two)."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import group_arrays
from analysis.group_index import VECTORISED_FROM, _figures, group_index, konversi_grades
from analysis.ikm import CONVENTIONS, PERMENPANRB_14_2017, SCHEMES, compute_ikm, weight
from analysis.bounded import ikm_bounded_interval

# A respondent: nine answers 1..4. A group: one to forty respondents.
respondent = st.lists(st.integers(1, 4), min_size=9, max_size=9)
group = st.lists(respondent, min_size=1, max_size=40)


def sums_of(respondents):
    """Return n, the nine element sums, t and t2 of a group's answers."""
    totals = [sum(answers) for answers in respondents]
    return (len(respondents), [sum(column) for column in zip(*respondents)], sum(totals),
            sum(total * total for total in totals))


def one_at_a_time(n, element_sums, t, t2, convention):
    result = compute_ikm(element_sums, [n] * 9, convention=convention)
    ci = ikm_bounded_interval(n, Fraction(t, 9), Fraction(t2, 81))
    return (result.konversi_rounded, result.grade.letter, float(result.ikm),
            None if ci is None else (ci.low, ci.high, ci.margin))


@settings(max_examples=60, deadline=None)
@given(groups=st.lists(group, min_size=1, max_size=12), convention=st.sampled_from(CONVENTIONS))
def test_every_figure_equals_the_one_group_computation_bit_for_bit(groups, convention):
    sums = [sums_of(g) for g in groups]
    table = group_index([s[0] for s in sums], [s[2] for s in sums], [s[3] for s in sums],
                        convention)
    for i, (n, element_sums, t, t2) in enumerate(sums):
        ci = (table.low[i], table.high[i], table.margin[i])
        mine = (Decimal(int(table.hundredths[i])).scaleb(-2), table.grades[i], table.ikm[i], ci)
        assert mine == one_at_a_time(n, element_sums, t, t2, convention)


def test_konversi_is_rounded_half_up_and_graded_by_the_regulations_bounds():
    # konversi = 25 · t / (9n), by hand: 25·190/72 = 65.972… -> 65.97 (C); 25·99/36 = 68.75 (C);
    # 25·141/72 = 48.958… -> 48.96 (D); 25·1145/324 = 88.348… -> 88.35 (A, from 88.31);
    # and a half: 25·1413/360 = 98.125 -> 98.13 (A).
    table = group_index([8, 4, 8, 36, 40], [190, 99, 141, 1145, 1413],
                        [190 ** 2 // 8 + 8, 99 ** 2 // 4 + 4, 141 ** 2 // 8 + 8,
                         1145 ** 2 // 36 + 36, 1413 ** 2 // 40 + 40])
    assert table.hundredths == (6597, 6875, 4896, 8835, 9813)
    assert table.grades == ("C", "C", "D", "A", "A")


@settings(max_examples=60, deadline=None)
@given(groups=st.lists(group, min_size=1, max_size=12), convention=st.sampled_from(CONVENTIONS))
def test_konversi_grades_equal_group_index(groups, convention):
    # The home page's figures (without the intervals) are group_index's, group by group.
    sums = [sums_of(g) for g in groups]
    n, t, t2 = ([s[k] for s in sums] for k in (0, 2, 3))
    table = group_index(n, t, t2, convention)
    assert konversi_grades(n, t, convention) == list(zip(table.hundredths, table.grades))


def test_konversi_grades_refuse_sums_no_questionnaires_give():
    with pytest.raises(ValueError, match="n = 2, t = 17"):  # 17 < 9·2: below all answers 1
        konversi_grades([2], [17])


def test_a_nation_sized_group_keeps_its_interval_exact():
    # n·t2 - t² is then beyond 2**53 (a float would round it): the quotient of Python's
    # integers must still equal ikm_bounded_interval's. 3,000,000 respondents, half answering
    # all 3 and half all 4.
    n = 3_000_000
    t = (n // 2) * 27 + (n - n // 2) * 36
    t2 = (n // 2) * 27 ** 2 + (n - n // 2) * 36 ** 2
    table = group_index([n], [t], [t2])
    ci = ikm_bounded_interval(n, Fraction(t, 9), Fraction(t2, 81))
    assert (table.low[0], table.high[0]) == (ci.low, ci.high)


def test_a_single_respondent_spans_the_whole_scale():
    # One respondent answering all 3 (t = 27): with the pseudo-respondents at 1 and 4 the
    # augmented means are 1, 3, 4 (mean 8/3, sd sqrt(7/3) = 1.528), critical t(0.975, 1) =
    # 12.706 -> 8/3 ± 11.2, clipped to 1..4, i.e. 25..100 on the konversi scale.
    table = group_index([1], [27], [27 * 27])
    assert (table.low[0], table.high[0], table.margin[0]) == (25, 100, 37.5)
    assert table.hundredths == (7500,)


@pytest.mark.parametrize("n, t, t2, message", [
    ([0], [0], [0], "group 0"),
    ([2], [17], [200], "9n <= t <= 36n"),
    ([2], [73], [3000], "9n <= t <= 36n"),
    ([2], [40], [799], "n·t2 >= t²"),
])
def test_sums_that_no_questionnaires_give_are_refused(n, t, t2, message):
    with pytest.raises(ValueError, match=message):
        group_index(n, t, t2)


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="one length"):
        group_index([2, 3], [20], [400])


@pytest.mark.parametrize("n", [[2.5], [True], ["2"]])
def test_sums_that_are_not_whole_numbers_are_refused(n):
    with pytest.raises(ValueError):
        group_index(n, [40], [820])


@settings(max_examples=60, deadline=None)
@given(groups=st.lists(group, min_size=1, max_size=12), convention=st.sampled_from(CONVENTIONS))
def test_numpys_arrays_give_the_plain_loops_figures_bit_for_bit(groups, convention):
    # A national ranking (VECTORISED_FROM groups or more) takes numpy's arrays, a region's
    # page the plain loop: the same figures either way.
    sums = [sums_of(g) for g in groups]
    n, t, t2 = ([s[k] for s in sums] for k in (0, 2, 3))
    w = weight(9, convention)
    bounds = [(int(lower * 100), grade.letter) for lower, grade in SCHEMES[PERMENPANRB_14_2017]]
    assert group_arrays.figures(n, t, t2, w.numerator, w.denominator, bounds, 0.95) == \
        _figures(n, t, t2, w.numerator, w.denominator, bounds, 0.95)


def test_a_national_ranking_takes_the_arrays_and_keeps_every_groups_figures():
    # VECTORISED_FROM groups of 2..41 respondents (sums drawn from a fixed seed), one a nation's
    # size among them: each group's figures are those it gets alone.
    draw = random.Random(20261207)
    n = [draw.randint(2, 41) for _ in range(VECTORISED_FROM)]
    n[7] = 3_000_000
    t = [draw.randint(9 * size, 36 * size) for size in n]
    t2 = [-(-total * total // size) + draw.randint(0, 5 * size) for size, total in zip(n, t)]
    table = group_index(n, t, t2)
    for i in (0, 7, 1234, VECTORISED_FROM - 1):
        alone = group_index([n[i]], [t[i]], [t2[i]])
        assert (table.hundredths[i], table.ikm[i], table.grades[i], table.low[i],
                table.high[i], table.margin[i]) == (alone.hundredths[0], alone.ikm[0],
                                                    alone.grades[0], alone.low[0],
                                                    alone.high[0], alone.margin[0])


@pytest.mark.parametrize("size", [1, VECTORISED_FROM])
def test_sums_as_decimals_are_read_either_way(size):
    # PostgreSQL returns sum() of integers as numeric, which the driver gives as Decimal.
    table = group_index([Decimal(2)] * size, [Decimal(40)] * size, [Decimal(820)] * size)
    assert table.hundredths == group_index([2], [40], [820]).hundredths * size


@pytest.mark.parametrize("size", [1, VECTORISED_FROM])
def test_bad_sums_are_refused_either_way(size):
    with pytest.raises(ValueError, match=f"group {size - 1}: n = 2, t = 17"):
        group_index([2] * (size - 1) + [2], [40] * (size - 1) + [17], [820] * (size - 1) + [200])
    with pytest.raises(ValueError, match="whole numbers"):
        group_index([2.5] * size, [40] * size, [820] * size)
