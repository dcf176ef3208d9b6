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
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MIN_ROOT = 3  # shorter remainders are not words: "di" + "a" is not the root "a"
KEYWORD_MAX = 80
_WORD = re.compile(r"[a-z0-9]+")
_KEYWORD = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*\*?$")
_VOWELS = frozenset("aeiou")
# Suffixes in the order they stack on a word: particle, possessive, then derivational.
_PARTICLES = ("lah", "kah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "i")
# Prefixes, longest first; a nasal prefix before a vowel may have swallowed the root's first letter.
_PREFIXES = ("meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "pe",
             "ber", "be", "ter", "te", "per", "di", "ke")
_NASAL_ROOT = {"meny": "s", "peny": "s", "men": "t", "pen": "t", "mem": "p", "pem": "p",
               "meng": "k", "peng": "k"}


def words(text: str) -> tuple[str, ...]:
    """Return the lowercase words of a text (letters and digits; hyphens and marks split)."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return tuple(_WORD.findall(folded.lower()))


def _without_suffixes(word: str) -> set[str]:
    forms = {word}
    for group in (_PARTICLES, _POSSESSIVES, _DERIVATIONAL):
        for form in list(forms):
            for suffix in group:
                if form.endswith(suffix) and len(form) - len(suffix) >= MIN_ROOT:
                    forms.add(form[:-len(suffix)])
    return forms


def _without_prefix(word: str) -> set[str]:
    forms = set()
    for prefix in _PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= MIN_ROOT:
            forms.add(rest)
            if prefix in _NASAL_ROOT and rest[0] in _VOWELS:
                forms.add(_NASAL_ROOT[prefix] + rest)
    return forms


def word_forms(word: str) -> frozenset[str]:
    """Return a word with the roots it may stand for, itself included."""
    forms = _without_suffixes(word)
    for _ in range(2):  # di-per-lambat, ke-ber-sih-an: at most two prefixes
        forms |= {root for form in forms for root in _without_prefix(form)}
    return frozenset(forms | {root for form in forms for root in _without_suffixes(form)})


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
    text_forms = [word_forms(word) for word in words(text or "")]
    found: dict[str, list[str]] = {}
    for rule in rules:
        if _matches(rule, text_forms):
            found.setdefault(rule.code, []).append(rule.keyword)
    return tuple(Suggestion(code, tuple(keywords)) for code, keywords in
                 sorted(found.items(), key=lambda item: (-len(item[1]), item[0])))
