"""SPKP and SPAK in imported files: optional columns spkp1..spkp8 and spak1..spak5, each
instrument answered whole in a row or left blank there, on the scale of its column
spkp_scale/spak_scale, else of the import's option (4 or 6), else 4 points."""

from analysis.instruments import INSTRUMENTS, SCALES
from survey.models import INSTRUMENT_CODES

ITEM_COLUMNS = {code: tuple(f"{code}{number}"
                            for number in range(1, len(INSTRUMENTS[code].items) + 1))
                for code in INSTRUMENT_CODES}
SCALE_COLUMNS = {code: f"{code}_scale" for code in INSTRUMENT_CODES}
# Every optional column, in the order a row's client_uuid reads them.
COLUMNS = tuple(column for code in INSTRUMENT_CODES
                for column in (*ITEM_COLUMNS[code], SCALE_COLUMNS[code]))
DEFAULT_SCALE = 4


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _scale(code: str, value: object, default: int) -> int:
    text = _text(value)
    if not text:
        return default
    if text not in {str(scale) for scale in SCALES}:
        raise ValueError(f"skala {code.upper()} harus 4 atau 6 (tertulis '{text[:20]}')")
    return int(text)


def _value(text: str, scale: int) -> int | None:
    whole = text[:-2] if text.endswith((".0", ",0")) else text
    return int(whole) if whole in {str(value) for value in range(1, scale + 1)} else None


def read_row(values: dict, scales: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
    """Return a row's instruments {code: (scale_max, answers)} and its problems as
    (column, Indonesian message); `scales` are the import's scales by instrument."""
    found, problems = {}, []
    for code, columns in ITEM_COLUMNS.items():
        texts = [_text(values.get(column)) for column in columns]
        if not any(texts):
            continue  # this respondent skipped it
        try:
            scale = _scale(code, values.get(SCALE_COLUMNS[code]),
                           scales.get(code, DEFAULT_SCALE))
        except ValueError as problem:
            problems.append((SCALE_COLUMNS[code], str(problem)))
            continue
        blank = [column for column, text in zip(columns, texts) if not text]
        if blank:
            problems.append((blank[0], f"{code.upper()} harus dijawab semua ({columns[0]} s.d. "
                                       f"{columns[-1]}) atau dikosongkan semua; kosong: "
                                       f"{', '.join(blank)}"))
            continue
        answers = [_value(text, scale) for text in texts]
        wrong = [(column, text) for column, text, answer in zip(columns, texts, answers)
                 if answer is None]
        for column, text in wrong:
            problems.append((column, f"jawaban {code.upper()} harus angka 1 sampai {scale} "
                                     f"(tertulis '{text[:20]}')"))
        if not wrong:
            found[code] = (scale, tuple(answers))
    return found, problems
