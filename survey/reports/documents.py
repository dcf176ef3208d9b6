"""The plain data of reports and exports, gathered through `indices` and `queries`.

Builders in `analysis/report` lay these out as PDF, XLSX or CSV; nothing here draws or
formats, and every figure comes from the same functions as the dashboards and the API.
"""

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy.orm import Session

from analysis import ikm, stats
from analysis.elements import ELEMENT_CODES
from analysis.report import data, sheets
from analysis.report.texts import CHANNELS, period_kind, text
from survey import (figures, indices, instrument_figures, integrity, invitation_rates, periods,
                    queries, report_profiles, samples)
from survey.entry_dates import EARLIEST
from survey.exchange.sources import source_of_unit
from survey.models import ServiceUnit
from survey.i18n import translate
from survey.inbox import followups
from survey.periods import Period
from survey.regions import timezone_for
from survey.reports import dashboards, zone_report
from survey.responses import default_questionnaire
from survey.scopes import Scope
from survey.vocab import CHANNELS as CHANNEL_CODES
from survey.vocab import EDUCATIONS, GENDERS, OCCUPATIONS

TREND_LENGTH = {"semester": 6, "quarter": 8, "month": 12, "year": 5}
UNIT_LIMIT = 300  # units listed in an aggregate report; the XLSX export has them all
AGE_LABELS = {"<20": "< 20", "20-29": "20–29", "30-39": "30–39", "40-49": "40–49",
              "50-59": "50–59", "60+": "≥ 60"}
NOT_ANSWERED = {"id": "Tidak diisi", "en": "Not answered"}


def report_period(period: Period) -> data.ReportPeriod:
    """Return a period as report data."""
    return data.ReportPeriod(period.label, period.name, period.starts_on, period.ends_on)


def index_of(f: figures.Figures) -> data.Index | None:
    """Return the index of a group's figures, or None when it has no responses."""
    if not f.has_data:
        return None
    return data.Index(f.respondents, f.ikm, f.konversi, f.grade.letter if f.grade else None,
                      f.ci, f.units, f.provisional, f.min_respondents)


def elements_of(f: figures.Figures, locale: str = "id") -> tuple[data.Element, ...]:
    """Return a group's element figures with names in the report's language."""
    return tuple(data.Element(e.code, e.name_en if locale == "en" else e.name, e.nrr,
                              e.nrr_weighted, e.konversi, e.grade, e.ci_low, e.ci_high,
                              e.value_counts) for e in f.elements)


def unit_report(session: Session, unit: ServiceUnit, period: Period, locale: str = "id",
                convention: str = "exact", today: date | None = None,
                signed_on: date | None = None) -> data.UnitReport:
    """Return everything the unit report of a period prints; it is dated `today` (default: the
    unit's own today) and signed on `signed_on` (default: the unit's kept signing date, else the
    day it is dated)."""
    scope = Scope("unit", unit.slug)
    today = today or report_profiles.local_today(unit)
    index = indices.unit_index(session, unit, period, convention)
    zone = timezone_for(unit.region_code)
    span = queries.response_span(session, scope, period)
    first, last = ((moment.astimezone(zone).replace(tzinfo=None) for moment in span)
                   if span else (None, None))
    counts = queries.profile_counts(session, scope, period)
    title, items = questionnaire(session, locale)
    source = source_of_unit(session, unit)
    return data.UnitReport(
        locale=locale, unit=unit.name, agency=unit.agency.name, region=unit.region.name,
        province=queries.scope_name(session, Scope("region", unit.region_code[:2])),
        period=report_period(period), first_response=first, last_response=last,
        zone=zone.tzname(None), channels=channel_counts(counts, locale),
        sample=_sample(index), convention=convention,
        weight=ikm.weight(len(ELEMENT_CODES), convention), index=index_of(index.figures),
        elements=elements_of(index.figures, locale), profile=profile_of(counts, locale),
        trend=trend_data(session, scope, period, "pooled", convention),
        questionnaire=items, questionnaire_title=title, generated_on=today,
        follow_up=follow_up(session, unit, period, locale),
        min_respondents=samples.min_respondents(),
        # A unit received from another server has its counts in the rollups, no raw answers.
        basis=basis_of(integrity.scope_integrity(session, scope, period)
                       if source else integrity.unit_integrity(session, unit.id, period), locale),
        invitations=invitation_rates.unit_rates(session, unit, period)[0],
        endorsement=report_profiles.endorsement(session, unit, signed_on, today), source=source)


def basis_of(found: integrity.Integrity, locale: str) -> data.Basis:
    """Return the basis of a unit's figure as report data, reasons named in its language."""
    reasons = tuple(data.Count(reason, text(locale, f"reason.{reason or 'none'}"), n)
                    for reason, n in found.excluded_by_reason)
    return data.Basis(found.stored, found.counted, found.staff, found.kiosk_answers or 0,
                      found.kiosks or 0, found.flagged, found.flagged_waiting, found.excluded,
                      reasons, found.open_proposals)


def _actions(plan: followups.Plan | None, locale: str) -> tuple[data.PlannedAction, ...]:
    """Return the actions of a plan as report data, each with its element's change."""
    if plan is None:
        return ()
    return tuple(data.PlannedAction(
        f"{a.element_code} {a.element}", a.action, a.owner, a.due,
        translate(locale, f"rtl.status.{a.status}"),
        a.change.nrr_before if a.change else None, a.change.nrr_after if a.change else None,
        a.change.change if a.change else None) for a in plan.actions)


def follow_up(session: Session, unit: ServiceUnit, period: Period,
              locale: str = "id") -> data.FollowUp:
    """Return the unit's follow-up plan for a period and the previous plan's effect in it."""
    previous = followups.previous_plan(session, unit, period, locale)
    return data.FollowUp(
        _actions(followups.plan(session, unit, period, locale=locale), locale),
        previous.planned_in.name if previous else None, _actions(previous, locale))


def _sample(index: indices.UnitIndex) -> data.Sample:
    """Return the sample adequacy of a unit's index (none collected yet is inadequate too)."""
    a = index.adequacy or stats.sample_adequacy(0, index.population)
    return data.Sample(index.population, a.required, a.achieved, a.adequate, a.margin_of_error)


def _counts(counts, field: str, vocabulary: dict, locale: str) -> tuple[data.Count, ...]:
    """Return one profile field's counts in vocabulary order, 'not answered' last if any."""
    found = {c.value: c.count for c in counts if c.field == field}
    rows = [data.Count(code, label, found.get(code, 0)) for code, label in vocabulary.items()]
    if found.get(None):
        rows.append(data.Count(None, NOT_ANSWERED[locale], found[None]))
    return tuple(rows) if any(row.count for row in rows) else ()


def profile_of(counts, locale: str) -> data.Profile:
    """Return the respondent profile (gender, age band, education, occupation) of counts."""
    pick = 1 if locale == "en" else 0

    def labels(vocabulary):
        """Return code -> label of a vocabulary in the report's language."""
        return {code: names[pick] for code, names in vocabulary.items()}
    return data.Profile(
        gender=_counts(counts, "gender", labels(GENDERS), locale),
        age=_counts(counts, "age_band", {label: AGE_LABELS[label]
                                         for _, label in queries.AGE_BANDS}, locale),
        education=_counts(counts, "education", labels(EDUCATIONS), locale),
        occupation=_counts(counts, "occupation", labels(OCCUPATIONS), locale))


def channel_counts(counts, locale: str) -> tuple[data.Count, ...]:
    """Return the respondents per channel that was used, in the vocabulary's order."""
    found = {c.value: c.count for c in counts if c.field == "channel"}
    return tuple(data.Count(code, CHANNELS[locale][code], found[code])
                 for code in CHANNEL_CODES if found.get(code))


def questionnaire(session: Session, locale: str) -> tuple[str, tuple[data.Question, ...]]:
    """Return the default questionnaire's title and items as asked, in the report's language."""
    q = default_questionnaire(session)
    en = locale == "en"
    return (q.title_en if en else q.title_id,
            tuple(data.Question(item.position, item.element_code,
                                item.text_en if en else item.text_id,
                                tuple(item.labels_en if en else item.labels_id))
                  for item in sorted(q.items, key=lambda item: item.position)))


def _containing(kind: str, day: date) -> Period:
    """Return the period of a kind (semester, quarter, month, year) that contains a day."""
    label = {"semester": f"{day.year}-S{1 if day.month <= 6 else 2}",
             "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
             "month": f"{day.year}-{day.month:02d}", "year": str(day.year)}[kind]
    return periods.parse(label)


def recent_periods(period: Period) -> tuple[str, list[Period]]:
    """Return the kind of a period and the periods of that kind ending with it, oldest first.

    A custom range is compared by semesters, ending with the one that contains its last day.
    """
    kind = period_kind(period.label)
    last = period
    if kind == "custom":
        kind, last = "semester", _containing("semester", period.ends_on)
    found = [last]
    for _ in range(TREND_LENGTH[kind] - 1):
        before = found[0].starts_on - timedelta(days=1)
        if before < EARLIEST:  # no period is named before 2000
            break
        found.insert(0, _containing(kind, before))
    return kind, found


def trend_data(session: Session, scope: Scope, period: Period, method: str = "pooled",
               convention: str = "exact") -> data.TrendData:
    """Return the index per period up to the report's period, its changes and the trend."""
    kind, period_list = recent_periods(period)
    result = indices.trend(session, scope, period_list, method, convention)
    rows = [data.TrendRow(p.label, p.name, p.figures.respondents, p.figures.konversi,
                          p.figures.grade.letter if p.figures.grade else None, p.figures.ci,
                          p.change) for p in result.points]
    while len(rows) > 1 and rows[0].konversi is None:  # periods before the first answer
        rows.pop(0)
    return data.TrendData(tuple(rows), result.trend, kind)


def rank_row(f: figures.Figures) -> data.RankRow:
    """Return one group of a ranking."""
    return data.RankRow(f.key, f.name, f.respondents, f.units, f.konversi,
                        f.grade.letter if f.grade else None, f.ci)


def scope_report(session: Session, scope: Scope, name: str, period: Period,
                 method: str = "pooled", locale: str = "id",
                 today: date | None = None) -> data.ScopeReport:
    """Return everything the aggregate report of a scope prints (exact weights)."""
    group_by = dashboards.child_grouping(scope)
    page = dashboards.scope_page(session, scope, name, period, group_by, method)
    units = indices.scope_ranking(session, scope, period, "unit", "pooled")
    parent = None
    if scope.kind == "region" and "." in scope.value:
        parent = queries.scope_name(session, Scope("region", scope.value[:2]))
    return data.ScopeReport(
        locale=locale, scope=str(scope), name=name, parent=parent, period=report_period(period),
        method=method, convention="exact", weight=ikm.weight(len(ELEMENT_CODES)),
        group_level=group_by, overall=index_of(page.overall),
        elements=elements_of(page.overall, locale),
        # Unit rows come from the pooled ranking: the same index, with the unit's own interval
        # (the mean of one unit's index has no spread to build one from).
        ranking=tuple(rank_row(f) for f in (units if group_by == "unit" else page.rows)),
        units=tuple(rank_row(f) for f in units[:UNIT_LIMIT]), units_total=len(units),
        grades=dict(page.grades), heat_rows=page.heat_rows, heat_periods=page.heat_periods,
        heat=page.heat, trend=trend_data(session, scope, period, method),
        generated_on=today or date.today(), min_respondents=samples.min_respondents())


def batch_targets(session: Session, scope: Scope, period: Period) -> list[tuple[str, str]]:
    """Return (code, name) of each regency or city with counted responses in a scope."""
    rows = queries.aggregate(session, scope, [period], "regency")
    return [(row.key, row.name) for row in rows if row.sums.n]


def file_stem(code: str, name: str) -> str:
    """Return a file name stem such as 35.78-kota-surabaya."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{code}-{re.sub(r'[^a-z0-9]+', '-', ascii_name.lower()).strip('-')}"


def response_records(session: Session, scope: Scope, period: Period,
                     suggestions: bool = False) -> Iterator[tuple]:
    """Yield the rows of a raw-response export, times in the unit's local time.

    Contact details in suggestions are hidden even when suggestions are asked for.
    """
    for row in queries.response_rows(session, scope, period, suggestions):
        zone = timezone_for(row.region_code)
        local = row.submitted_at.astimezone(zone).replace(tzinfo=None)
        suggestion = dashboards.redact(row.suggestion) if row.suggestion else None
        yield (row.unit, row.unit_name, row.region_code, local, zone.tzname(None),
               row.channel, row.service_type, row.gender, row.age, row.education,
               row.occupation, *row[10:19], int(row.flagged), suggestion)


def unit_worksheet(session: Session, unit: ServiceUnit, period: Period,
                   convention: str = "exact") -> data.UnitWorksheet:
    """Return the pengolahan data of one unit: every counted respondent's nine answers."""
    index = indices.unit_index(session, unit, period, convention)
    answers = tuple(tuple(record[11:20])
                    for record in response_records(session, Scope("unit", unit.slug), period))
    return data.UnitWorksheet(unit.name, report_period(period), convention,
                              ikm.weight(len(ELEMENT_CODES), convention), answers,
                              elements_of(index.figures), index_of(index.figures))


def scope_worksheet(session: Session, scope: Scope, name: str, period: Period,
                    method: str = "pooled", convention: str = "exact") -> data.ScopeWorksheet:
    """Return the figures of every unit of a scope, one row each, and the scope's index."""
    details = queries.unit_details(session, scope)
    # One statement each for the whole scope: invited answers (rollup_invited), IPKP and IPAK.
    invited = {row.key: row for row in indices.invited_ranking(
        session, scope, period, "unit", "pooled", convention)}
    asked = instrument_figures.scope_unit_figures(session, scope, period)
    rows = []
    for group in queries.aggregate(session, scope, [period], "unit"):
        f = figures.pooled(group.key, group.name, group.sums, convention)
        if f.has_data:
            d = details[group.key]
            rows.append(data.UnitFiguresRow(
                d.slug, d.name, d.agency, d.region_code, d.region, elements_of(f), index_of(f),
                ranked_index(invited[d.slug]) if d.slug in invited else None,
                {code: instrument_index(found[0])
                 for code, found in asked.get(d.slug, {}).items()}))
    rows.sort(key=lambda row: (row.region_code, row.name))
    total = indices.scope_figures(session, scope, name, period, method, convention)
    return data.ScopeWorksheet(name, report_period(period), method, convention,
                               ikm.weight(len(ELEMENT_CODES), convention), tuple(rows),
                               index_of(total), elements_of(total))


def ranked_index(r: figures.Ranked) -> data.Index:
    """Return a group of a ranking as report data, with the minimum sample it is held to."""
    return data.Index(r.respondents, r.ikm, r.konversi, r.grade.letter if r.grade else None,
                      r.ci, r.units, r.provisional, samples.min_respondents())


def instrument_index(z: instrument_figures.InstrumentFigure) -> data.InstrumentIndex:
    """Return an instrument figure as report data: its index rests on its respondents."""
    return data.InstrumentIndex(z.scale_max, z.n, z.index, z.band.letter if z.band else None,
                                samples.min_respondents())


def figures_sheet(session: Session, scope: Scope, name: str, period: Period,
                  method: str = "pooled", convention: str = "exact") -> tuple[list, str]:
    """Return the rows and sheet name of a figures export: one unit's sheet, or one row a unit."""
    if scope.kind == "unit":
        unit = queries.unit_by_slug(session, scope.value)
        return (sheets.unit_figures_rows(unit_worksheet(session, unit, period, convention))
                + zone_report.unit_sheet_rows(session, unit, period), "Pengolahan data")
    return (sheets.scope_figures_rows(scope_worksheet(session, scope, name, period, method,
                                                      convention))
            + zone_report.scope_sheet_rows(session, scope, period), "Rekap per unit")


def export_lines(session: Session, scope: Scope, name: str, period: Period, kind: str,
                 suggestions: bool = False, method: str = "pooled",
                 convention: str = "exact") -> Iterator[str]:
    """Yield a CSV export (raw responses or figures) line by line."""
    if kind == "responses":
        return sheets.csv_lines(response_records(session, scope, period, suggestions),
                                suggestions)
    return sheets.figures_csv_lines(figures_sheet(session, scope, name, period, method,
                                                  convention)[0])


def write_xlsx(session: Session, scope: Scope, name: str, period: Period, kind: str, target,
               suggestions: bool = False, method: str = "pooled",
               convention: str = "exact") -> None:
    """Write an XLSX export (raw responses or figures) to a path or binary file."""
    if kind == "responses":
        sheets.responses_xlsx(target, response_records(session, scope, period, suggestions),
                              suggestions)
        return
    rows, title = figures_sheet(session, scope, name, period, method, convention)
    sheets.figures_xlsx(target, rows, title)
