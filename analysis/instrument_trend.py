"""IPKP and IPAK over periods, as the IKM's trend: each period's change against the previous
period with figures (Welch's t on the respondents' means) and the trend over periods
(Theil-Sen slope, Kendall's tau: ``stats.trend``).

A period is given by its sufficient statistics: n respondents, the sum t of their item totals
and the sum t2 of the squared totals, over k items. A respondent's mean is total / k, so the
mean of respondents' means is the index (every item answered) and the change is on the
index's own scale (1..scale_max), later minus earlier.
"""

import operator
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Optional

from analysis.ikm import KONVERSI_FACTOR, whole
from analysis.stats import Change, MeanSummary, Trend, compare_periods, trend


@dataclass(frozen=True)
class PeriodSample:
    """One period's respondents of an instrument: n, sum and sum of squares of item totals."""

    n: int
    t: int
    t2: int
    provisional: bool = False  # below the minimum sample: shown, never tested


def respondent_means(sample: PeriodSample, k: int) -> MeanSummary:
    """Return the sufficient statistics of the respondents' means (item total / k)."""
    k = operator.index(k)
    if k < 1:
        raise ValueError(f"k must be >= 1 item, got {k!r}")
    n, t, t2 = whole(sample.n, "n"), whole(sample.t, "t"), whole(sample.t2, "t2")
    return MeanSummary(n, Fraction(t, k), Fraction(t2, k * k))


def change(before: PeriodSample, after: PeriodSample, k: int) -> Optional[Change]:
    """Return the change of the index from one period to a later one with Welch's t, on the
    index scale; None when either period has fewer than two respondents.

    ``stats.compare_periods`` reports on the SKM's konversi scale (x 25): its difference and
    interval are brought back to the index scale; its p-value is scale-free. A provisional
    period keeps the difference but is not tested (test "provisional"), as the IKM.
    """
    if before.n < 2 or after.n < 2:
        return None
    found = compare_periods(respondent_means(before, k), respondent_means(after, k))
    found = replace(found, difference=found.difference / KONVERSI_FACTOR,
                    low=found.low / KONVERSI_FACTOR, high=found.high / KONVERSI_FACTOR)
    if before.provisional or after.provisional:
        return replace(found, p_value=None, significant=False, test="provisional")
    return found


def changes(samples: Sequence[Optional[PeriodSample]], k: int) -> tuple[Optional[Change], ...]:
    """Return each period's change against the previous period that has respondents (None for
    the first, for a period without respondents, and where a test needs more respondents)."""
    found, previous = [], None
    for sample in samples:
        has_data = sample is not None and sample.n > 0
        found.append(change(previous, sample, k) if has_data and previous else None)
        if has_data:
            previous = sample
    return tuple(found)


def index_trend(indices: Sequence[Optional[float]]) -> Trend:
    """Return the Theil-Sen slope (index points per period) and Kendall's tau over the periods
    that have an index, at their positions in the sequence."""
    points = [(position, float(value)) for position, value in enumerate(indices)
              if value is not None]
    return trend([x for x, _ in points], [y for _, y in points])
