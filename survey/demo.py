"""The demo data set behind `suara demo`: agencies, units, service points and responses.

Everything is deterministic (seeds and tokens derive from the unit's slug), so addresses printed
by `make run` stay the same and a second run finds every row already present and adds nothing.
Respondents are drawn per unit and semester: a latent satisfaction shared by all nine elements,
plus the element's offset and noise, cut into answers 1..4, so answers correlate like real data.
"""

import base64
import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

import numpy as np
from numpy.random import Generator
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.elements import ELEMENT_CODES
from survey import entry_batches
from survey.demo_accounts import DEMO_PASSWORD, load_demo_accounts
from survey.demo_data import (DEMO_NAMESPACE, EDUCATION_WEIGHTS, GENERIC_SUGGESTIONS,
                              OCCUPATION_WEIGHTS, OFFICE_MINUTES, PERIODS, PRAISE, PROFILES,
                              UNITS, ServiceProfile, UnitSpec)
from survey.demo_inbox import load_demo_inbox
from survey.demo_zone import load_demo_zone
from survey.demo_review import load_demo_review
from survey.models import Agency, Region, Response, ServicePoint, ServiceUnit, UnitPopulation
from survey.regions import timezone_for
from survey.responses import default_questionnaire, insert_rows, response_values

# Spread of the latent satisfaction between respondents and of each answer around it: equal
# shares give an inter-item correlation near 0.5, Cronbach's alpha near 0.9 as in real SKM data.
PERSON_SD = 0.45
ITEM_SD = 0.45
# Latent values are on the answer scale, so a unit whose element mean is 3.2 mostly answers 3.
CUTS = (1.5, 2.5, 3.5)
# Unhappy respondents write far more often; together about one in eight leaves a suggestion.
SUGGEST_IF_UNHAPPY = 0.20
SUGGEST_IF_CONTENT = 0.06
TOKEN_LENGTH = 12
AGENCY_KINDS = (("Kementerian", "kementerian"), ("Pemerintah", "pemda"), ("Dinas", "dinas"),
                ("Kantor", "kantor"))


@dataclass(frozen=True)
class DemoSummary:
    """What `load_demo` found and added."""

    agencies: int
    agencies_added: int
    units: int
    units_added: int
    points: int
    points_added: int
    populations_added: int
    responses_added: int
    responses_present: int
    example: str
    example_path: str
    example_slug: str
    accounts: tuple = ()
    zone_answers_added: int = 0

    def describe(self, base_url: str = "") -> str:
        """Return an Indonesian multi-line summary for the console, with addresses to open."""
        periods = ", ".join(label for label, _, _ in PERIODS)
        return "\n".join((
            "Data demo SUARA:",
            f"  Instansi      : {_number(self.agencies)} ({_number(self.agencies_added)} baru)",
            f"  Unit layanan  : {_number(self.units)} ({_number(self.units_added)} baru)",
            f"  Titik layanan : {_number(self.points)} ({_number(self.points_added)} baru)",
            f"  Periode       : {periods} (populasi: {self.populations_added} baris baru)",
            f"  Respons       : {_number(self.responses_added)} ditambahkan, "
            f"{_number(self.responses_present)} sudah ada",
            f"  SPKP dan SPAK : {_number(self.zone_answers_added)} jawaban ditambahkan "
            "(dua unit Zona Integritas)",
            "",
            f"  Beranda        : {base_url}/",
            f"  Dasbor nasional: {base_url}/dasbor/",
            f"  Dasbor unit    : {base_url}/dasbor/unit/{self.example_slug}",
            f"  Zona Integritas: {base_url}/dasbor/zona-integritas",
            f"  Survei ({self.example}): {base_url}{self.example_path}",
            "",
            f"Akun demo (kata sandi untuk semua: {DEMO_PASSWORD}), masuk di {base_url}/masuk:",
            *(f"  {account.role:<8} {account.email:<32} {account.scope}"
              for account in self.accounts),
        ))


def _number(value: int) -> str:
    """Format a count the Indonesian way, with a dot between thousands."""
    return f"{value:,}".replace(",", ".")


def load_demo(session: Session) -> DemoSummary:
    """Create whatever part of the demo data set is missing; flush, never commit."""
    tally: Counter = Counter()
    agencies: dict[tuple[str, ...], Agency] = {}
    unit, point = load_demo_units(session, tally=tally, agencies=agencies)
    accounts = load_demo_accounts(session)
    load_demo_review(session)
    load_demo_inbox(session)
    zone_answers = load_demo_zone(session)
    return DemoSummary(
        agencies=len(agencies), agencies_added=tally["agencies"], units=len(UNITS),
        units_added=tally["units"], points=tally["points_total"], points_added=tally["points"],
        populations_added=tally["populations"], responses_added=tally["added"],
        responses_present=tally["present"], example=f"{unit.name} – {point.name}",
        example_path=f"/s/{point.token}", example_slug=unit.slug, accounts=accounts,
        zone_answers_added=zone_answers)


def load_demo_units(session: Session, slugs=None, tally: Counter | None = None,
                    agencies: dict | None = None) -> tuple[ServiceUnit, ServicePoint]:
    """Create what is missing of the demo units named by slugs (all of them by default):
    their agencies, points, populations and responses; flush, never commit. Return the first
    unit and its first point."""
    _check_regions(session)
    questionnaire_id = default_questionnaire(session).id
    tally = Counter() if tally is None else tally
    agencies = {} if agencies is None else agencies
    example = None
    for spec in UNITS:
        if slugs is not None and spec.slug not in slugs:
            continue
        agency = _agency(session, spec.agency, agencies, tally)
        unit = _unit(session, spec, agency, tally)
        points = _points(session, unit, spec, tally)
        _populations(session, unit, spec, tally)
        _responses(session, unit, spec, [p.id for p in points], questionnaire_id, tally)
        example = example or (unit, points[0])
    session.flush()
    return example


def _check_regions(session: Session) -> None:
    """Raise LookupError unless every region the demo uses is loaded."""
    wanted = {spec.region_code for spec in UNITS}
    found = set(session.scalars(select(Region.code).where(Region.code.in_(wanted))))
    if wanted - found:
        raise LookupError(f"wilayah {', '.join(sorted(wanted - found))} belum ada: "
                          "jalankan `suara regions load`")


def agency_kind(name: str) -> str:
    """Return the kind of an agency from the first word of its name."""
    for prefix, kind in AGENCY_KINDS:
        if name.startswith(prefix):
            return kind
    return "instansi"


def _agency(session: Session, names: tuple[str, ...], known: dict, tally: Counter) -> Agency:
    """Return the agency at the end of a path of names, creating the missing ones."""
    parent = None
    for depth in range(1, len(names) + 1):
        key = names[:depth]
        if key not in known:
            known[key] = _child_agency(session, parent, names[depth - 1], tally)
        parent = known[key]
    return parent


def _child_agency(session: Session, parent: Agency | None, name: str, tally: Counter) -> Agency:
    """Return the agency of that name under parent, creating it with its materialised path."""
    parent_id = parent.id if parent else None
    agency = session.scalars(
        select(Agency).where(Agency.name == name, Agency.parent_id == parent_id)).first()
    if agency is None:
        agency = Agency(name=name, kind=agency_kind(name), parent_id=parent_id)
        session.add(agency)
        session.flush()
        agency.path = f"{parent.path if parent else '/'}{agency.id}/"
        tally["agencies"] += 1
    return agency


def _unit(session: Session, spec: UnitSpec, agency: Agency, tally: Counter) -> ServiceUnit:
    """Return the unit with the spec's slug, creating it if missing."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == spec.slug)).first()
    if unit is None:
        unit = ServiceUnit(slug=spec.slug, name=spec.name, agency_id=agency.id,
                           region_code=spec.region_code)
        session.add(unit)
        session.flush()
        tally["units"] += 1
    return unit


def demo_token(slug: str, point_name: str) -> str:
    """Return the fixed survey token of a demo service point (lower-case base32)."""
    digest = hashlib.sha256(f"demo|{slug}|{point_name}".encode()).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:TOKEN_LENGTH]


def _points(session: Session, unit: ServiceUnit, spec: UnitSpec,
            tally: Counter) -> list[ServicePoint]:
    """Return the unit's demo service points in the spec's order, creating missing ones."""
    existing = {point.name: point for point in session.scalars(
        select(ServicePoint).where(ServicePoint.unit_id == unit.id))}
    points = []
    for name in spec.points:
        if name not in existing:
            existing[name] = ServicePoint(unit_id=unit.id, name=name,
                                          token=demo_token(spec.slug, name))
            session.add(existing[name])
            tally["points"] += 1
        points.append(existing[name])
    session.flush()
    tally["points_total"] += len(points)
    return points


def _populations(session: Session, unit: ServiceUnit, spec: UnitSpec, tally: Counter) -> None:
    """Add the services delivered per semester that are not recorded yet."""
    present = set(session.scalars(
        select(UnitPopulation.period_label).where(UnitPopulation.unit_id == unit.id)))
    rng = np.random.default_rng(_seed(spec.slug, "population"))
    # Drawn for every period, present or not, so that each period always gets the same figure.
    factors = rng.uniform(0.9, 1.1, size=len(PERIODS))
    for (label, _, _), factor in zip(PERIODS, factors):
        if label not in present:
            session.add(UnitPopulation(unit_id=unit.id, period_label=label,
                                       population=int(round(spec.population * factor))))
            tally["populations"] += 1


def _responses(session: Session, unit: ServiceUnit, spec: UnitSpec, point_ids: list[int],
               questionnaire_id: int, tally: Counter) -> None:
    """Insert the unit's demo responses that are not stored yet, in one statement."""
    present = set(session.scalars(
        select(Response.client_uuid).where(Response.unit_id == unit.id)))
    rows = []
    for semester, (label, _, _) in enumerate(PERIODS):
        drawn = draw_period(spec, semester)
        for i in range(len(drawn["answers"])):
            client_uuid = uuid.uuid5(DEMO_NAMESPACE, f"demo|{spec.slug}|{label}|{i}")
            if client_uuid in present:
                tally["present"] += 1
                continue
            rows.append(_row(unit, questionnaire_id, point_ids, drawn, i, client_uuid))
    batches = _paper_batches(session, unit, rows)
    if rows:
        # render_nulls keeps one executemany: otherwise the ORM splits the batch wherever the
        # set of None columns (point, suggestion) changes from one row to the next.
        insert_rows(session, rows)
    for batch in batches:
        entry_batches.close_batch(session, batch)
    tally["added"] += len(rows)


def _paper_batches(session: Session, unit: ServiceUnit, rows: list[dict]) -> list:
    """Open one batch a month for the unit's new paper rows, as its staff would have typed
    them in, and set each row's batch_id (None for the other channels)."""
    months: dict[tuple[int, int], list[dict]] = {}
    for row in rows:
        row["batch_id"] = None
        if row["channel"] == "paper":
            months.setdefault((row["submitted_on"].year, row["submitted_on"].month), []).append(row)
    batches = []
    for (year, month), sheets in sorted(months.items()):
        days = [row["submitted_on"] for row in sheets]
        batch = entry_batches.open_batch(
            session, unit, None, channel="paper", sheet_numbers=f"{year}-{month:02d}/001-"
            f"{len(sheets):03d}", sheets_declared=len(sheets), first_day=min(days),
            last_day=max(days), note="Kuesioner kertas yang diisi di loket (data demo).")
        for row in sheets:
            row["batch_id"] = batch.id
        batches.append(batch)
    return batches


def _row(unit: ServiceUnit, questionnaire_id: int, point_ids: list[int], drawn: dict, i: int,
         client_uuid: uuid.UUID) -> dict:
    """Return the column values of the i-th drawn respondent."""
    channel = drawn["channel"][i]
    return response_values(
        unit, questionnaire_id=questionnaire_id, submitted_at=drawn["submitted_at"][i],
        channel=channel, answers=dict(zip(ELEMENT_CODES, drawn["answers"][i])),
        client_uuid=client_uuid,
        # Paper forms are typed in by staff later, not tied to the counter's QR code.
        point_id=None if channel == "paper" else point_ids[drawn["point"][i]],
        **{field: drawn[field][i] for field in
           ("gender", "age", "education", "occupation", "service_type", "suggestion")})


def _seed(*parts: str) -> int:
    """Return a stable seed from strings (Python's hash() changes between runs)."""
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def element_means(spec: UnitSpec, semester: int) -> np.ndarray:
    """Return the latent mean of each element (U1..U9) of a unit in a semester (0 = first)."""
    offsets = dict(PROFILES[spec.profile].offsets)
    for code, shift in spec.offsets:
        offsets[code] = offsets.get(code, 0.0) + shift
    level = spec.level + spec.trend * semester
    return np.array([level + offsets.get(code, 0.0) for code in ELEMENT_CODES])


def draw_answers(rng: Generator, means: np.ndarray, n: int) -> np.ndarray:
    """Draw n respondents' answers 1..4: shared satisfaction plus element mean and noise, cut."""
    person = rng.normal(0.0, PERSON_SD, size=(n, 1))
    latent = means + person + rng.normal(0.0, ITEM_SD, size=(n, len(means)))
    return np.digitize(latent, CUTS) + 1


def draw_period(spec: UnitSpec, semester: int) -> dict[str, list]:
    """Draw one unit's respondents of one semester: answers, times, points, profile, comments."""
    label, start, end = PERIODS[semester]
    profile = PROFILES[spec.profile]
    rng = np.random.default_rng(_seed(spec.slug, label))
    n = int(np.clip(round(spec.size * rng.uniform(0.85, 1.15)), 60, 200))
    answers = draw_answers(rng, element_means(spec, semester), n)
    # The first counter of a unit (registration) sees most visitors.
    point_weights = _normalised([1.0 / (k + 1) for k in range(len(spec.points))])
    return {
        "answers": answers.tolist(),
        "submitted_at": submission_times(rng, start, end, timezone_for(spec.region_code), n),
        "point": rng.choice(len(spec.points), p=point_weights, size=n).tolist(),
        **draw_profiles(rng, profile, n),
        "suggestion": draw_suggestions(rng, profile, answers),
    }


def _normalised(weights) -> np.ndarray:
    """Return weights scaled to sum to 1, as numpy's choice requires."""
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def _choose(rng: Generator, weighted, n: int) -> list:
    """Draw n values from (value, weight) pairs."""
    values, weights = zip(*weighted)
    return [values[k] for k in rng.choice(len(values), p=_normalised(weights), size=n)]


def submission_times(rng: Generator, start: date, end: date, zone: tzinfo,
                     n: int) -> list[datetime]:
    """Draw n sorted times on weekdays in local office hours, returned as aware UTC datetimes."""
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    picked = rng.choice(days[np.is_busday(days)], size=n)
    seconds = (rng.triangular(*OFFICE_MINUTES, size=n) * 60).astype(int)
    stamps = sorted(zip(picked.tolist(), seconds.tolist()))
    return [(datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(seconds=second))
            .astimezone(timezone.utc) for day, second in stamps]


def draw_profiles(rng: Generator, profile: ServiceProfile, n: int) -> dict[str, list]:
    """Draw n respondent profiles: gender, age 17..75, education, occupation, service, channel."""
    ages = np.clip(np.rint(rng.normal(*profile.age, size=n)), 17, 75).astype(int)
    return {
        "gender": ["P" if female else "L" for female in rng.random(n) < profile.female_share],
        "age": ages.tolist(),
        "education": _choose(rng, EDUCATION_WEIGHTS.items(), n),
        "occupation": _choose(rng, OCCUPATION_WEIGHTS.items(), n),
        "service_type": _choose(rng, profile.services, n),
        "channel": _choose(rng, profile.channels, n),
    }


def draw_suggestions(rng: Generator, profile: ServiceProfile,
                     answers: np.ndarray) -> list[str | None]:
    """Draw optional suggestions: mostly from unhappy respondents, about their weakest element."""
    lowest = answers.min(axis=1)
    writes = rng.random(len(answers)) < np.where(lowest <= 2, SUGGEST_IF_UNHAPPY,
                                                 SUGGEST_IF_CONTENT)
    texts: list[str | None] = []
    for row, low, write in zip(answers, lowest, writes):
        if not write:
            texts.append(None)
        elif low > 2:
            texts.append(PRAISE[rng.integers(len(PRAISE))])
        else:
            code = ELEMENT_CODES[rng.choice(np.flatnonzero(row == low))]
            phrases = profile.suggestions.get(code, ()) + GENERIC_SUGGESTIONS[code]
            texts.append(phrases[rng.integers(len(phrases))])
    return texts
