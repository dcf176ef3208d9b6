"""The IKM computation of PermenPANRB 14/2017 over plain sums and counts.

Everything is exact (``Fraction``) until the published figure, which is rounded
half-up to two decimals (``Decimal``) only at the very end.  Rounded weights
(0.111, 0.11) are available as named conventions to reproduce old reports.
"""

import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

SCALE_MIN = 1
SCALE_MAX = 4
KONVERSI_FACTOR = 25

CONVENTIONS = ("exact", "w0111", "w011")
_CONVENTION_PLACES = MappingProxyType({"exact": None, "w0111": 3, "w011": 2})

PERMENPANRB_14_2017 = "permenpanrb-14-2017"
KEPMENPAN_25_2004 = "kepmenpan-25-2004"


@dataclass(frozen=True)
class Grade:
    """A service quality grade (mutu pelayanan) and its performance label."""

    letter: str
    label_id: str
    label_en: str

    def __repr__(self) -> str:
        return f"Grade({self.letter!r}, {self.label_id!r})"

    def label(self, locale: str = "id") -> str:
        """Return the performance label (kinerja unit) in the given locale."""
        return self.label_en if locale == "en" else self.label_id


GRADE_A = Grade("A", "Sangat baik", "Very good")
GRADE_B = Grade("B", "Baik", "Good")
GRADE_C = Grade("C", "Kurang baik", "Fair")
GRADE_D = Grade("D", "Tidak baik", "Poor")

# Lower bound of each grade on the konversi scale (25..100), best grade first.
SCHEMES = MappingProxyType({
    PERMENPANRB_14_2017: (
        (Decimal("88.31"), GRADE_A),
        (Decimal("76.61"), GRADE_B),
        (Decimal("65.00"), GRADE_C),
        (Decimal("25.00"), GRADE_D),
    ),
    KEPMENPAN_25_2004: (
        (Decimal("81.26"), GRADE_A),
        (Decimal("62.51"), GRADE_B),
        (Decimal("43.76"), GRADE_C),
        (Decimal("25.00"), GRADE_D),
    ),
})


def _fraction(value, name: str = "value") -> Fraction:
    """Return value as an exact Fraction; floats go through their shortest repr."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    try:
        return Fraction(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc


def round_half_up(value, places: int = 2) -> Decimal:
    """Round exactly, half away from zero, as the PermenPANRB 14/2017 tables do.

    A float is read as its shortest decimal repr (88.305 means 88.305, not the
    binary 88.30499999...).  Negative halves round away from zero.
    """
    if places < 0:
        raise ValueError(f"places must be >= 0, got {places!r}")
    exact = _fraction(value)
    scaled = abs(exact) * 10**places
    digits = math.floor(scaled + Fraction(1, 2))
    sign = -1 if exact < 0 else 1
    return Decimal(sign * digits).scaleb(-places)


def weight(n_elements: int, convention: str = "exact") -> Fraction:
    """Return the element weight (nilai penimbang) 1/n of PermenPANRB 14/2017.

    ``w0111`` rounds it half-up to 3 decimals (0.111 for 9 elements, 0.071 for
    the legacy 14), as the regulation's worked example prints it; ``w011`` to 2
    decimals (0.11), as many official spreadsheets do.
    """
    n_elements = operator.index(n_elements)
    if n_elements < 1:
        raise ValueError(f"n_elements must be >= 1, got {n_elements!r}")
    if convention not in _CONVENTION_PLACES:
        raise ValueError(f"unknown convention {convention!r}; expected one of {CONVENTIONS}")
    exact = Fraction(1, n_elements)
    places = _CONVENTION_PLACES[convention]
    if places is None:
        return exact
    return Fraction(round_half_up(exact, places))


def _scheme_bounds(scheme: str):
    """Return the (lower bound, grade) table of a grading scheme."""
    try:
        return SCHEMES[scheme]
    except (KeyError, TypeError):
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {tuple(SCHEMES)}") from None


def grade_for(konversi, scheme: str = PERMENPANRB_14_2017) -> Grade:
    """Grade a konversi value rounded half-up to 2 decimals (PermenPANRB 14/2017).

    Values below 25 are accepted and graded D: rounded weights reach them
    (an all-1 unit scores 24.75 with weight 0.11).
    """
    bounds = _scheme_bounds(scheme)
    rounded = round_half_up(konversi, 2)
    if rounded < 0 or rounded > 100:
        raise ValueError(f"konversi must be within 0..100, got {konversi!r} (rounded {rounded})")
    for lower, grade in bounds:
        if rounded >= lower:
            return grade
    return bounds[-1][1]


def _fmt(value: Fraction, places: int = 4) -> str:
    """Format a Fraction for a repr without losing that it is exact."""
    return str(round_half_up(value, places))


@dataclass(frozen=True, repr=False)
class ElementResult:
    """One element's NRR, weighted NRR and grade (PermenPANRB 14/2017)."""

    code: str
    n: int
    total: int
    nrr: Fraction
    weight: Fraction
    nrr_weighted: Fraction
    konversi: Decimal
    grade: Grade

    def __repr__(self) -> str:
        return (f"ElementResult({self.code!r}, n={self.n}, total={self.total}, "
                f"nrr={_fmt(self.nrr)}, weight={_fmt(self.weight)}, "
                f"konversi={self.konversi}, grade={self.grade.letter!r})")


@dataclass(frozen=True, repr=False)
class IkmResult:
    """The IKM of a set of responses with its elements (PermenPANRB 14/2017)."""

    elements: tuple
    ikm: Fraction
    konversi: Fraction
    konversi_rounded: Decimal
    grade: Grade
    convention: str
    scheme: str
    respondents: int

    def __repr__(self) -> str:
        return (f"IkmResult(ikm={_fmt(self.ikm)}, konversi={self.konversi_rounded}, "
                f"grade={self.grade.letter!r} {self.grade.label_id!r}, "
                f"respondents={self.respondents}, elements={len(self.elements)}, "
                f"convention={self.convention!r}, scheme={self.scheme!r})")

    def element(self, code: str) -> ElementResult:
        """Return the result of the element with this code."""
        for element in self.elements:
            if element.code == code:
                return element
        raise KeyError(code)


def whole(value, name: str = "value") -> int:
    """Return a whole number as int; SQL drivers may hand sums over as Decimal."""
    exact = _fraction(value, name)
    if exact.denominator != 1:
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return exact.numerator


def _check_element(code: str, total, count) -> tuple[int, int]:
    """Validate one element's sum and count and return them as ints."""
    count = whole(count, f"count of {code}")
    total = whole(total, f"sum of {code}")
    if count < 0:
        raise ValueError(f"count of {code} must be >= 0, got {count}")
    if count == 0:
        raise ValueError(
            f"element {code} has no answers (count 0): its NRR is undefined, so no IKM "
            "can be computed; collect answers or leave the element out of the questionnaire")
    if not SCALE_MIN * count <= total <= SCALE_MAX * count:
        raise ValueError(
            f"sum of {code} must be within {SCALE_MIN * count}..{SCALE_MAX * count} "
            f"for {count} answers on the 1..4 scale, got {total}")
    return total, count


def _check_codes(codes, n_elements: int) -> tuple[str, ...]:
    """Return the element codes, U1..Un by default."""
    if codes is None:
        return tuple(f"U{i}" for i in range(1, n_elements + 1))
    codes = tuple(codes)
    if len(codes) != n_elements:
        raise ValueError(f"got {len(codes)} codes {codes!r} for {n_elements} elements")
    if len(set(codes)) != len(codes):
        raise ValueError(f"element codes must be unique, got {codes!r}")
    return codes


def compute_ikm(sums: Sequence[int], counts: Sequence[int], *, codes=None,
                convention: str = "exact", scheme: str = PERMENPANRB_14_2017) -> IkmResult:
    """Compute NRR per element, IKM, konversi and grade (PermenPANRB 14/2017).

    Nothing is rounded before the end: konversi = 25 x sum(NRR_i x weight) exactly,
    and only the grade and the published figure use the 2-decimal rounding.
    """
    sums, counts = tuple(sums), tuple(counts)
    if len(sums) != len(counts):
        raise ValueError(f"got {len(sums)} sums but {len(counts)} counts")
    if not sums:
        raise ValueError("need at least one element, got 0")
    codes = _check_codes(codes, len(sums))
    _scheme_bounds(scheme)
    w = weight(len(sums), convention)
    if w * len(sums) > 1:
        raise ValueError(f"convention {convention!r} gives {len(sums)} weights of "
                         f"{round_half_up(w, 3)} summing to {round_half_up(w * len(sums), 3)} "
                         "> 1; use 'exact'")
    elements = tuple(_element(code, total, count, w, scheme)
                     for code, total, count in zip(codes, sums, counts))
    ikm = sum((element.nrr_weighted for element in elements), Fraction(0))
    konversi = ikm * KONVERSI_FACTOR
    return IkmResult(
        elements=elements, ikm=ikm, konversi=konversi,
        konversi_rounded=round_half_up(konversi, 2), grade=grade_for(konversi, scheme),
        convention=convention, scheme=scheme,
        respondents=max(element.n for element in elements))


def _element(code: str, total, count, w: Fraction, scheme: str) -> ElementResult:
    """Compute one element's NRR, weighted NRR and grade on NRR x 25."""
    total, count = _check_element(code, total, count)
    nrr = Fraction(total, count)
    return ElementResult(
        code=code, n=count, total=total, nrr=nrr, weight=w, nrr_weighted=nrr * w,
        konversi=round_half_up(nrr * KONVERSI_FACTOR, 2),
        grade=grade_for(nrr * KONVERSI_FACTOR, scheme))


def mean_of_units(results: Sequence[IkmResult]) -> Fraction:
    """Return the exact mean of unit konversi values, each unit counted once."""
    results = tuple(results)
    if not results:
        raise ValueError("need at least one unit result, got 0")
    conventions = {(result.convention, len(result.elements)) for result in results}
    if len(conventions) > 1:
        raise ValueError(f"cannot average units computed differently: {sorted(conventions)!r}")
    return sum((result.konversi for result in results), Fraction(0)) / len(results)


def pool(groups: Iterable[tuple[Sequence[int], Sequence[int]]], **options) -> IkmResult:
    """Compute the pooled IKM: the formula on the summed sums and counts.

    ``options`` are passed to :func:`compute_ikm` (codes, convention, scheme).
    """
    groups = [(tuple(sums), tuple(counts)) for sums, counts in groups]
    if not groups:
        raise ValueError("need at least one group to pool, got 0")
    width = len(groups[0][0])
    for sums, counts in groups:
        if len(sums) != width or len(counts) != width:
            raise ValueError(f"every group needs {width} sums and counts, "
                             f"got {len(sums)} sums and {len(counts)} counts")
    sums = [sum(column) for column in zip(*(sums for sums, _ in groups))]
    counts = [sum(column) for column in zip(*(counts for _, counts in groups))]
    return compute_ikm(sums, counts, **options)
