"""Statistics beyond PermenPANRB 14/2017: intervals, tests, trends, reliability.

Pure functions over numbers, mostly sufficient statistics (n, sum, sum of
squares of respondent means; counts per answer value) rather than rows.
Respondent mean = the mean of one respondent's answers on the 1..4 scale; with
exact weights and complete answers the IKM is the average respondent mean, so
intervals and tests on respondent means are reported on the konversi scale (x25).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Optional

from analysis import rank_trend, student_t
from analysis.ikm import KONVERSI_FACTOR, SCALE_MAX, SCALE_MIN, whole

ALPHA = 0.05  # "significant" wording only when p < 0.05 (DESIGN section 5)

# Krejcie & Morgan (1970): chi-square for 1 df at 95 %, P = 0.5, accuracy d = 0.05.
KM_CHI_SQUARE = Fraction("3.841")
KM_P = Fraction(1, 2)
KM_D = Fraction(5, 100)

if TYPE_CHECKING:  # numpy and scipy load on first use: the citizen form needs neither
    import numpy as np


def _check_level(level: float) -> None:
    """Refuse a confidence level outside (0, 1)."""
    if not 0 < level < 1:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")


def _population(population) -> int:
    """Return a recorded population (services delivered) as a positive int."""
    population = whole(population, "population")
    if population < 1:
        raise ValueError(f"population must be >= 1, got {population}")
    return population


def _exact(value, name: str) -> Fraction:
    """Return value as an exact Fraction so sums of squares do not cancel in floats."""
    try:
        return Fraction(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{name} must be a finite number, got {value!r}") from exc


@dataclass(frozen=True)
class MeanSummary:
    """Sufficient statistics of a sample: count, sum and sum of squares."""

    n: int
    total: float
    total_sq: float

    def __post_init__(self):
        n = whole(self.n, "n")
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        object.__setattr__(self, "n", n)  # a SQL COUNT may arrive as Decimal
        total, total_sq = _exact(self.total, "total"), _exact(self.total_sq, "total_sq")
        # Cauchy-Schwarz: sum of squares >= total**2 / n, up to float noise from SQL.
        if n > 0 and total_sq * n < total * total * (1 - Fraction(1, 10**9)):
            raise ValueError(f"total_sq {self.total_sq!r} is below total**2/n "
                             f"= {float(total * total / n)!r}")
        if n == 0 and (total or total_sq):
            raise ValueError(f"an empty sample must have total 0 and total_sq 0, "
                             f"got {self.total!r} and {self.total_sq!r}")

    @classmethod
    def of(cls, values: Sequence[float]) -> "MeanSummary":
        """Summarise raw values."""
        values = [float(value) for value in values]
        return cls(len(values), math.fsum(values), math.fsum(v * v for v in values))

    @property
    def mean(self) -> float:
        """Return the sample mean."""
        if self.n < 1:
            raise ValueError("mean of an empty sample (n = 0) is undefined")
        return float(_exact(self.total, "total") / self.n)

    @property
    def variance(self) -> float:
        """Return the sample variance (ddof = 1)."""
        if self.n < 2:
            raise ValueError(f"sample variance needs n >= 2, got n = {self.n}")
        total = _exact(self.total, "total")
        squares = _exact(self.total_sq, "total_sq") - total * total / self.n
        return max(float(squares / (self.n - 1)), 0.0)

    @property
    def std(self) -> float:
        """Return the sample standard deviation (ddof = 1)."""
        return math.sqrt(self.variance)


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval."""

    low: float
    high: float
    margin: float
    level: float

    @property
    def estimate(self) -> float:
        """Return the point estimate at the centre of the interval."""
        return (self.low + self.high) / 2


def _t_quantile(df: float, level: float) -> float:
    """Return Student's t quantile for a two-sided interval (analysis/student_t.py, which
    keeps the quantiles it has worked out)."""
    return student_t.quantile((1 + level) / 2, df)


def _t_interval(summary: MeanSummary, level: float, scale: float = 1.0) -> Optional[Interval]:
    """Return the t-interval of a mean, or None when n < 2 leaves it undefined."""
    _check_level(level)
    if summary.n < 2:
        return None
    critical = _t_quantile(summary.n - 1, level)
    margin = critical * summary.std / math.sqrt(summary.n) * scale
    centre = summary.mean * scale
    return Interval(centre - margin, centre + margin, margin, level)


def ikm_interval(n: int, sum_of_means, sum_of_squared_means,
                 level: float = 0.95) -> Optional[Interval]:
    """Return the t-interval of the IKM konversi from respondent means.

    Returns None when n < 2: one respondent gives no estimate of spread.  The
    interval is not clipped to 25..100.
    """
    return _t_interval(MeanSummary(n, sum_of_means, sum_of_squared_means), level,
                       KONVERSI_FACTOR)


def _answer_summary(value_counts: Sequence[int]) -> MeanSummary:
    """Summarise one element's answers from its counts per value 1..4."""
    value_counts = tuple(whole(count, "answer count") for count in value_counts)
    expected = SCALE_MAX - SCALE_MIN + 1
    if len(value_counts) != expected:
        raise ValueError(f"need {expected} counts (answers 1..4), got {value_counts!r}")
    if any(count < 0 for count in value_counts):
        raise ValueError(f"answer counts must be >= 0, got {value_counts!r}")
    values = range(SCALE_MIN, SCALE_MAX + 1)
    return MeanSummary(sum(value_counts),
                       sum(v * c for v, c in zip(values, value_counts)),
                       sum(v * v * c for v, c in zip(values, value_counts)))


def nrr_interval(value_counts: Sequence[int], level: float = 0.95) -> Optional[Interval]:
    """Return the t-interval of an element's NRR on the 1..4 scale; None when n < 2."""
    return _t_interval(_answer_summary(value_counts), level)


def krejcie_morgan(population: Optional[int]) -> int:
    """Return the Krejcie & Morgan (1970) sample size, rounded to nearest (half-up).

    s = chi2 N P(1-P) / (d^2 (N-1) + chi2 P(1-P)), chi2 = 3.841, P = 0.5, d = 0.05.
    ``None`` means an infinite population: the limit chi2 P(1-P) / d^2 = 384.1.
    """
    pq = KM_P * (1 - KM_P)
    if population is None:
        exact = KM_CHI_SQUARE * pq / KM_D**2
    else:
        population = _population(population)
        exact = (KM_CHI_SQUARE * population * pq
                 / (KM_D**2 * (population - 1) + KM_CHI_SQUARE * pq))
    return math.floor(exact + Fraction(1, 2))


@dataclass(frozen=True)
class Adequacy:
    """Whether a sample reaches the Krejcie & Morgan size, and its margin of error."""

    required: int
    achieved: int
    adequate: bool
    margin_of_error: Optional[float]


def margin_of_error(n: int, population: Optional[int] = None) -> Optional[float]:
    """Return the 95 % margin of error of a proportion at P = 0.5.

    Uses z = sqrt(3.841), Krejcie & Morgan's chi-square, and the finite
    population correction (N - n) / (N - 1), so that a sample of exactly the
    formula's size achieves d = 0.05.  None when n = 0; 0 when n >= N (a census).
    """
    n = whole(n, "n")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if n == 0:
        return None
    squared = KM_CHI_SQUARE * KM_P * (1 - KM_P) / n
    if population is not None:
        population = _population(population)
        if n >= population:
            return 0.0
        squared *= Fraction(population - n, population - 1)
    return math.sqrt(squared)


def sample_adequacy(n: int, population: Optional[int]) -> Adequacy:
    """Compare a sample with the Krejcie & Morgan size; never discard responses.

    A sample larger than the recorded population is treated as a census
    (margin 0): the population figure is then suspect and flagged elsewhere.
    """
    n, required = whole(n, "n"), krejcie_morgan(population)
    return Adequacy(required, n, n >= required, margin_of_error(n, population))


@dataclass(frozen=True)
class Change:
    """Change between two periods on the konversi scale, later minus earlier."""

    difference: float
    low: float
    high: float
    p_value: Optional[float]
    significant: bool
    test: str = "welch"


def compare_periods(a: MeanSummary, b: MeanSummary, level: float = 0.95) -> Change:
    """Compare respondent means of period a (earlier) and b (later) with Welch's t.

    The interval uses the Welch-Satterthwaite df; significant only when p < 0.05.
    When either period's answers do not vary at all (sample variance 0, e.g. two identical
    answers) the test is not run: p_value None, not significant, test "undefined". Welch's t
    would take that period's mean as known exactly, and so call any difference from it
    significant (p = 0.000 from two answers); on a 4-point scale a zero variance says only
    that the sample is too small to show the spread.
    """
    _check_level(level)
    for name, summary in (("a", a), ("b", b)):
        if summary.n < 2:
            raise ValueError(f"period {name} needs n >= 2 for Welch's t, got n = {summary.n}")
    difference = (b.mean - a.mean) * KONVERSI_FACTOR
    va, vb = a.variance / a.n, b.variance / b.n
    if va == 0 or vb == 0:
        return _untested(difference, va + vb, a, b, level)
    df = (va + vb) ** 2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))
    margin = _t_quantile(df, level) * math.sqrt(va + vb) * KONVERSI_FACTOR
    p_value = _welch_p_value(b, a)
    return Change(difference, difference - margin, difference + margin, p_value,
                  p_value < ALPHA)


def _untested(difference: float, variance: float, a: MeanSummary, b: MeanSummary,
              level: float) -> Change:
    """Return a change without a test: its interval from the varying period alone (Welch
    df reduces to that period's n - 1), or the bare difference when neither varies."""
    if variance == 0:
        return Change(difference, difference, difference, None, False, "undefined")
    df = (a.n if a.variance else b.n) - 1
    margin = _t_quantile(df, level) * math.sqrt(variance) * KONVERSI_FACTOR
    return Change(difference, difference - margin, difference + margin, None, False, "undefined")


def _welch_p_value(first: MeanSummary, second: MeanSummary) -> float:
    """Return the two-sided p-value of Welch's t, as scipy.stats.ttest_ind_from_stats(first's
    mean, std, n, second's, equal_var=False) computes it, operation for operation."""
    v1, v2 = first.std * first.std / first.n, second.std * second.std / second.n
    df = (v1 + v2) ** 2 / (v1**2 / (first.n - 1) + v2**2 / (second.n - 1))
    t = (first.mean - second.mean) / math.sqrt(v1 + v2)
    return 2 * student_t.tail(abs(t), df)


def compare_answers(before: Sequence[int], after: Sequence[int], level: float = 0.95) -> Change:
    """Compare one element's answers of two periods, from their counts per value 1..4.

    Welch's t on the answers, as `compare_periods`; the difference is on the konversi scale
    (NRR x 25), later minus earlier. Both periods need n >= 2.
    """
    return compare_periods(_answer_summary(before), _answer_summary(after), level)


@dataclass(frozen=True)
class Trend:
    """Theil-Sen slope with its interval and Kendall's tau over periods."""

    slope: Optional[float]
    low: Optional[float]
    high: Optional[float]
    tau: Optional[float]
    p_value: Optional[float]
    significant: bool
    direction: str  # "up", "down", "flat", or "unknown" with fewer than 2 points


def _direction(slope: Optional[float]) -> str:
    """Name the sign of a slope."""
    if slope is None:
        return "unknown"
    return "up" if slope > 0 else "down" if slope < 0 else "flat"


def trend(xs: Sequence[float], ys: Sequence[float], level: float = 0.95) -> Trend:
    """Fit a Theil-Sen slope and test it with Kendall's tau.

    With fewer than 3 points no test is meaningful: p_value None and
    significant False; 2 points still give their slope, 1 point none.
    Constant ys give slope 0 and an undefined tau (None).
    """
    _check_level(level)
    xs, ys = rank_trend.paired(xs, ys)
    if len(xs) < 2:
        return Trend(None, None, None, None, None, False, "unknown")
    if min(xs) == max(xs):
        raise ValueError(f"xs must not all be equal, got {xs!r}")
    if len(xs) == 2:
        slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
        return Trend(slope, None, None, None, None, False, _direction(slope))
    fit = rank_trend.theil_sen(xs, ys, level)
    if min(ys) == max(ys):
        return Trend(fit.slope, fit.low, fit.high, None, None, False, _direction(fit.slope))
    tau = rank_trend.kendall_tau(xs, ys)
    return Trend(fit.slope, fit.low, fit.high, tau.tau, tau.p_value, tau.p_value < ALPHA,
                 _direction(fit.slope))


@dataclass(frozen=True)
class Comparison:
    """Kruskal-Wallis comparison of respondent means across units."""

    statistic: Optional[float]
    p_value: Optional[float]
    significant: bool


def compare_units(groups: Mapping[str, Sequence[float]]) -> Comparison:
    """Test whether units differ with Kruskal-Wallis on respondent means.

    When every value is identical the statistic is 0/0: statistic and
    p_value are None and significant False.
    """
    import numpy as np
    from scipy import stats

    samples = {name: np.asarray(values, dtype=float) for name, values in groups.items()}
    if len(samples) < 2:
        raise ValueError(f"need at least 2 units to compare, got {len(samples)}")
    for name, values in samples.items():
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"unit {name!r} needs at least one respondent mean")
    pooled = np.concatenate(list(samples.values()))
    if np.ptp(pooled) == 0:
        return Comparison(None, None, False)
    result = stats.kruskal(*samples.values())
    p_value = float(result.pvalue)
    return Comparison(float(result.statistic), p_value, p_value < ALPHA)


def _matrix(matrix, min_items: int = 2) -> "np.ndarray":
    """Return a respondents x items float matrix, checked."""
    import numpy as np

    data = np.asarray(matrix, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"matrix must be 2-D (respondents x items), got shape {data.shape}")
    if data.shape[0] < 2 or data.shape[1] < min_items:
        raise ValueError(f"need >= 2 respondents and >= {min_items} items, got shape {data.shape}")
    if not np.isfinite(data).all():
        raise ValueError("matrix must not contain missing or infinite answers")
    return data


def cronbach_alpha(matrix) -> float:
    """Return Cronbach's alpha: k/(k-1) (1 - sum of item variances / total variance)."""
    data = _matrix(matrix)
    k = data.shape[1]
    total_variance = data.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        raise ValueError("alpha is undefined: respondents' total scores do not vary")
    return float(k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_variance))


def _pearson(x: "np.ndarray", y: "np.ndarray") -> Optional[float]:
    """Return Pearson's r, or None when either variable is constant."""
    dx, dy = x - x.mean(), y - y.mean()
    denominator = math.sqrt(float(dx @ dx) * float(dy @ dy))
    if denominator == 0:
        return None
    return float(dx @ dy) / denominator


def item_total_correlations(matrix) -> tuple[Optional[float], ...]:
    """Return corrected item-total correlations: each item vs the sum of the others.

    None for an item (or rest score) that does not vary.
    """
    data = _matrix(matrix)
    totals = data.sum(axis=1)
    return tuple(_pearson(data[:, j], totals - data[:, j]) for j in range(data.shape[1]))


@dataclass(frozen=True)
class Driver:
    """How strongly an element moves overall satisfaction."""

    code: str
    correlation: Optional[float]
    mean: float


def drivers(matrix, codes: Sequence[str]) -> tuple[Driver, ...]:
    """Rank elements by correlation with the respondent mean of the other elements.

    Excluding the element itself avoids the part-whole inflation; the mean of
    the other k-1 answers is proportional to their sum, so this is the
    corrected item-total correlation.  Undefined correlations (None) rank last.
    """
    data = _matrix(matrix)
    codes = tuple(codes)
    if len(codes) != data.shape[1]:
        raise ValueError(f"got {len(codes)} codes for {data.shape[1]} matrix columns")
    found = [Driver(code, r, float(data[:, j].mean()))
             for j, (code, r) in enumerate(zip(codes, item_total_correlations(data)))]
    return tuple(sorted(found, key=lambda d: (d.correlation is None, -(d.correlation or 0))))


# (high importance, high performance) -> quadrant name, after Martilla & James (1977).
QUADRANTS = MappingProxyType({(True, False): "concentrate", (True, True): "keep_up",
                              (False, False): "low_priority", (False, True): "possible_overkill"})


@dataclass(frozen=True)
class Quadrant:
    """An element's place in the importance-performance grid (Martilla & James 1977)."""

    code: str
    importance: float
    performance: float
    quadrant: str


def importance_performance(importance: Mapping[str, float],
                           performance: Mapping[str, float]) -> tuple[Quadrant, ...]:
    """Place each element in an importance-performance quadrant.

    The grid is split at the mean importance and mean performance; a value equal
    to the mean counts as high.  Elements keep the order of ``importance``.
    """
    if set(importance) != set(performance) or not importance:
        raise ValueError(f"importance and performance need the same non-empty codes, "
                         f"got {sorted(importance)!r} and {sorted(performance)!r}")
    mid_i = math.fsum(importance.values()) / len(importance)
    mid_p = math.fsum(performance.values()) / len(performance)
    return tuple(Quadrant(code, float(imp), float(performance[code]),
                          QUADRANTS[(imp >= mid_i, performance[code] >= mid_p)])
                 for code, imp in importance.items())
