"""Plain data behind a report or export: numbers and names in, nothing computed from rows.

`survey/reports/documents.py` fills these from the database; the builders here only lay them
out. Everything is frozen and picklable, so a batch can render reports in other processes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Optional

from analysis.invitation_rates import ResponseRates
from analysis.stats import Change, Interval, Trend


@dataclass(frozen=True)
class Count:
    """A category of the respondent profile (or a channel) and its number of respondents."""

    code: Optional[str]  # the stored code; None when the respondent left it empty
    label: str
    count: int


@dataclass(frozen=True)
class Profile:
    """Respondents per gender, age band, education and occupation, in display order."""

    gender: tuple[Count, ...] = ()
    age: tuple[Count, ...] = ()
    education: tuple[Count, ...] = ()
    occupation: tuple[Count, ...] = ()


@dataclass(frozen=True)
class Element:
    """One element's published figures (PermenPANRB 14/2017) and its answers 1..4."""

    code: str
    name: str
    nrr: float
    nrr_weighted: float
    konversi: Decimal
    grade: Optional[str]  # None when the figure is provisional
    ci_low: Optional[float]
    ci_high: Optional[float]
    value_counts: tuple[int, int, int, int]

    @property
    def total(self) -> int:
        """Return the sum of the answers (jumlah nilai), exactly, from the counts."""
        return sum(value * count for value, count in enumerate(self.value_counts, start=1))

    @property
    def answers(self) -> int:
        """Return the number of answers to the element."""
        return sum(self.value_counts)


@dataclass(frozen=True)
class Index:
    """The index of a unit or a group: IKM (1..4), konversi (25..100), grade and interval."""

    respondents: int
    ikm: float
    konversi: Decimal
    grade: Optional[str]  # None when provisional (below the minimum sample)
    ci: Optional[Interval]
    units: int = 1
    provisional: bool = False
    min_respondents: Optional[int] = None


@dataclass(frozen=True)
class TrendRow:
    """One period of a trend and its change against the previous period with data."""

    label: str
    name: str
    respondents: int
    konversi: Optional[Decimal]
    grade: Optional[str]
    ci: Optional[Interval]
    change: Optional[Change]


@dataclass(frozen=True)
class TrendData:
    rows: tuple[TrendRow, ...]
    trend: Trend
    period_kind: str  # "semester", "quarter", "month", "year": what one step of the slope is


@dataclass(frozen=True)
class Sample:
    """Sample adequacy against Krejcie & Morgan (PermenPANRB 14/2017)."""

    population: Optional[int]
    required: int
    achieved: int
    adequate: bool
    margin_of_error: Optional[float]


@dataclass(frozen=True)
class Question:
    """One item of the questionnaire as asked, with its four answer labels (1 = worst)."""

    position: int
    code: str
    text: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ReportPeriod:
    label: str
    name: str  # as `survey.periods` names it (Indonesian)
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class PlannedAction:
    """One action of a follow-up plan (RTL), with its element's change where measured."""

    element: str  # code and name, e.g. "U3 Waktu Penyelesaian"
    action: str
    owner: str
    due: date
    status: str  # in the report's language
    nrr_before: Optional[float] = None
    nrr_after: Optional[float] = None
    change: Optional[Change] = None  # konversi points, measured in the next period


@dataclass(frozen=True)
class FollowUp:
    """The follow-up plan of the report's period and the plan of the period before it."""

    actions: tuple[PlannedAction, ...] = ()
    previous_period: Optional[str] = None  # name of the period the earlier plan was made for
    previous: tuple[PlannedAction, ...] = ()


@dataclass(frozen=True)
class Basis:
    """The basis of the period's figure (DESIGN.md §7a): counts only."""

    stored: int  # answers stored, counted or excluded
    counted: int
    staff: int  # counted answers typed in by staff (paper, interview)
    kiosk_answers: int  # counted answers from enrolled kiosks
    kiosks: int
    flagged: int  # flagged, still counted
    flagged_waiting: int
    excluded: int
    excluded_by_reason: tuple[Count, ...]  # label in the report's language
    open_proposals: int


@dataclass(frozen=True)
class Endorsement:
    """The front matter of a unit report: who signs the lembar pengesahan, where and when, the
    kata pengantar (None: the default text) and the unit's logo (PNG or JPEG bytes)."""

    signed_on: date
    head_name: Optional[str] = None
    head_nip: Optional[str] = None
    head_position: Optional[str] = None
    place: Optional[str] = None
    foreword: Optional[str] = None
    logo: Optional[bytes] = None


@dataclass(frozen=True)
class UnitReport:
    """Everything the unit report (Laporan Hasil SKM) prints."""

    locale: str
    unit: str
    agency: str
    region: str
    province: Optional[str]
    period: ReportPeriod
    first_response: Optional[datetime]  # local time of the unit
    last_response: Optional[datetime]
    zone: str  # WIB, WITA or WIT
    channels: tuple[Count, ...]
    sample: Optional[Sample]
    convention: str
    weight: Fraction
    index: Optional[Index]  # None: no response in the period
    elements: tuple[Element, ...]
    profile: Profile
    trend: TrendData
    questionnaire: tuple[Question, ...]
    questionnaire_title: str
    generated_on: date
    follow_up: FollowUp = FollowUp()
    min_respondents: int = 30  # below it a figure is provisional: no grade, no test
    basis: Optional[Basis] = None  # flagged, excluded, staff-entered and kiosk answers
    invitations: Optional[ResponseRates] = None  # issued in the period; None: not gathered
    endorsement: Optional[Endorsement] = None  # None: no front matter (lembar pengesahan)
    source: Optional[str] = None  # the server a received unit's figures come from


@dataclass(frozen=True)
class RankRow:
    """One unit, regency, province or agency of a ranking."""

    key: str
    name: str
    respondents: int
    units: int
    konversi: Optional[Decimal]
    grade: Optional[str]
    ci: Optional[Interval]


@dataclass(frozen=True)
class ScopeReport:
    """Everything the aggregate report of a region, agency or the nation prints."""

    locale: str
    scope: str  # "national", "region:35", "agency:4"
    name: str
    parent: Optional[str]  # the province of a regency, for the cover
    period: ReportPeriod
    method: str  # "pooled" or "mean_of_units"
    convention: str
    weight: Fraction
    group_level: str  # what `ranking` ranks: "province", "regency", "unit" or "agency"
    overall: Optional[Index]
    elements: tuple[Element, ...]
    ranking: tuple[RankRow, ...]
    units: tuple[RankRow, ...]  # every unit of the scope, best first (may be cut, see below)
    units_total: int
    grades: dict = field(default_factory=dict)  # grade letter -> number of units
    heat_rows: tuple[str, ...] = ()
    heat_periods: tuple[str, ...] = ()
    heat: tuple[tuple[Optional[float], ...], ...] = ()
    trend: Optional[TrendData] = None
    generated_on: Optional[date] = None
    min_respondents: int = 30  # below it a figure is provisional: no grade, no test


@dataclass(frozen=True)
class UnitWorksheet:
    """The official *pengolahan data SKM* of one unit: every respondent's nine answers."""

    unit: str
    period: ReportPeriod
    convention: str
    weight: Fraction
    answers: tuple[tuple[int, ...], ...]  # one row per respondent, U1..U9
    elements: tuple[Element, ...]
    index: Optional[Index]


@dataclass(frozen=True)
class UnitFiguresRow:
    """One unit's sums and figures in a scope's figures table."""

    slug: str
    name: str
    agency: str
    region_code: str
    region: str
    elements: tuple[Element, ...]
    index: Index
    invited: Optional[Index] = None  # over invited answers only; None without any
    # IPKP and IPAK, by instrument code (spkp, spak); an instrument the unit did not ask is absent
    instruments: dict = field(default_factory=dict)


@dataclass(frozen=True)
class InstrumentIndex:
    """One Zona Integritas index of a unit (IPKP or IPAK) on the scale it was asked."""

    scale_max: int
    respondents: int
    index: Decimal  # mean of item means, two places
    band: Optional[str]  # the band's letter; None when provisional (below the minimum sample)
    min_respondents: int


@dataclass(frozen=True)
class ScopeWorksheet:
    """The figures of every unit of a scope, one row each, and the scope's own index."""

    name: str
    period: ReportPeriod
    method: str
    convention: str
    weight: Fraction
    rows: tuple[UnitFiguresRow, ...]
    overall: Optional[Index]
    elements: tuple[Element, ...]


# Laporan Hasil SPKP dan SPAK (Zona Integritas, PermenPANRB 90/2021): see analysis.instruments.


@dataclass(frozen=True)
class ZiItemRow:
    """One statement of SPKP or SPAK: its answers 1..scale_max and its mean."""

    code: str
    text: str
    counts: tuple[int, ...]  # respondents per answer value, 1 first
    mean: Fraction


@dataclass(frozen=True)
class ZiInstrumentResult:
    """One survey's published figures (IPKP or IPAK) and where they stand for the ZI."""

    code: str  # "spkp" or "spak"
    short: str  # "IPKP" or "IPAK" (in the report's language)
    name: str
    n: int
    item_rows: tuple[ZiItemRow, ...]
    index: Fraction  # mean of item means, on 1..scale_max
    konversi: Fraction  # index x 100 / scale_max
    band: str  # band letter A..D (SKM grade table, four-point index)
    interval: Optional[Interval]  # t-interval of the index, on 1..scale_max
    on_four: Fraction  # the index on 1..4, what the LKE takes
    lke_points: Fraction  # on_four / 4 x 17.5
    target: Optional[Fraction]  # on 0..4 for the report's zone kind; None without one
    meets: Optional[bool]
    scale_max: int = 4
    labels: tuple[str, ...] = ()  # answer labels 1..scale_max in the report's language
    band_label: str = ""  # Sangat baik, Baik, ...
    sample: Optional[Sample] = None  # Krejcie & Morgan adequacy, when the population is known


@dataclass(frozen=True)
class ZiReport:
    """Everything the Laporan Hasil SPKP dan SPAK prints."""

    locale: str
    unit: str
    agency: str
    region: str
    period: ReportPeriod
    generated_on: date
    results: tuple[ZiInstrumentResult, ...]
    zone_kind: Optional[str] = None  # "wbk", "wbbm" or None (no target chosen)
    endorsement: Optional[Endorsement] = None  # None: no lembar pengesahan
