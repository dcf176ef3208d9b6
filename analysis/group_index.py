"""The index of many groups at once (a ranking of thousands of units), from three sums a group.

Every respondent answers all nine elements (PermenPANRB 14/2017 counts only complete
questionnaires), so each element of a group has n answers and the element sums add up to
t = Σ respondent totals (u1 + … + u9). With the weight w = p/q of every element:

    IKM = Σ (s_i / n) · w = p·t / (q·n)        konversi = 25 · IKM

and the interval of the index needs only n, t and t2 = Σ totals². The figures here are the
same as `ikm.compute_ikm` and `bounded.ikm_bounded_interval` give one group at a time, bit for bit:
konversi is rounded half up in integer arithmetic, and every float is the correctly rounded
result of the same exact quotients, then the same float operations in the same order.

A page of a region's units is computed in plain Python, so that the worker serving it loads
no numpy; from VECTORISED_FROM groups on (a national ranking), analysis/group_arrays.py does
the same with numpy arrays, several times faster.
"""

from dataclasses import dataclass
from math import sqrt

from analysis.bounded import PSEUDO_VALUES
from analysis.ikm import KONVERSI_FACTOR, PERMENPANRB_14_2017, SCALE_MAX, SCALE_MIN, SCHEMES, weight
from analysis.stats import _t_quantile

ELEMENTS = 9
VECTORISED_FROM = 2_000  # groups
# What the interval's two pseudo-respondents (one at 1, one at 4: analysis/bounded.py) add to
# a group's n, t and t2.
PSEUDO_N = len(PSEUDO_VALUES)
PSEUDO_T = ELEMENTS * sum(PSEUDO_VALUES)
PSEUDO_T2 = sum((ELEMENTS * v) ** 2 for v in PSEUDO_VALUES)


@dataclass(frozen=True, repr=False)
class GroupIndex:
    """Index figures of k groups, as tuples in the order of the sums given."""

    hundredths: tuple[int, ...]  # konversi rounded half up to 2 decimals, in hundredths
    ikm: tuple[float, ...]  # the unconverted index
    grades: tuple[str, ...]  # grade letter of each konversi
    low: tuple[float, ...]  # 95 % interval of konversi (analysis.bounded, t_pseudo_extremes)
    high: tuple[float, ...]
    margin: tuple[float, ...]
    level: float

    def __len__(self) -> int:
        return len(self.hundredths)

    def __repr__(self) -> str:
        return f"GroupIndex(groups={len(self)}, level={self.level})"


def _check(n: list[int], t: list[int], t2: list[int]) -> None:
    if not len(n) == len(t) == len(t2):
        raise ValueError(f"n, t and t2 must have one length, got {len(n)}, {len(t)}, {len(t2)}")
    for i, (size, total, squares) in enumerate(zip(n, t, t2)):
        if size < 1 or not ELEMENTS * size <= total <= 4 * ELEMENTS * size \
                or squares * size < total * total:
            raise ValueError(f"group {i}: n = {size}, t = {total}, t2 = {squares} are not the "
                             f"sums of n complete questionnaires (need n >= 1, 9n <= t <= 36n, "
                             f"n·t2 >= t²)")


def _integers(values) -> list[int]:
    """Return the sums as Python integers (a float or a bool among them is refused)."""
    found = list(values)
    if any(isinstance(value, bool) or int(value) != value for value in found):
        raise ValueError(f"sums must be whole numbers, got {found[:5]!r}")
    return [int(value) for value in found]


def group_index(n, t, t2, convention: str = "exact", scheme: str = PERMENPANRB_14_2017,
                level: float = 0.95) -> GroupIndex:
    """Return konversi, grade, IKM and the interval of each group from its n, t and t2.

    The interval is the one of `bounded.ikm_bounded_interval` over respondent means
    (PermenPANRB 14/2017 has none), on the konversi scale.
    """
    w = weight(ELEMENTS, convention)
    if len(n) >= VECTORISED_FROM:
        from analysis import group_arrays

        figures = group_arrays.figures(n, t, t2, w.numerator, w.denominator, _bounds(scheme),
                                       level)
    else:
        figures = _figures(_integers(n), _integers(t), _integers(t2), w.numerator,
                           w.denominator, _bounds(scheme), level)
    return GroupIndex(*figures, level)


def _figures(n: list[int], t: list[int], t2: list[int], p: int, q: int,
             bounds: list[tuple[int, str]], level: float) -> tuple:
    """Return hundredths, ikm, grades, low, high and margin (tuples) of each group. Python's
    integers and its true division of them (correctly rounded) give the single-group figures
    bit for bit at any n."""
    _check(n, t, t2)
    hundredths = tuple(_hundredths(size, total, p, q) for size, total in zip(n, t))
    grades = tuple(_letter(value, bounds) for value in hundredths)
    ikm = tuple(p * total / (q * size) for size, total in zip(n, t))
    return (hundredths, ikm, grades, *_bounded_interval(n, t, t2, level))


def _hundredths(n, t, p: int, q: int):
    """Return konversi · 100 = 2500·p·t / (q·n) rounded half up, floor((5000·p·t + q·n) /
    (2·q·n)): of integers, or of int64 arrays element by element."""
    return (2 * 100 * KONVERSI_FACTOR * p * t + q * n) // (2 * q * n)


def _bounds(scheme: str) -> list[tuple[int, str]]:
    """Return (lower bound in hundredths, letter) of each grade of a scheme, best first."""
    return [(int(lower * 100), grade.letter) for lower, grade in SCHEMES[scheme]]


def _letter(hundredths: int, bounds: list[tuple[int, str]]) -> str:
    """Return the letter of the best grade whose lower bound a konversi reaches."""
    return next((letter for lower, letter in bounds if hundredths >= lower), bounds[-1][1])


def konversi_grades(n, t, convention: str = "exact",
                    scheme: str = PERMENPANRB_14_2017) -> list[tuple[int, str]]:
    """Return (konversi in hundredths, grade letter) of each group from its n and t: the
    figures `group_index` gives, without the interval (for a page of a few groups)."""
    w = weight(ELEMENTS, convention)
    bounds = _bounds(scheme)
    found = []
    for size, total in zip(n, t, strict=True):
        if size < 1 or not ELEMENTS * size <= total <= 4 * ELEMENTS * size:
            raise ValueError(f"n = {size}, t = {total} are not the sums of n complete "
                             f"questionnaires (need n >= 1, 9n <= t <= 36n)")
        hundredths = _hundredths(size, total, w.numerator, w.denominator)
        found.append((hundredths, _letter(hundredths, bounds)))
    return found


def _bounded_interval(n: list[int], t: list[int], t2: list[int], level: float):
    """Return low, high and margin of `bounded.ikm_bounded_interval` for each group: the
    t-interval with one pseudo-respondent at 1 (total 9) and one at 4 (total 36) added,
    critical value at max(n - 1, 1) df, clipped to 25..100; the same float operations on the
    same correctly rounded quotients."""
    low, high = [], []
    for size, total, squares in zip(n, t, t2):
        big_n, big_t, big_t2 = size + PSEUDO_N, total + PSEUDO_T, squares + PSEUDO_T2
        # The sample variance of respondent means (t / 9 per respondent): n·t2 - t² over
        # 81·n·(n - 1), one correctly rounded quotient of integers.
        variance = (big_n * big_t2 - big_t * big_t) / (ELEMENTS * ELEMENTS * big_n * (big_n - 1))
        half = _t_quantile(max(size - 1, 1), level) * sqrt(variance) / sqrt(big_n)
        centre = big_t / (ELEMENTS * big_n)
        low.append(max(centre - half, float(SCALE_MIN)) * KONVERSI_FACTOR)
        high.append(min(centre + half, float(SCALE_MAX)) * KONVERSI_FACTOR)
    return tuple(low), tuple(high), tuple((a - b) / 2 for a, b in zip(high, low))
