"""Which SPAK answers signal gratification, illegal levies or brokers (an integrity alert).

PermenPANRB 90/2021 (Lampiran, komponen hasil) names the aspects the anti-corruption
perception survey establishes; three of them describe money changing hands at the counter:
menerima imbalan dan/atau gratifikasi, pungutan liar and percaloan. A respondent who does not
agree that a unit is free of one of them (an answer in the lower half of the scale: 1 or 2 on
1..4, 1 to 3 on 1..6; every SPAK statement is coded high = good, analysis/instruments.py)
reports something a level above the unit should see. Where the line sits is SUARA's choice:
no official text sets one.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.instruments import SCALES, SPAK, Instrument

ALERT_ASPECTS = ("imbalan", "pungli", "calo")
ASPECT_NAMES = {"imbalan": "Imbalan/gratifikasi", "pungli": "Pungutan liar",
                "calo": "Percaloan"}


@dataclass(frozen=True)
class Signal:
    """One alerting answer: the aspect of its statement, the answer and the scale."""

    aspect: str
    answer: int
    scale_max: int


def is_low(answer: int, scale_max: int) -> bool:
    """Tell whether an answer lies in the lower half of 1..scale_max (1-2 of 4, 1-3 of 6)."""
    if scale_max not in SCALES:
        raise ValueError(f"scale_max must be one of {SCALES}, got {scale_max!r}")
    if not 1 <= answer <= scale_max:
        raise ValueError(f"answer must be within 1..{scale_max}, got {answer!r}")
    return answer <= scale_max // 2


def signals(answers: Sequence[int], scale_max: int,
            instrument: Instrument = SPAK) -> tuple[Signal, ...]:
    """Return the alerting answers of one respondent's SPAK answers, in item order."""
    if len(answers) != len(instrument.items):
        raise ValueError(f"need {len(instrument.items)} answers of {instrument.code}, "
                         f"got {len(answers)}")
    return tuple(Signal(item.aspect, answer, scale_max)
                 for item, answer in zip(instrument.items, answers)
                 if item.aspect in ALERT_ASPECTS and is_low(answer, scale_max))
