"""Hiding contact details in a citizen's text before anyone outside the unit reads it.

Citizens leave contacts in many shapes: `0812/3456/7890`, `+62 812-3456-7890`, `(021) 5551234`,
`08l2345678` (a letter for a digit), `budi [at] gmail [dot] com`, `budi@gmail`, `@budi_santoso`,
`wa.me/62812…`, a NIK, or the digits spelled out (`nol delapan satu dua …`). Ordinary figures stay:
prices (`Rp 50.000`, `1.500.000`), dates (`12/03/2026`), times (`08.00-14.00`), counts and room
numbers, so that a suggestion still reads well. Personal data rules: UU PDP 27/2022.
"""

import re

MARK = "[disamarkan]"

_URL = re.compile(
    r"(?:https?://)?(?:www\.)?(?:wa\.me|api\.whatsapp\.com|t\.me|instagram\.com|facebook\.com|"
    r"fb\.com|fb\.me|twitter\.com|x\.com|tiktok\.com|line\.me)/\S*", re.I)
_TLD = r"(?:com|co|id|net|org|ac|go|sch|or|my|web|biz|info)\b"
_AT = (r"(?:\s*[\[({<]\s*(?:at|et|@)\s*[\])}>]\s*|@"
       rf"|\s?@\s?(?=[\w-]+\s?\.\s?{_TLD})"
       r"|\s+at\s+(?=\S+\s*(?:[\[(]\s*)?(?:dot|titik)\b))")
_DOT = (r"(?:\s*[\[({<]\s*(?:dot|titik)\s*[\])}>]\s*|\s+(?:dot|titik)\s+|\.(?=[a-z])"
        rf"|\s?\.\s?(?={_TLD}))")
_EMAIL = re.compile(rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*", re.I)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]*[A-Za-z0-9_]")
_LABELLED = re.compile(
    r"\b(?P<label>ig|insta(?:gram)?|twitter|tiktok|fb|facebook|telegram|line|akun)"
    r"(?P<gap>\s*[:=]\s*)@?[A-Za-z0-9_][A-Za-z0-9_.]{2,}", re.I)
_DIGIT_WORDS = (r"nol|kosong|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|"
                r"zero|one|two|three|four|five|six|seven|eight|nine")
_SPELLED = re.compile(rf"\b(?:(?:{_DIGIT_WORDS}|\d)\b[\s,.-]*){{6,}}(?:{_DIGIT_WORDS}|\d)\b",
                      re.I)
# A run of digits, or letters typed for digits (O for 0, l and I for 1), with the separators
# people put in phone numbers; it starts with a real digit (or O before a digit).
_DIGITISH = r"[0-9OolI]"
_RUN = re.compile(
    rf"(?<![A-Za-z0-9])(?:\+\s?)?\(?(?:\d|[Oo](?=[0-9lI]))"
    rf"(?:(?:\s?[-./]\s?|\)\s?|\s\(?)?{_DIGITISH})*\)?(?![A-Za-z0-9])")
_DATE = r"(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})"
_TIME = r"\d{1,2}[.:]\d{2}"
_PLAIN_FIGURES = re.compile(rf"(?:{_DATE}|{_TIME})(?:(?:\s*[-–/]\s*|\s+)(?:{_DATE}|{_TIME}))*")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_PHONE_WORDS = re.compile(
    r"\b(?:hp|telp?|tlp|telepon|telpon|ponsel|wa|whatsapp|sms|kontak|hubungi|call|phone|nik|"
    r"rek(?:ening)?)\b(?:\W+\w+){0,2}\W*$", re.I)  # "no telp rumah 5551234"
_LOOKALIKES = str.maketrans("OolI", "0011")


def _digits(run: str) -> str:
    """Return the digits of a run, reading O as 0 and l or I as 1."""
    return re.sub(r"\D", "", run.translate(_LOOKALIKES))


def _is_contact(run: str, before: str) -> bool:
    """Say whether a run of digits is a phone number, a NIK or an account number."""
    core = run.strip("()")
    if _PLAIN_FIGURES.fullmatch(core) or _THOUSANDS.fullmatch(core):
        return False  # a date, a time or a price
    digits = _digits(run)
    if _PHONE_WORDS.search(before[-30:]):
        return len(digits) >= 6
    if run.startswith(("+", "(")) or digits.startswith("0"):
        return len(digits) >= 7
    if digits.startswith("62"):
        return len(digits) >= 9
    return len(digits) >= 10


def _runs(text: str) -> str:
    """Hide the runs of digits that read as a phone number, a NIK or an account number."""
    def hide(match: re.Match) -> str:
        run = match.group(0)
        return MARK if _is_contact(run, text[:match.start()]) else run
    return _RUN.sub(hide, text)


def redact(text: str) -> str:
    """Return a citizen's text with every contact detail replaced by '[disamarkan]'.

    Idempotent: a redacted text comes back unchanged.
    """
    text = _URL.sub(MARK, text)
    text = _EMAIL.sub(MARK, text)
    text = _HANDLE.sub(MARK, text)
    text = _LABELLED.sub(lambda m: f"{m['label']}{m['gap']}{MARK}", text)
    text = _SPELLED.sub(MARK, text)
    return _runs(text)
