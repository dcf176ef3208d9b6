"""Tell praise from complaint in an Indonesian suggestion, clause by clause, by small rules.

A keyword rule (analysis/tagging.py) says what a text is about ("cepat" → U3 waktu
penyelesaian); whether the text complains about it depends on the words around the keyword:
"prosesnya cepat, terima kasih" praises, "kurang cepat" and "mohon dipercepat" ask for better,
"tidak lama" praises, "lama sekali" complains. This module splits a text into clauses (at
punctuation and at "tapi", "namun", …) and gives each clause one polarity:

- `saran`: it asks for something (mohon, tolong, harap, agar, supaya, jangan, lebih, …);
- `keluhan`: a word of complaint not negated (lama, mahal, ketus, kotor), a word of praise
  negated or lessened (tidak ramah, kurang cepat, belum bersih), or a lone "kurang"/"buruk";
- `pujian`: otherwise, a word of praise (cepat, ramah, bersih, bagus, terima kasih) or a
  negated word of complaint (tidak lama, tidak mahal, tanpa antre lama);
- `netral`: none of these ("biaya nikah di luar kantor", "antre 3 jam").

A negator (tidak, tak, bukan, belum, kurang, tanpa, …) turns every polar word of the next three
words. Words are compared in all their affixed forms (analysis/words.py): "keramahan" is
"ramah", "dipercepat" is "cepat". Pure: words in, a frozen result out.
"""

import re
from dataclasses import dataclass

from analysis.words import word_forms, words

POLARITIES = ("saran", "keluhan", "pujian", "netral")
NEGATION_REACH = 3
# Clauses end at marks and at words that turn the sentence ("cepat, tapi petugas ketus").
_CLAUSE_MARKS = re.compile(r"[.,;:!?()\n]+")
_TURNS = frozenset({"tapi", "tetapi", "namun", "sedangkan", "padahal", "walaupun", "meskipun",
                    "sayangnya", "cuma", "hanya", "sementara"})
NEGATORS = frozenset({"tidak", "tak", "nggak", "ngga", "gak", "ga", "enggak", "tdk", "bukan",
                      "belum", "blm", "kurang", "tanpa", "minim"})
REQUESTS = frozenset({"mohon", "tolong", "harap", "diharapkan", "sebaiknya", "agar", "supaya",
                      "jangan", "lebih", "ditingkatkan", "tingkatkan", "perbaiki", "diperbaiki",
                      "ditambah", "tambah", "usul", "saran"})
# A word that complains on its own, at the end of a clause ("kebersihan kurang").
LONE_COMPLAINTS = frozenset({"kurang", "buruk", "jelek", "parah", "kecewa", "mengecewakan"})
PRAISE = frozenset({
    "cepat", "sigap", "tanggap", "ramah", "sopan", "sabar", "senyum", "santun", "baik", "bagus",
    "mantap", "puas", "memuaskan", "bersih", "rapi", "nyaman", "sejuk", "luas", "murah",
    "gratis", "mudah", "jelas", "lancar", "tertib", "lengkap", "sesuai", "paham", "kompeten",
    "profesional", "terampil", "membantu", "hebat", "keren", "top", "responsif", "transparan",
    "tepat", "wangi", "singkat", "sebentar", "makasih", "trims", "terimakasih", "apresiasi",
    "sukses",
})
COMPLAINTS = frozenset({
    "lama", "lambat", "lelet", "lemot", "molor", "telat", "terlambat", "mahal", "pungli",
    "pungutan", "calo", "pelicin", "ribet", "rumit", "berbelit", "bingung", "susah", "sulit",
    "ketus", "judes", "jutek", "kasar", "cuek", "acuh", "bentak", "marah", "sombong", "kotor", "bau",
    "panas", "sempit", "pengap", "bocor", "rusak", "mati", "keliru", "salah", "typo", "hilang",
    "diskriminasi",
})
# "pilih kasih" complains while "terima kasih" thanks: two-word phrases decided first.
PHRASES = {("terima", "kasih"): "pujian", ("pilih", "kasih"): "keluhan"}


@dataclass(frozen=True)
class Clause:
    """A clause of a text: its words (lowercase, as analysis.words.words gives) and its polarity."""

    words: tuple[str, ...]
    polarity: str


def _is(word_forms: frozenset[str], lexicon: frozenset[str]) -> bool:
    return not word_forms.isdisjoint(lexicon)


def _signals(tokens: tuple[str, ...]) -> tuple[int, int]:
    """Return the number of complaint and praise signals of a clause's words."""
    forms = [word_forms(word) for word in tokens]
    complaints = praises = 0
    reach = -1  # index of the last word a negator turns
    skip = -1
    for i, word in enumerate(tokens):
        if i <= skip:
            continue
        phrase = PHRASES.get(tokens[i:i + 2]) if i + 1 < len(tokens) else None
        if phrase:
            complaints, praises = (complaints + 1, praises) if phrase == "keluhan" \
                else (complaints, praises + 1)
            skip = i + 1
            continue
        if word in NEGATORS:
            has_target = any(_is(f, PRAISE | COMPLAINTS)
                             for f in forms[i + 1:i + 1 + NEGATION_REACH])
            if has_target:
                reach = i + NEGATION_REACH
            elif word in LONE_COMPLAINTS:
                complaints += 1
            continue
        negated = i <= reach
        if word in LONE_COMPLAINTS:
            complaints += 1
        elif _is(forms[i], COMPLAINTS):
            praises, complaints = (praises + 1, complaints) if negated \
                else (praises, complaints + 1)
        elif _is(forms[i], PRAISE):
            praises, complaints = (praises, complaints + 1) if negated \
                else (praises + 1, complaints)
    return complaints, praises


def polarity(tokens: tuple[str, ...]) -> str:
    """Return the polarity of one clause's words, one of POLARITIES."""
    if any(word in REQUESTS for word in tokens):
        return "saran"
    complaints, praises = _signals(tokens)
    if complaints:
        return "keluhan"
    return "pujian" if praises else "netral"


def clauses(text: str | None) -> tuple[Clause, ...]:
    """Return the clauses of a text with their polarity, in order (none for an empty text)."""
    result = []
    for piece in _CLAUSE_MARKS.split(text or ""):
        current: list[str] = []
        for word in (*words(piece), None):
            if word is None or (word in _TURNS and current):
                if current:
                    result.append(Clause(tuple(current), polarity(tuple(current))))
                current = []
            elif word not in _TURNS:
                current.append(word)
    return tuple(result)
