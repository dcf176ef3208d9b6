"""`group_index` for many groups at once with numpy: a national ranking of 20 000 units in a
few milliseconds, where a plain loop takes several times longer (bench/national.py times it
against a GROUP BY of the raw responses). Only such rankings load numpy; a page of a region's
units stays in plain Python (analysis/group_index.py), and both give the same figures bit for
bit: the same integer formulas, the same correctly rounded quotients, the same float operations
in the same order, the same t quantiles (analysis/student_t.py, one per distinct df).
"""

from fractions import Fraction

import numpy as np

from analysis.group_index import ELEMENTS, PSEUDO_N, PSEUDO_T, PSEUDO_T2, _hundredths
from analysis.ikm import KONVERSI_FACTOR, SCALE_MAX, SCALE_MIN
from analysis.stats import _t_quantile

# Largest n for which n·t2 - t² and 81·n·(n - 1) stay below 2**53, so that their float quotient
# is the correctly rounded exact one; bigger groups (a whole nation) take Python's integers.
FLOAT_EXACT_N = 2_000_000


def figures(n, t, t2, p: int, q: int, bounds: list[tuple[int, str]], level: float) -> tuple:
    """Return hundredths, ikm, grades, low, high and margin (tuples) of each group."""
    n, t, t2 = (_integers(values) for values in (n, t, t2))
    _check(n, t, t2)
    hundredths = _hundredths(n, t, p, q)
    letters = np.full(len(n), bounds[-1][1])
    for lower, letter in reversed(bounds):
        letters[hundredths >= lower] = letter
    ikm = (p * t).astype(float) / (q * n).astype(float)
    low, high = _bounded_interval(n, t, t2, level)
    return (tuple(hundredths.tolist()), tuple(ikm.tolist()), tuple(letters.tolist()),
            tuple(low.tolist()), tuple(high.tolist()), tuple(((high - low) / 2).tolist()))


def _integers(values) -> np.ndarray:
    found = np.asarray(values)
    if found.dtype.kind == "O":  # Python numbers, e.g. PostgreSQL's sums as Decimal
        if any(isinstance(value, bool) or int(value) != value for value in found.tolist()):
            raise ValueError(f"sums must be whole numbers, got {found[:5]!r}")
        found = found.astype(np.int64)
    if found.ndim != 1 or (found.size and found.dtype.kind not in "iu"):
        raise ValueError(f"sums must be whole numbers in one column, got {found[:5]!r}")
    return found.astype(np.int64)


def _check(n: np.ndarray, t: np.ndarray, t2: np.ndarray) -> None:
    if not len(n) == len(t) == len(t2):
        raise ValueError(f"n, t and t2 must have one length, got {len(n)}, {len(t)}, {len(t2)}")
    bad = (n < 1) | (t < ELEMENTS * n) | (t > 4 * ELEMENTS * n) | (t2 * n < t * t)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"group {i}: n = {n[i]}, t = {t[i]}, t2 = {t2[i]} are not the sums of "
                         f"n complete questionnaires (need n >= 1, 9n <= t <= 36n, n·t2 >= t²)")


def _variance(n: np.ndarray, t: np.ndarray, t2: np.ndarray) -> np.ndarray:
    """Return the sample variance of respondent means (t / 9 per respondent), n >= 2."""
    variance = np.empty(len(n))
    small = n <= FLOAT_EXACT_N
    ns, ts = n[small], t[small]
    squares = ns * t2[small] - ts * ts  # exact in int64 for n <= FLOAT_EXACT_N
    variance[small] = squares.astype(float) / (ELEMENTS * ELEMENTS * ns * (ns - 1)).astype(float)
    for i in np.flatnonzero(~small):
        big_n, big_t = int(n[i]), int(t[i])
        variance[i] = float(Fraction(big_n * int(t2[i]) - big_t * big_t,
                                     ELEMENTS * ELEMENTS * big_n * (big_n - 1)))
    return variance


def _bounded_interval(n: np.ndarray, t: np.ndarray, t2: np.ndarray, level: float):
    """Return low and high of `bounded.ikm_bounded_interval` for each group."""
    big_n, big_t, big_t2 = n + PSEUDO_N, t + PSEUDO_T, t2 + PSEUDO_T2
    dfs, position = np.unique(np.maximum(n - 1, 1), return_inverse=True)
    critical = np.array([_t_quantile(int(df), level) for df in dfs])[position]
    half = critical * np.sqrt(_variance(big_n, big_t, big_t2)) / np.sqrt(big_n.astype(float))
    centre = big_t.astype(float) / (ELEMENTS * big_n).astype(float)
    low = np.maximum(centre - half, float(SCALE_MIN)) * KONVERSI_FACTOR
    high = np.minimum(centre + half, float(SCALE_MAX)) * KONVERSI_FACTOR
    return low, high
