"""Hiding contact details in citizens' texts (analysis/redaction.py).

Both corpora are data files under tests/corpora/: contact shapes Indonesian citizens leave in
feedback forms (each contact marked ⟦…⟧), and ordinary suggestions full of prices, dates, times
and counts that must come back unchanged.
"""

import re
import time
from pathlib import Path

import pytest

from analysis.redaction import MARK, redact

CORPORA = Path(__file__).parent.parent / "corpora"


def lines(name: str) -> list[str]:
    """Return the texts of a corpus file: one a line, '#' lines and blank lines left out."""
    text = (CORPORA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


CONTACTS = lines("contacts.txt")
PLAIN = lines("plain_suggestions.txt")


def test_the_corpora_are_large_enough():
    assert len(CONTACTS) >= 50
    assert len(PLAIN) >= 30


@pytest.mark.parametrize("marked", CONTACTS)
def test_every_contact_is_hidden_and_the_rest_kept(marked):
    raw = re.sub("[⟦⟧]", "", marked)
    assert redact(raw) == re.sub("⟦.*?⟧", MARK, marked)


@pytest.mark.parametrize("marked", CONTACTS)
def test_no_digit_run_of_a_contact_survives(marked):
    """Even a partial match must not leave four digits of the contact behind."""
    redacted = redact(re.sub("[⟦⟧]", "", marked))
    for contact in re.findall("⟦(.*?)⟧", marked):
        for digits in re.findall(r"\d{4,}", contact):
            assert digits not in redacted


@pytest.mark.parametrize("text", PLAIN)
def test_ordinary_suggestions_are_left_alone(text):
    assert redact(text) == text


@pytest.mark.parametrize("text", CONTACTS[:10] + PLAIN[:10])
def test_redaction_is_idempotent(text):
    once = redact(re.sub("[⟦⟧]", "", text))
    assert redact(once) == once


@pytest.mark.parametrize("text", ["1 " * 2000 + "x", "a" * 5000, "0l" * 3000 + "x",
                                  "1." * 3000 + "a", "a." * 3000 + "@", "(1" * 3000,
                                  "satu " * 3000 + "x"])
def test_a_pathological_text_is_redacted_quickly(text):
    """Texts that make a careless pattern backtrack for seconds (each is 5 000-6 000 chars,
    beyond the form's 2 000; an earlier pattern took 1.5 s on "a" * 5000)."""
    started = time.perf_counter()
    redact(text + " 0812 3456 7890")
    assert time.perf_counter() - started < 0.5  # measured: at most 0.05 s on 2 cores
