"""Indonesian words and their affixed forms, for keyword rules and their polarity.

Each word is also tried without a common suffix (-nya, -kan, -an, -i, -lah, -kah, -pun, -ku,
-mu) and without up to two prefixes (di-, ke-, ber-, ter-, per-, meN-, peN-), restoring the
nasal of meN-/peN- to the root's first letter (menunggu → tunggu, memukul → pukul,
mengeluh → keluh).
"""

import re
import unicodedata

MIN_ROOT = 3  # shorter remainders are not words: "di" + "a" is not the root "a"
_WORD = re.compile(r"[a-z0-9]+")
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
