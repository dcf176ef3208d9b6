"""Which SPAK answers raise an integrity alert: the lower half of the scale on imbalan (A3),
pungli (A4) and calo (A5) only (analysis/integrity_alerts.py)."""

import pytest

from analysis.integrity_alerts import Signal, is_low, signals


def test_the_lower_half_of_each_scale():
    # 1..4: 1 and 2 are low; 1..6: 1, 2 and 3 (scale_max // 2).
    assert [is_low(answer, 4) for answer in range(1, 5)] == [True, True, False, False]
    assert [is_low(answer, 6) for answer in range(1, 7)] == [True] * 3 + [False] * 3


def test_only_gratification_levies_and_brokers_alert():
    # A1 diskriminasi and A2 kecurangan at 1 raise nothing; A4 pungli at 2 does.
    assert signals((1, 1, 3, 2, 4), 4) == (Signal("pungli", 2, 4),)
    assert signals((4, 4, 1, 1, 1), 4) == (Signal("imbalan", 1, 4), Signal("pungli", 1, 4),
                                           Signal("calo", 1, 4))
    assert signals((6, 6, 4, 3, 4), 6) == (Signal("pungli", 3, 6),)
    assert signals((3, 3, 3, 3, 3), 4) == ()


@pytest.mark.parametrize("answers, scale_max", [((1, 2, 3, 4), 4), ((1, 2, 3, 4, 5), 4),
                                                ((1, 1, 1, 1, 1), 5)])
def test_a_bad_value_is_named(answers, scale_max):
    with pytest.raises(ValueError, match="answers|answer must|scale_max"):
        signals(answers, scale_max)
