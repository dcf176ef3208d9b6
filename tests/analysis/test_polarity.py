"""Praise, complaint and request in Indonesian suggestions (analysis/polarity.py), and the tags
the keyword rules suggest once praise is told apart (analysis/tagging.py).

The corpus tests/corpora/tag_polarity.tsv holds sentences of the kind units receive, each with
the tags a person would give it; the rules are those migration 0006 seeds.
"""

import importlib.util
from pathlib import Path

import pytest

from analysis.polarity import clauses
from analysis.tagging import Rule, suggest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpora" / "tag_polarity.tsv"


def _seeded_rules() -> list[Rule]:
    path = next((ROOT / "migrations" / "versions").glob("0006_*.py"))
    spec = importlib.util.spec_from_file_location("seeded_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [Rule.of(code, keyword) for code, keywords in module.RULES.items()
            for keyword in keywords]


SEEDED = _seeded_rules()


def _corpus() -> list[tuple[str, list[str]]]:
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            tags, text = line.split("\t")
            cases.append((text, [] if tags == "-" else tags.split(",")))
    return cases


def test_the_corpus_has_praise_and_complaints_enough():
    cases = _corpus()
    assert len(cases) >= 40
    assert sum(1 for _, tags in cases if not tags) >= 15


@pytest.mark.parametrize(("text", "expected"), _corpus())
def test_the_seeded_rules_tag_complaints_and_leave_praise(text, expected):
    assert [found.code for found in suggest(SEEDED, text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("tidak lama", "pujian"), ("tidak mahal", "pujian"), ("sudah bagus", "pujian"),
    ("pelayanan ramah", "pujian"), ("lama sekali", "keluhan"), ("tidak ramah", "keluhan"),
    ("kurang cepat", "keluhan"), ("mahal", "keluhan"), ("antre 3 jam", "netral"),
    ("mohon dipercepat", "saran"), ("pilih kasih", "keluhan"), ("terima kasih", "pujian"),
])
def test_each_clause_has_one_polarity(text, expected):
    assert [clause.polarity for clause in clauses(text)] == [expected]


def test_clauses_split_at_marks_and_turning_words():
    found = clauses("Prosesnya cepat, tapi petugasnya ketus")
    assert [(c.words, c.polarity) for c in found] == [
        (("prosesnya", "cepat"), "pujian"), (("petugasnya", "ketus"), "keluhan")]
    assert clauses("") == clauses(None) == ()


def test_a_negator_reaches_three_words_only():
    # "tidak" turns "lama" two words on, not "kotor" five words on.
    assert [c.polarity for c in clauses("tidak perlu antre lama")] == ["pujian"]
    assert [c.polarity for c in clauses("tidak ada yang tahu toiletnya kotor")] == ["keluhan"]
