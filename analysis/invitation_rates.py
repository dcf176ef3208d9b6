"""Response rates of invitations: how many of the codes issued were opened and answered.

Counts in, a frozen result out. A rate rests on the invitations issued; without any issued
there is no rate (not 0 %). The interval of the answer rate is Wilson's score interval (Wilson
1927), which stays inside 0..1 and keeps its coverage at small counts and at rates near 0 or
1, where the usual p ± z·√(p(1−p)/n) does not.
"""

import math
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist
from typing import Optional


@dataclass(frozen=True)
class RateInterval:
    low: float
    high: float
    level: float


@dataclass(frozen=True)
class ResponseRates:
    """Invitations issued, opened and answered, and the rates of the last two over issued."""

    issued: int
    opened: int  # opened the form, answered or not
    answered: int
    open_rate: Optional[Fraction]  # None when nothing was issued
    answer_rate: Optional[Fraction]
    answer_interval: Optional[RateInterval]

    @property
    def has_rate(self) -> bool:
        return self.issued > 0


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return value


def wilson_interval(successes: int, trials: int, level: float = 0.95) -> Optional[RateInterval]:
    """Return Wilson's score interval of a proportion, or None without trials."""
    successes, trials = _count(successes, "successes"), _count(trials, "trials")
    if successes > trials:
        raise ValueError(f"successes {successes} exceed trials {trials}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    if trials == 0:
        return None
    z = NormalDist().inv_cdf((1 + level) / 2)
    p, z2 = successes / trials, z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    # At 0 or all successes the bound is exactly 0 or 1; floating point may miss it by 1e-17.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return RateInterval(low, high, level)


def response_rates(issued: int, opened: int, answered: int,
                   level: float = 0.95) -> ResponseRates:
    """Return the open and answer rates of invitations (each over those issued).

    An answered invitation counts as opened even when its opening was not recorded, so that
    answered <= opened <= issued always holds.
    """
    issued, opened, answered = (_count(issued, "issued"), _count(opened, "opened"),
                                _count(answered, "answered"))
    if not answered <= opened <= issued:
        raise ValueError(f"need answered <= opened <= issued, got {answered}, {opened}, {issued}")
    if issued == 0:
        return ResponseRates(0, 0, 0, None, None, None)
    return ResponseRates(issued, opened, answered, Fraction(opened, issued),
                         Fraction(answered, issued), wilson_interval(answered, issued, level))
