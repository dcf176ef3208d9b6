"""IPKP/IPAK changes and trend from sufficient statistics, against scipy on the raw means."""

import math

import pytest
from scipy import stats as scipy_stats

from analysis import instrument_trend, stats
from analysis.instrument_trend import PeriodSample

K = 5  # SPAK's five statements
# Respondents' SPAK answers, chosen here: two periods with different spread.
EARLIER = [(4, 4, 3, 4, 4), (2, 3, 3, 1, 2), (4, 4, 4, 4, 4), (3, 3, 2, 3, 3)]
LATER = [(4, 4, 4, 4, 4), (4, 3, 4, 4, 4), (3, 4, 4, 4, 3), (4, 4, 4, 4, 4), (4, 4, 3, 4, 4)]


def sample(answers, provisional=False) -> PeriodSample:
    totals = [sum(row) for row in answers]
    return PeriodSample(len(totals), sum(totals), sum(t * t for t in totals), provisional)


def describe(answers) -> tuple[float, float, int]:
    """Mean, sample standard deviation (ddof 1) and n of the respondents' means."""
    means = [sum(row) / K for row in answers]
    mean = sum(means) / len(means)
    return mean, math.sqrt(sum((m - mean) ** 2 for m in means) / (len(means) - 1)), len(means)


def test_the_change_is_welchs_t_as_scipy_computes_it_from_the_same_numbers():
    change = instrument_trend.change(sample(EARLIER), sample(LATER), K)
    later, earlier = describe(LATER), describe(EARLIER)
    expected = scipy_stats.ttest_ind_from_stats(*later, *earlier, equal_var=False)
    assert change.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    assert change.significant == (expected.pvalue < 0.05)
    assert change.test == "welch"
    # On the index scale: the later mean of respondent means minus the earlier one.
    assert change.difference == pytest.approx(later[0] - earlier[0], rel=1e-12)
    assert change.low < change.difference < change.high


def test_a_provisional_period_keeps_its_difference_untested():
    tested = instrument_trend.change(sample(EARLIER), sample(LATER), K)
    untested = instrument_trend.change(sample(EARLIER, provisional=True), sample(LATER), K)
    assert untested.difference == tested.difference
    assert (untested.p_value, untested.significant, untested.test) == (None, False,
                                                                       "provisional")


def test_changes_skip_periods_without_answers_and_single_respondents():
    single = sample(LATER[:1])
    found = instrument_trend.changes([sample(EARLIER), None, sample(LATER), single], K)
    # The first has nothing before it; the empty period none; the third is against the first;
    # the fourth has one respondent, too few for Welch's t.
    assert found[0] is None and found[1] is None and found[3] is None
    assert found[2] == instrument_trend.change(sample(EARLIER), sample(LATER), K)
    assert instrument_trend.changes([], K) == ()


def test_the_trend_is_theil_sen_and_kendall_over_positions_with_an_index():
    indices = [3.1, None, 3.4, 3.2, 3.6]
    assert instrument_trend.index_trend(indices) == stats.trend([0, 2, 3, 4],
                                                                [3.1, 3.4, 3.2, 3.6])
    assert instrument_trend.index_trend([None, None]).direction == "unknown"


def test_bad_statistics_are_refused():
    with pytest.raises(ValueError):
        instrument_trend.respondent_means(sample(EARLIER), 0)
    with pytest.raises(ValueError):  # t2 below t**2 / n: no sample has it
        instrument_trend.respondent_means(PeriodSample(2, 30, 10), K)
