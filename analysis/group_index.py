"""The index of many groups at once (a ranking of thousands of units), from three sums a group.

Every respondent answers all nine elements (PermenPANRB 14/2017 counts only complete
questionnaires), so each element of a group has n answers and the element sums add up to
t = Σ respondent totals (u1 + … + u9). With the weight w = p/q of every element:

    IKM = Σ (s_i / n) · w = p·t / (q·n)        konversi = 25 · IKM

and the interval of the index needs only n, t and t2 = Σ totals². The figures here are the
same as `ikm.compute_ikm` and `bounded.ikm_bounded_interval` give one group at a time, bit for bit:
konversi is rounded half up in integer arithmetic, and every float is the correctly rounded
result of the same exact quotients, then the same float operations in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from analysis.bounded import PSEUDO_VALUES
from analysis.ikm import KONVERSI_FACTOR, PERMENPANRB_14_2017, SCALE_MAX, SCALE_MIN, SCHEMES, weight

ELEMENTS = 9
# Largest n for which n·t2 - t² and 81·n·(n - 1) stay below 2**53, so their float quotient is
# the correctly rounded exact one; bigger groups (a whole nation) take Python's integers.
FLOAT_EXACT_N = 2_000_000

if TYPE_CHECKING:  # numpy and scipy load on first use: the citizen form needs neither
    import numpy as np


@dataclass(frozen=True, repr=False)
class GroupIndex:
    """Index figures of k groups, as arrays in the order of the sums given."""

    hundredths: np.ndarray  # konversi rounded half up to 2 decimals, in hundredths (int64)
    ikm: np.ndarray  # the unconverted index (float64)
    grades: tuple[str, ...]  # grade letter of each konversi
    low: np.ndarray  # 95 % interval of konversi (analysis.bounded, t_pseudo_extremes)
    high: np.ndarray
    margin: np.ndarray
    level: float

    def __len__(self) -> int:
        return len(self.hundredths)

    def __repr__(self) -> str:
        return f"GroupIndex(groups={len(self)}, level={self.level})"


def _check(n: np.ndarray, t: np.ndarray, t2: np.ndarray) -> None:
    if not n.shape == t.shape == t2.shape or n.ndim != 1:
        raise ValueError(f"n, t and t2 must be 1-d arrays of one length, got shapes "
                         f"{n.shape}, {t.shape}, {t2.shape}")
    import numpy as np

    bad = (n < 1) | (t < ELEMENTS * n) | (t > 4 * ELEMENTS * n) | (t2 * n < t * t)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"group {i}: n = {n[i]}, t = {t[i]}, t2 = {t2[i]} are not the sums of "
                         f"n complete questionnaires (need n >= 1, 9n <= t <= 36n, n·t2 >= t²)")


def _variance(n: np.ndarray, t: np.ndarray, t2: np.ndarray) -> np.ndarray:
    """Return the sample variance of respondent means (t / 9 per respondent), n >= 2 only."""
    import numpy as np

    variance = np.full(len(n), np.nan)
    small = (n >= 2) & (n <= FLOAT_EXACT_N)
    ns, ts = n[small], t[small]
    squares = ns * t2[small] - ts * ts  # exact in int64 for n <= FLOAT_EXACT_N
    variance[small] = squares.astype(float) / (ELEMENTS * ELEMENTS * ns * (ns - 1)).astype(float)
    for i in np.flatnonzero(n > FLOAT_EXACT_N):
        big_n, big_t = int(n[i]), int(t[i])
        variance[i] = float(Fraction(big_n * int(t2[i]) - big_t * big_t,
                                     ELEMENTS * ELEMENTS * big_n * (big_n - 1)))
    return np.maximum(variance, 0.0)


def group_index(n, t, t2, convention: str = "exact", scheme: str = PERMENPANRB_14_2017,
                level: float = 0.95) -> GroupIndex:
    """Return konversi, grade, IKM and the interval of each group from its n, t and t2.

    The interval is the one of `bounded.ikm_bounded_interval` over respondent means
    (PermenPANRB 14/2017 has none), on the konversi scale.
    """
    import numpy as np

    n, t, t2 = (np.asarray(values, dtype=np.int64) for values in (n, t, t2))
    _check(n, t, t2)
    w = weight(ELEMENTS, convention)
    p, q = w.numerator, w.denominator
    hundredths = _hundredths(n, t, p, q)
    bounds = _bounds(scheme)
    letters = np.full(len(n), bounds[-1][1])
    for lower, letter in reversed(bounds):
        letters[hundredths >= lower] = letter
    ikm = (p * t).astype(float) / (q * n).astype(float)
    low, high, margin = _bounded_interval(n, t, t2, level)
    return GroupIndex(hundredths, ikm, tuple(letters.tolist()), low, high, margin, level)


def _hundredths(n, t, p: int, q: int):
    """Return konversi · 100 = 2500·p·t / (q·n) rounded half up, floor((5000·p·t + q·n) /
    (2·q·n)): of integers, or of int64 arrays element by element."""
    return (2 * 100 * KONVERSI_FACTOR * p * t + q * n) // (2 * q * n)


def _bounds(scheme: str) -> list[tuple[int, str]]:
    """Return (lower bound in hundredths, letter) of each grade of a scheme, best first."""
    return [(int(lower * 100), grade.letter) for lower, grade in SCHEMES[scheme]]


def konversi_grades(n, t, convention: str = "exact",
                    scheme: str = PERMENPANRB_14_2017) -> list[tuple[int, str]]:
    """Return (konversi in hundredths, grade letter) of each group from its n and t: the
    figures `group_index` gives, in plain integers (no numpy, for a page of a few groups)."""
    w = weight(ELEMENTS, convention)
    bounds = _bounds(scheme)
    found = []
    for size, total in zip(n, t, strict=True):
        if size < 1 or not ELEMENTS * size <= total <= 4 * ELEMENTS * size:
            raise ValueError(f"n = {size}, t = {total} are not the sums of n complete "
                             f"questionnaires (need n >= 1, 9n <= t <= 36n)")
        hundredths = _hundredths(size, total, w.numerator, w.denominator)
        found.append((hundredths, next((letter for lower, letter in bounds
                                        if hundredths >= lower), bounds[-1][1])))
    return found


def _bounded_interval(n: np.ndarray, t: np.ndarray, t2: np.ndarray, level: float):
    """Return low, high and margin of `bounded.ikm_bounded_interval` for each group: the
    t-interval with one pseudo-respondent at 1 (total 9) and one at 4 (total 36) added,
    critical value at max(n - 1, 1) df, clipped to 25..100."""
    import numpy as np
    from scipy import special

    extra_n, extra_t = len(PSEUDO_VALUES), ELEMENTS * sum(PSEUDO_VALUES)
    extra_t2 = sum((ELEMENTS * v) ** 2 for v in PSEUDO_VALUES)
    big_n, big_t, big_t2 = n + extra_n, t + extra_t, t2 + extra_t2
    critical = special.stdtrit(np.maximum(n - 1, 1).astype(float), (1 + level) / 2)
    half = critical * np.sqrt(_variance(big_n, big_t, big_t2)) / np.sqrt(big_n.astype(float))
    centre = big_t.astype(float) / (ELEMENTS * big_n).astype(float)
    low = np.maximum(centre - half, SCALE_MIN) * KONVERSI_FACTOR
    high = np.minimum(centre + half, SCALE_MAX) * KONVERSI_FACTOR
    return low, high, (high - low) / 2
