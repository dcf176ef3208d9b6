"""The SKM's sibling surveys for the Zona Integritas: SPKP (IPKP) and SPAK (IPAK).

What the official texts fix:

* PermenPANRB 90/2021 (Pembangunan dan Evaluasi Zona Integritas), Lampiran, komponen hasil:
  the anti-corruption perception survey (survei eksternal) must establish diskriminasi
  pelayanan, kecurangan pelayanan, menerima imbalan dan/atau gratifikasi, percaloan and
  pungutan liar; the LKE scores "Nilai Survey Persepsi Korupsi (Survei Eksternal)" and
  "Nilai Persepsi Kualitas Pelayanan (Survei Eksternal)".
* SE MenPANRB No. 4/2023 (Pengusulan dan Evaluasi ZI 2023): units run both surveys
  themselves ("secara mandiri"), over every service type, among everyone who finished
  receiving a service; the questions "minimal mencakup" the aspects prosedur, persyaratan,
  biaya, waktu, penyelesaian, respon, performa, sarana and pengaduan.

No official item wording, answer scale or formula text was found.  SUARA therefore follows
the practice of published unit reports: the 8 SPKP and 5 SPAK statements printed on unit
forms (Pengadilan Agama Palu, PA Palangkaraya), every item coded high = good (the SPAK
statements read "Tidak ada ...", so agreement = good), the index = the equal-weight mean of
item means, and konversi = index x 100 / scale (x 25 on four points), as the SKM of
PermenPANRB 14/2017 does.  Bands are the SKM grade table of PermenPANRB 14/2017 on the
four-point index.

A six-point index reaches the LKE's 0..4 scale through ``on_four_point``, SUARA's documented
choice (no official conversion exists).  ``ZI_TARGETS`` (WBK: IPAK >= 3.60, IPKP >= 3.20;
WBBM: both >= 3.60, on 0..4) and ``lke_points`` (index / 4 x 17.5) are read from an
open-source LKE implementation of PermenPANRB 90/2021 (axxpxmd/zona_integritas: WBK SPAK
sub-item >= 15.75 points, SPKP >= 14.00; WBBM >= 15.75 both), unverified against the
Lampiran text.

Everything here takes sufficient statistics (item sums, n, per-respondent totals and their
squares), so rollups stay exact; results are exact ``Fraction``s, rounded half-up only for
print (``analysis.ikm.round_half_up``).
"""

import operator
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Optional

from analysis.ikm import KONVERSI_FACTOR, _fraction, round_half_up, whole
from analysis.stats import Interval, MeanSummary, _t_interval, sample_adequacy

SCALES = (4, 6)
LABELS_4_ID = ("Sangat tidak setuju", "Tidak setuju", "Setuju", "Sangat setuju")
LABELS_4_EN = ("Strongly disagree", "Disagree", "Agree", "Strongly agree")
LABELS_6_ID = ("Sangat tidak setuju", "Tidak setuju", "Agak tidak setuju", "Agak setuju",
               "Setuju", "Sangat setuju")
LABELS_6_EN = ("Strongly disagree", "Disagree", "Somewhat disagree", "Somewhat agree",
               "Agree", "Strongly agree")
_LABELS = MappingProxyType({4: (LABELS_4_ID, LABELS_4_EN), 6: (LABELS_6_ID, LABELS_6_EN)})


@dataclass(frozen=True)
class InstrumentItem:
    """One statement, coded so that the top answer is the good one."""

    code: str
    text_id: str
    text_en: str
    aspect: str

    def text(self, locale: str = "id") -> str:
        """Return the statement in the given locale."""
        return self.text_en if locale == "en" else self.text_id


@dataclass(frozen=True)
class Band:
    """A band (mutu) of the index on the four-point scale, bounds inclusive."""

    letter: str
    label_id: str
    label_en: str
    low: Decimal
    high: Decimal

    def label(self, locale: str = "id") -> str:
        """Return the band's label in the given locale."""
        return self.label_en if locale == "en" else self.label_id


@dataclass(frozen=True)
class Instrument:
    """A perception survey: its statements, answer scale and bands."""

    code: str
    name_id: str
    name_en: str
    short_id: str
    short_en: str
    source: str
    items: tuple[InstrumentItem, ...]
    scale_max: int
    labels_id: tuple[str, ...]
    labels_en: tuple[str, ...]
    bands: tuple[Band, ...]

    def __post_init__(self):
        if self.scale_max not in SCALES:
            raise ValueError(f"scale_max must be one of {SCALES}, got {self.scale_max!r}")
        for labels in (self.labels_id, self.labels_en):
            if len(labels) != self.scale_max:
                raise ValueError(f"need {self.scale_max} answer labels, got {labels!r}")
        codes = [item.code for item in self.items]
        if not codes or len(set(codes)) != len(codes):
            raise ValueError(f"item codes must be unique and non-empty, got {codes!r}")

    def name(self, locale: str = "id") -> str:
        return self.name_en if locale == "en" else self.name_id

    def short(self, locale: str = "id") -> str:
        return self.short_en if locale == "en" else self.short_id

    def labels(self, locale: str = "id") -> tuple[str, ...]:
        return self.labels_en if locale == "en" else self.labels_id

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)


# The SKM grade table of PermenPANRB 14/2017 on the 1..4 index (konversi bounds / 25).
BANDS = (
    Band("A", "Sangat baik", "Very good", Decimal("3.5324"), Decimal("4.00")),
    Band("B", "Baik", "Good", Decimal("3.0644"), Decimal("3.532")),
    Band("C", "Kurang baik", "Fair", Decimal("2.60"), Decimal("3.064")),
    Band("D", "Tidak baik", "Poor", Decimal("1.00"), Decimal("2.5996")),
)

_FORMS = "Kuesioner SPKP & SPAK, Pengadilan Agama Palu (esikat.pa-palu.go.id/survey)"

SPKP = Instrument(
    code="spkp", name_id="Survei Persepsi Kualitas Pelayanan",
    name_en="Service Quality Perception Survey", short_id="IPKP", short_en="IPKP",
    source=("PermenPANRB 90/2021, Lampiran (komponen hasil: nilai persepsi kualitas "
            "pelayanan); SE MenPANRB No. 4/2023 (aspek minimal); wording as printed on unit "
            f"forms: {_FORMS}"),
    items=(
        InstrumentItem("P1", "Informasi Pelayanan pada unit layanan ini tersedia melalui media "
                       "elektronik maupun non elektronik",
                       "Service information at this unit is available through electronic and "
                       "non-electronic media", "informasi"),
        InstrumentItem("P2", "Persyaratan pelayanan yang diinformasikan sesuai dengan "
                       "persyaratan yang ditetapkan unit layanan ini",
                       "The announced requirements match the requirements this unit applies",
                       "persyaratan"),
        InstrumentItem("P3", "Prosedur/Alur pelayanan yang ditetapkan unit layanan ini mudah "
                       "diikuti/dilakukan",
                       "The service procedure/flow set by this unit is easy to follow",
                       "prosedur"),
        InstrumentItem("P4", "Jangka waktu penyelesaian pelayanan yang diterima Bapak/Ibu "
                       "sesuai dengan yang ditetapkan unit layanan ini",
                       "The time taken to complete your service matched the time this unit "
                       "sets", "waktu"),
        InstrumentItem("P5", "Tarif/Biaya pelayanan yang dibayarkan pada unit layanan ini "
                       "sesuai dengan tarif/biaya yang ditetapkan",
                       "The fee paid at this unit matched the official fee", "biaya"),
        InstrumentItem("P6", "Sarana prasarana pendukung pelayanan/sistem pelayanan online "
                       "yang disediakan unit layanan ini memberikan kenyamanan/mudah digunakan",
                       "The facilities/online service system of this unit are comfortable and "
                       "easy to use", "sarana"),
        InstrumentItem("P7", "Petugas pelayanan/sistem pelayanan online pada unit layanan ini "
                       "merespon keperluan Bapak/Ibu dengan cepat",
                       "Staff/the online service system of this unit responded quickly to "
                       "your needs", "respon"),
        InstrumentItem("P8", "Layanan konsultasi dan pengaduan yang disediakan unit layanan "
                       "ini mudah digunakan/diakses",
                       "The consultation and complaint services of this unit are easy to use "
                       "and reach", "pengaduan"),
    ),
    scale_max=4, labels_id=LABELS_4_ID, labels_en=LABELS_4_EN, bands=BANDS)

SPAK = Instrument(
    code="spak", name_id="Survei Persepsi Anti Korupsi",
    name_en="Anti-Corruption Perception Survey", short_id="IPAK", short_en="IPAK",
    source=("PermenPANRB 90/2021, Lampiran (komponen hasil: nilai persepsi korupsi, aspek "
            "diskriminasi, kecurangan, imbalan/gratifikasi, percaloan, pungutan liar); "
            f"SE MenPANRB No. 4/2023; wording as printed on unit forms: {_FORMS}"),
    items=(
        InstrumentItem("A1", "Tidak ada diskriminasi pelayanan pada unit layanan ini",
                       "There is no discrimination in service at this unit", "diskriminasi"),
        InstrumentItem("A2", "Tidak ada pelayanan diluar prosedur/kecurangan pelayanan pada "
                       "unit layanan ini",
                       "There is no service outside the procedure (service fraud) at this "
                       "unit", "kecurangan"),
        InstrumentItem("A3", "Tidak ada penerimaan imbalan uang/barang/fasilitas diluar "
                       "ketentuan yang berlaku pada unit layanan ini",
                       "No money, goods or facilities are accepted beyond the rules at this "
                       "unit", "imbalan"),
        InstrumentItem("A4", "Tidak ada pungutan liar (pungli) pada unit layanan ini",
                       "There are no illegal levies at this unit", "pungli"),
        InstrumentItem("A5", "Tidak ada percaloan/perantara tidak resmi pada unit layanan ini",
                       "There are no brokers or unofficial intermediaries at this unit",
                       "calo"),
    ),
    scale_max=4, labels_id=LABELS_4_ID, labels_en=LABELS_4_EN, bands=BANDS)

INSTRUMENTS = MappingProxyType({"spkp": SPKP, "spak": SPAK})

# Read from an open-source LKE implementation of PermenPANRB 90/2021 (axxpxmd/zona_integritas):
# each survey is worth 17.5 LKE points, scored (index / 4) x 17.5; WBK asks the SPAK sub-item
# >= 15.75 (IPAK >= 3.60) and the SPKP item >= 14.00 (IPKP >= 3.20), WBBM >= 15.75 for both.
# Not verified against the Lampiran text.  On the 0..4 scale.
ZI_TARGETS = MappingProxyType({"wbk": MappingProxyType({"ipak": 3.60, "ipkp": 3.20}),
                               "wbbm": MappingProxyType({"ipak": 3.60, "ipkp": 3.60})})
LKE_WEIGHT = Fraction(35, 2)  # 17.5 points per survey in the LKE komponen hasil


def with_scale(instrument: Instrument, scale_max: int) -> Instrument:
    """Return the instrument asked on another scale (4 or 6 points), with its labels.

    Bands stay on the four-point index: see ``on_four_point``.
    """
    if scale_max not in _LABELS:
        raise ValueError(f"scale_max must be one of {SCALES}, got {scale_max!r}")
    labels_id, labels_en = _LABELS[scale_max]
    return replace(instrument, scale_max=scale_max, labels_id=labels_id, labels_en=labels_en)


def _scale(scale_max) -> int:
    scale_max = operator.index(scale_max)
    if scale_max < 2:
        raise ValueError(f"scale_max must be >= 2, got {scale_max!r}")
    return scale_max


def _n(n) -> int:
    n = whole(n, "n")
    if n < 1:
        raise ValueError(f"n must be >= 1 respondent, got {n}")
    return n


def item_means(item_sums: Sequence, n, scale_max: Optional[int] = None) -> tuple[Fraction, ...]:
    """Return each item's mean (sum / n) exactly; every respondent answers every item.

    With ``scale_max`` each sum is checked to lie within n..scale_max x n.
    """
    n, sums = _n(n), tuple(item_sums)
    if not sums:
        raise ValueError("need at least one item sum, got 0")
    means = []
    for position, total in enumerate(sums, start=1):
        total = whole(total, f"sum of item {position}")
        if scale_max is not None and not n <= total <= _scale(scale_max) * n:
            raise ValueError(f"sum of item {position} must be within {n}..{scale_max * n} "
                             f"for {n} answers on 1..{scale_max}, got {total}")
        means.append(Fraction(total, n))
    return tuple(means)


def index(item_sums: Sequence, n, scale_max: Optional[int] = None) -> Fraction:
    """Return the index: the equal-weight mean of item means (practice, not a regulation)."""
    means = item_means(item_sums, n, scale_max)
    return sum(means, Fraction(0)) / len(means)


def konversi(index_value, scale_max: int = 4) -> Fraction:
    """Return index x 100 / scale_max: x 25 on four points, as the SKM's konversi."""
    return _fraction(index_value, "index") * 100 / _scale(scale_max)


def on_four_point(index_value, scale_max: int) -> Fraction:
    """Map an index on 1..scale_max linearly onto 1..4: 1 + (index - 1) x 3 / (scale_max - 1).

    The LKE expects a value on the 0..4 scale.  How a six-point index becomes that value is
    NOT officially specified: this linear map (1 -> 1, 6 -> 4) is SUARA's documented choice,
    not the regulation's.  On four points it is the identity.
    """
    scale_max, value = _scale(scale_max), _fraction(index_value, "index")
    if not 1 <= value <= scale_max:
        raise ValueError(f"index must be within 1..{scale_max}, got {index_value!r}")
    return 1 + (value - 1) * 3 / (scale_max - 1)


def band_of(instrument: Instrument, index_value) -> Band:
    """Return the band of an index on the instrument's scale.

    As the SKM's grade (PermenPANRB 14/2017): the four-point index x 25, rounded half-up to
    two decimals, against the bounds x 25 (88.31, 76.61, 65.00, 25.00).
    """
    return band_on(index_value, instrument.scale_max, instrument.bands)


def band_on(index_value, scale_max: int, bands: Sequence[Band] = BANDS) -> Band:
    """Return the band of an index on 1..scale_max among bands (best first); see band_of."""
    rounded = round_half_up(on_four_point(index_value, scale_max) * KONVERSI_FACTOR)
    for band in bands:
        if rounded >= round_half_up(band.low * KONVERSI_FACTOR):
            return band
    return bands[-1]


def index_interval(n, total_sum, total_sq_sum, k: int, scale_max: int,
                   confidence: float = 0.95) -> Optional[Interval]:
    """Return the t-interval of the index from respondents' item totals; None when n < 2.

    ``total_sum`` and ``total_sq_sum`` are the sums over respondents of each respondent's
    item total and of its square.  A respondent's mean is total / k; with every item
    answered the mean of respondent means is the index, so this is the interval of the
    index, on the instrument's scale (not clipped).
    """
    n, k, scale_max = whole(n, "n"), operator.index(k), _scale(scale_max)
    if k < 1:
        raise ValueError(f"k must be >= 1 item, got {k!r}")
    total, squares = whole(total_sum, "total_sum"), whole(total_sq_sum, "total_sq_sum")
    if n < 0 or not k * n <= total <= k * scale_max * n:
        raise ValueError(f"total_sum {total} is not the sum of {n} respondents' totals of "
                         f"{k} answers on 1..{scale_max}")
    summary = MeanSummary(n, Fraction(total, k), Fraction(squares, k * k))
    return _t_interval(summary, confidence)


def adequacy(n, population: Optional[int]):
    """Return Krejcie & Morgan sample adequacy, as for the SKM (``stats.sample_adequacy``)."""
    return sample_adequacy(n, population)


def lke_points(index_on_four) -> Fraction:
    """Return the LKE points of an index on the 0..4 scale: index / 4 x 17.5."""
    value = _fraction(index_on_four, "index_on_four")
    if not 0 <= value <= 4:
        raise ValueError(f"index_on_four must be within 0..4, got {index_on_four!r}")
    return value / 4 * LKE_WEIGHT


def target(kind: str, short: str) -> Fraction:
    """Return the ZI target of an index ('ipkp' or 'ipak') for 'wbk' or 'wbbm', on 0..4."""
    if kind not in ZI_TARGETS:
        raise ValueError(f"unknown zone kind {kind!r}; expected one of {tuple(ZI_TARGETS)}")
    key = short.lower()
    if key not in ZI_TARGETS[kind]:
        raise ValueError(f"unknown index {short!r}; expected 'ipkp' or 'ipak'")
    return Fraction(repr(ZI_TARGETS[kind][key]))


def meets_target(kind: str, ipkp, ipak) -> bool:
    """Return whether both four-point indices reach the WBK or WBBM targets."""
    return (_fraction(ipkp, "ipkp") >= target(kind, "ipkp")
            and _fraction(ipak, "ipak") >= target(kind, "ipak"))


def percent(count, n, places: int = 2) -> Decimal:
    """Return count / n as a percentage rounded half-up (2 decimals, as unit reports print)."""
    return round_half_up(Fraction(whole(count, "count"), _n(n)) * 100, places)
