"""The SELECTs of the inbox: a unit's suggestions with their status, tags and answers."""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from analysis.redaction import redact
from analysis.tagging import Rule, suggest
from survey.admin.listings import Page, paginate
from survey.i18n import LOCALES
from survey.models import (ANSWER_COLUMNS, CASE_STATUSES, Case, CaseReply, CaseTag, Response,
                           ResponseContact, ServicePoint, ServiceUnit)
from survey.periods import Period
from survey.vocab import EDUCATIONS, GENDERS, OCCUPATIONS

STATUS = func.coalesce(Case.status, "new")  # a suggestion nobody has touched yet is new


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    tag: str | None = None  # an element code among the confirmed tags
    search: str = ""
    period: Period | None = None


@dataclass(frozen=True)
class CaseRow:
    id: int
    submitted_at: datetime
    text: str
    answers: tuple[int, ...]
    status: str
    has_contact: bool
    tags: tuple[str, ...] = ()  # confirmed by a person
    suggested: tuple[str, ...] = ()  # by the keyword rules, not yet confirmed

    @property
    def low(self) -> tuple[str, ...]:
        """Return the element codes answered 1 or 2 (the respondent's complaints)."""
        return tuple(f"U{i}" for i, answer in enumerate(self.answers, start=1) if answer <= 2)


def _cases(unit_id: int, filters: Filters) -> Select:
    contact = exists().where(ResponseContact.response_id == Response.id)
    query = (select(Response.id, Response.submitted_at, Response.suggestion,
                    *(getattr(Response, c) for c in ANSWER_COLUMNS), STATUS, contact)
             .outerjoin(Case, Case.response_id == Response.id)
             .where(Response.unit_id == unit_id, Response.suggestion.is_not(None),
                    Response.excluded.is_(False))
             .order_by(Response.submitted_at.desc(), Response.id.desc()))
    if filters.status in CASE_STATUSES:
        query = query.where(STATUS == filters.status)
    if filters.tag:
        query = query.where(exists().where(CaseTag.response_id == Response.id,
                                           CaseTag.element_code == filters.tag))
    if filters.search:
        query = query.where(Response.suggestion.icontains(filters.search, autoescape=True))
    if filters.period:
        query = query.where(Response.submitted_on.between(filters.period.starts_on,
                                                          filters.period.ends_on))
    return query


def _row(id_, at, text, *rest) -> CaseRow:
    return CaseRow(id_, at, text, tuple(rest[:9]), rest[9], bool(rest[10]))


def confirmed_tags(session: Session, response_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Return the confirmed tags of some responses, by response id."""
    tags: dict[int, list[str]] = {}
    for response_id, code in session.execute(
            select(CaseTag.response_id, CaseTag.element_code)
            .where(CaseTag.response_id.in_(response_ids)).order_by(CaseTag.element_code)):
        tags.setdefault(response_id, []).append(code)
    return {key: tuple(codes) for key, codes in tags.items()}


def _tagged(row: CaseRow, tags: tuple[str, ...], rules: list[Rule], full_text: bool) -> CaseRow:
    suggested = tuple(found.code for found in suggest(rules, row.text))
    return replace(row, text=row.text if full_text else redact(row.text), tags=tags,
                   suggested=tuple(code for code in suggested if code not in tags))


def cases(session: Session, unit: ServiceUnit, filters: Filters, number: int,
          rules: list[Rule], full_text: bool) -> Page:
    """Return a page of a unit's suggestions, newest first, with confirmed and suggested tags.

    Without `full_text` (the levels above the unit), phone numbers and addresses in the text
    are hidden.
    """
    page = paginate(session, _cases(unit.id, filters), number, _row)
    tags = confirmed_tags(session, [row.id for row in page.rows])
    return replace(page, rows=[_tagged(row, tags.get(row.id, ()), rules, full_text)
                               for row in page.rows])


def status_counts(session: Session, unit_id: int) -> dict[str, int]:
    """Return how many of a unit's suggestions have each status."""
    counts = dict(session.execute(_cases(unit_id, Filters()).with_only_columns(STATUS, func.count())
                                  .order_by(None).group_by(STATUS)).all())
    return {status: counts.get(status, 0) for status in CASE_STATUSES}


@dataclass(frozen=True)
class ReplyRow:
    id: int
    body: str
    delivery: str
    note: str | None
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class CaseDetail:
    case: CaseRow
    profile: tuple[tuple[str, str], ...]  # (string key of the field, value in words)
    contact_visible: bool  # the viewer is the unit's own staff
    contact: str | None  # only for the unit's own staff, while it is kept
    public_answer: str | None
    # The citizen's text to show with the public answer: as approved, else redacted to approve.
    public_suggestion: str
    replies: tuple[ReplyRow, ...]


def _profile(session: Session, response: Response, locale: str) -> tuple[tuple[str, str], ...]:
    """Return who answered, as far as they said: channel, point, service and profile."""
    index = LOCALES.index(locale)
    point = session.get(ServicePoint, response.point_id) if response.point_id else None
    coded = ((GENDERS, "gender"), (EDUCATIONS, "education"), (OCCUPATIONS, "occupation"))
    fields = [("inbox.profile.channel", response.channel),
              ("inbox.profile.point", point.name if point else None),
              ("inbox.profile.service", response.service_type),
              ("field.age", str(response.age) if response.age else None),
              *((f"field.{name}", vocabulary[getattr(response, name)][index])
                for vocabulary, name in coded if getattr(response, name) in vocabulary)]
    return tuple((key, value) for key, value in fields if value)


def case_detail(session: Session, unit: ServiceUnit, response_id: int, rules: list[Rule],
                with_contact: bool, locale: str) -> CaseDetail | None:
    """Return one suggestion of a unit with its respondent, tags, replies and (maybe) contact.

    Only the unit's own staff (`with_contact`) read the contact and the text unredacted.
    """
    row = session.execute(_cases(unit.id, Filters()).where(Response.id == response_id)).first()
    if row is None:
        return None
    case = _tagged(_row(*row), confirmed_tags(session, [response_id]).get(response_id, ()),
                   rules, with_contact)
    stored = session.get(Case, response_id)
    replies = session.execute(
        select(CaseReply.id, CaseReply.body, CaseReply.delivery, CaseReply.note,
               CaseReply.created_at, CaseReply.sent_at)
        .where(CaseReply.response_id == response_id).order_by(CaseReply.id))
    contact = session.get(ResponseContact, response_id) if with_contact else None
    return CaseDetail(case, _profile(session, session.get(Response, response_id), locale),
                      with_contact, contact.contact if contact else None,
                      stored.public_answer if stored else None,
                      _public_suggestion(stored, case.text),
                      tuple(ReplyRow(*reply) for reply in replies))


def _public_suggestion(stored: Case | None, text: str) -> str:
    """Return the citizen's text as approved for the public page, or redacted to approve."""
    if stored is not None and stored.public_answer and stored.public_suggestion is not None:
        return stored.public_suggestion
    return redact(text)
