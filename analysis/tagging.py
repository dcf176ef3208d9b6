"""Suggest topic tags for a citizen's suggestion or complaint from Indonesian keyword rules.

A rule ties a keyword to an element code, one of the nine unsur of PermenPANRB 14/2017
("antre" → U3 waktu penyelesaian, "pungli" → U4 biaya). Rules are data that an administrator
edits; this module only matches them, and a person confirms what it suggests.

Matching is by whole words, never inside another word ("ac" does not fire in "acara"). It copes
with Indonesian word forms simply: each word is also tried without a common suffix (-nya, -kan,
-an, -i, -lah, -kah, -pun, -ku, -mu) and without up to two prefixes (di-, ke-, ber-, ter-, per-,
meN-, peN-), restoring the nasal of meN-/peN- to the root's first letter (menunggu → tunggu,
memukul → pukul, mengeluh → keluh). So "persyaratan" finds the keyword "syarat", "antreannya"
finds "antre" and "pembayaran" finds "bayar". A keyword ending in `*` matches every word that
begins with it (`antr*`: antre, antri, antrean, antrian); a keyword of several words matches
them in sequence ("bolak balik" in "bolak-balik").

Praise is not a complaint: a keyword suggests its tag only in a clause that complains, asks
for something or says nothing either way (analysis/polarity.py). "Prosesnya cepat, terima
kasih" and "tidak lama" suggest nothing; "kurang cepat", "lama sekali" and "antre 3 jam" do.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis import polarity
from analysis.words import word_forms, words

__all__ = ["Rule", "Suggestion", "suggest", "word_forms", "words"]

KEYWORD_MAX = 80
_KEYWORD = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*\*?$")


@dataclass(frozen=True)
class Rule:
    """A keyword (one or more words, maybe ending in `*`) that suggests an element's tag."""

    code: str
    keyword: str

    @classmethod
    def of(cls, code: str, keyword: str) -> "Rule":
        """Return a rule with its keyword normalised; ValueError names a keyword that cannot match."""
        raw = keyword.strip()
        body, star = (raw[:-1], "*") if raw.endswith("*") else (raw, "")
        text = " ".join(words(body)) + star
        if "*" in body or not _KEYWORD.match(text) or len(text) > KEYWORD_MAX:
            raise ValueError(f"keyword {keyword!r} must be letters or digits (several words "
                             f"allowed, optionally ending in *), at most {KEYWORD_MAX} characters")
        if len(text.rstrip("*")) < 2:
            raise ValueError(f"keyword {keyword!r} is too short: at least 2 letters")
        return cls(code, text)

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.keyword.rstrip("*").split(" "))

    @property
    def is_prefix(self) -> bool:
        return self.keyword.endswith("*")


def _word_matches(part: str, forms: frozenset[str], prefix: bool) -> bool:
    if prefix:
        return any(form.startswith(part) for form in forms)
    return part in forms


def _matches(rule: Rule, text_forms: list[frozenset[str]]) -> bool:
    parts, last = rule.parts, len(rule.parts) - 1
    for start in range(len(text_forms) - last):
        if all(_word_matches(part, text_forms[start + i], rule.is_prefix and i == last)
               for i, part in enumerate(parts)):
            return True
    return False


@dataclass(frozen=True)
class Suggestion:
    """A suggested tag: the element code and the keywords that found it."""

    code: str
    keywords: tuple[str, ...]


def suggest(rules: Iterable[Rule], text: str | None) -> tuple[Suggestion, ...]:
    """Return the tags a text suggests, the one found by most keywords first, then by code."""
    rules = list(rules)
    found: dict[str, list[str]] = {}
    for clause in polarity.clauses(text):
        if clause.polarity == "pujian":
            continue
        text_forms = [word_forms(word) for word in clause.words]
        for rule in rules:
            keywords = found.setdefault(rule.code, [])
            if rule.keyword not in keywords and _matches(rule, text_forms):
                keywords.append(rule.keyword)
    found = {code: keywords for code, keywords in found.items() if keywords}
    return tuple(Suggestion(code, tuple(keywords)) for code, keywords in
                 sorted(found.items(), key=lambda item: (-len(item[1]), item[0])))
