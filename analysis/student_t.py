"""Student's t distribution for the intervals and tests the pages show, without scipy.

Every dashboard, the public results page and the API show intervals and tests that need t
quantiles and tail probabilities, nothing else of scipy: loading scipy.special (and numpy with
it) for them cost each web worker some 29 MB of its memory (bench/lean.py). Here they are
computed from the standard library alone; the report renderer and the tests still have scipy,
and tests/analysis/test_student_t.py holds these functions to scipy.special.stdtr and stdtrit.

- The tail: P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t²) (DLMF 8.17.2 and 8.17.6 for
  the regularized incomplete beta function I), I by its continued fraction (DLMF 8.17.22),
  evaluated with the modified Lentz method, on the side of x where the fraction converges fast
  (I_x(a, b) = 1 - I_{1-x}(b, a) on the other).
- The quantile: up to LARGE_DF degrees of freedom, Newton's method on the tail from the normal
  quantile (always below the t quantile, and the tail is convex beyond it, so the steps climb to
  the root without passing it); from LARGE_DF on, the Cornish-Fisher expansion of t in powers of
  1/df (Abramowitz and Stegun 26.7.5), whose first omitted term is below 1e-14 there.
"""

import math
from functools import lru_cache
from statistics import NormalDist

LARGE_DF = 1000.0
MAX_TERMS = 100_000  # of the continued fraction; about √(df) are needed near the switch point
TINY = 1e-300
EPSILON = 2.0**-52


def _check(df: float) -> None:
    if not df > 0 or math.isinf(df):
        raise ValueError(f"degrees of freedom must be a positive finite number, got {df!r}")


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Return the continued fraction of I_x(a, b) (DLMF 8.17.22), by the modified Lentz method."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > TINY else TINY)
    fraction = d
    for m in range(1, MAX_TERMS):
        # Two steps per m: the even coefficient d_2m, then the odd d_2m+1.
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > TINY else TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > TINY else TINY
            step = c * d
            fraction *= step
        if abs(step - 1.0) <= EPSILON:
            return fraction
    raise ArithmeticError(f"the incomplete beta fraction did not converge for a = {a}, "
                          f"b = {b}, x = {x}")


def _log_gamma_step(a: float) -> float:
    """Return ln Γ(a + 1/2) - ln Γ(a), without the cancellation of two large lgamma values:
    from a = 20 on by Stirling's series (DLMF 5.11.1, four terms: the first left out is below
    1e-15 there)."""
    if a < 20:
        return math.lgamma(a + 0.5) - math.lgamma(a)

    def correction(z: float) -> float:  # ln Γ(z) - ((z - 1/2) ln z - z + ln(2π) / 2)
        w = 1 / (z * z)
        return (1 / 12 - w * (1 / 360 - w * (1 / 1260 - w / 1680))) / z

    return (a * math.log1p(0.5 / a) - 0.5 + 0.5 * math.log(a)
            + correction(a + 0.5) - correction(a))


def _regularized_beta(a: float, b: float, x: float, log_x: float, log_y: float,
                      log_beta: float) -> float:
    """Return I_x(a, b), given ln x, ln y = ln(1 - x) and ln B(a, b)."""
    return math.exp(a * log_x + b * log_y - math.log(a) - log_beta) * _beta_fraction(a, b, x)


def tail(t: float, df: float) -> float:
    """Return P(T > t) for Student's t with df degrees of freedom (scipy's stdtr(df, -t))."""
    _check(df)
    if math.isnan(t):
        raise ValueError("t is not a number")
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    squared = t * t
    if squared == 0:  # t = 0, or so near it that the tail is 1/2 to the last bit
        return 0.5
    a, b = df / 2, 0.5
    x, y = df / (df + squared), squared / (df + squared)  # y = 1 - x, without cancelling
    log_x, log_y = -math.log1p(squared / df), math.log(squared) - math.log(df + squared)
    log_beta = 0.5 * math.log(math.pi) - _log_gamma_step(a)  # ln B(a, 1/2)
    if x < (a + 1) / (a + b + 2):
        half = 0.5 * _regularized_beta(a, b, x, log_x, log_y, log_beta)
    else:
        half = 0.5 - 0.5 * _regularized_beta(b, a, y, log_y, log_x, log_beta)
    return half if t > 0 else 1.0 - half


def _density(t: float, df: float) -> float:
    log_scale = _log_gamma_step(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_scale - (df + 1) / 2 * math.log1p(t * t / df))


def _cornish_fisher(z: float, df: float) -> float:
    """Return the t quantile of a normal quantile z at df degrees of freedom (A&S 26.7.5)."""
    z2 = z * z
    terms = ((z2 + 1) * z / 4,
             ((5 * z2 + 16) * z2 + 3) * z / 96,
             (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384,
             ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160)
    return z + sum(term / df**power for power, term in enumerate(terms, 1))


@lru_cache(maxsize=8192)
def quantile(p: float, df: float) -> float:
    """Return the t such that P(T <= t) = p, for 0 < p < 1 (scipy's stdtrit(df, p)); to the
    last few bits where intervals and tests need it, p from 0.75 (a 50 % level) outwards:
    nearer 1/2 the quantile is nearly 0 and only its absolute error is that small."""
    _check(df)
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be between 0 and 1 (exclusive), got {p!r}")
    if p < 0.5:
        return -quantile(1.0 - p, df)
    z = NormalDist().inv_cdf(p)
    if df >= LARGE_DF:
        return _cornish_fisher(z, df)
    target, t, last = 1.0 - p, z, math.inf
    for _ in range(200):
        step = (tail(t, df) - target) / _density(t, df)
        if last <= 1e-9 * t and abs(step) >= last:  # rounding, not the root's distance, now
            return t
        t, last = t + step, abs(step)
        if last <= EPSILON * t:
            return t
    raise ArithmeticError(f"the t quantile did not converge for p = {p}, df = {df}")
