"""The Zona Integritas surveys (SPKP, SPAK) a service point asks after the SKM's questions.

Each is optional and answered whole: every statement, or none (skipped). Their radio groups
are plain fields named `<instrument>_<position>`, read here straight from the POST, so the
SKM's form (survey/public/forms.py) and its fast reader (plain_post.py) stay as they are for
every point that asks no instrument.
"""

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from analysis.instruments import INSTRUMENTS, SCALES, with_scale


@dataclass(frozen=True)
class Statement:
    """One statement as the form shows it: its field name, text and the answer chosen."""

    name: str
    number: int
    text: str
    chosen: int | None


@dataclass(frozen=True)
class Section:
    """One instrument's part of the form, in a locale."""

    code: str
    title: str
    short: str
    hint: str
    labels: tuple[str, ...]  # the answers 1..scale_max
    statements: tuple[Statement, ...]
    problem: str | None = None


@dataclass(frozen=True)
class Reading:
    """What a POST says of a point's instruments: the complete ones, and the half-answered
    ones' codes (nothing is stored then)."""

    answers: dict = field(default_factory=dict)  # {code: (scale_max, values)}
    half: tuple[str, ...] = ()


NOTHING = Reading()
MESSAGES = {"id": "Mohon jawab semua {count} pernyataan {short} ini, atau kosongkan semuanya "
                  "jika Anda ingin melewatinya.",
            "en": "Please answer all {count} statements of the {short}, or leave them all "
                  "empty to skip it."}
OPTIONAL = {"id": "boleh dilewati", "en": "optional"}
HINTS = {"id": "Jawab semua pernyataan di bawah ini, atau biarkan semuanya kosong untuk "
               "melewati survei ini. Semakin besar angkanya, semakin Anda setuju.",
         "en": "Answer every statement below, or leave them all empty to skip this survey. "
               "The higher the number, the more you agree."}


# Built once, not on every POST: each instrument's field names, each scale's answers by their
# text (a point's scale is one of SCALES: point_instrument's check constraint).
FIELDS = {code: tuple(f"{code}_{number}" for number in range(1, len(instrument.items) + 1))
          for code, instrument in INSTRUMENTS.items()}
CHOICES = {scale_max: {str(value): value for value in range(1, scale_max + 1)}
           for scale_max in SCALES}


def _value(raw: str | None, scale_max: int) -> int | None:
    return CHOICES[scale_max].get(raw)


def read(data: MultiDict, asked: tuple[tuple[str, int], ...]) -> Reading:
    """Return the instruments a POST answered whole, and those it answered in part or with a
    value off the scale."""
    answers, half = {}, []
    for code, scale_max in asked:
        raws = [data.get(name) or "" for name in FIELDS[code]]
        choices = CHOICES[scale_max]
        values = [choices.get(raw) for raw in raws]
        if None not in values:
            answers[code] = (scale_max, tuple(values))
        elif any(raws):
            half.append(code)
    return Reading(answers, tuple(half))


def sections(asked: tuple[tuple[str, int], ...], locale: str,
             data: MultiDict | None = None, half: tuple[str, ...] = ()) -> tuple[Section, ...]:
    """Return the sections of the instruments a point asks, with the answers already given."""
    result = []
    for code, scale_max in asked:
        instrument = with_scale(INSTRUMENTS[code], scale_max)
        short = code.upper()  # the survey's name (SPKP, SPAK), not its index's
        statements = tuple(
            Statement(f"{code}_{number}", number, item.text(locale),
                      _value((data or {}).get(f"{code}_{number}"), scale_max))
            for number, item in enumerate(instrument.items, start=1))
        problem = (MESSAGES[locale].format(count=len(statements), short=short)
                   if code in half else None)
        result.append(Section(
            code, f"{instrument.name(locale)} ({short}) — {OPTIONAL[locale]}", short,
            HINTS[locale], instrument.labels(locale), statements, problem))
    return tuple(result)
