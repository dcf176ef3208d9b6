"""The data model (DESIGN.md §4): typed SQLAlchemy 2.0 mappings, no behaviour."""

import uuid
from datetime import date, datetime, timezone
from typing import Any, Optional

from sqlalchemy import (JSON, BigInteger, CheckConstraint, Column, Date, DateTime, ForeignKey,
                        Index, Integer, LargeBinary, SmallInteger, String, Table, Text,
                        TypeDecorator, UniqueConstraint, Uuid)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from analysis.elements import ELEMENT_CODES
from analysis.integrity_alerts import ALERT_ASPECTS
from survey.db import Base
from survey.vocab import AGE_MAX, AGE_MIN, CHANNELS, EDUCATIONS, GENDERS, OCCUPATIONS

# The columns of the nine answers, named after their element codes (U1 -> u1).
ANSWER_COLUMNS = tuple(code.lower() for code in ELEMENT_CODES)

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned time-zone aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError(f"naive datetime {value!r}: give a time zone")
            value = value.astimezone(timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(timezone.utc)


def _one_of(column: str, values, nullable: bool = True) -> str:
    """Return the SQL of a CHECK that a column holds one of the given codes."""
    check = f"{column} IN ({', '.join(repr(value) for value in values)})"
    return f"{column} IS NULL OR {check}" if nullable else check


class Region(Base):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[Optional[str]] = mapped_column(ForeignKey("region.code"), index=True)

    __table_args__ = (CheckConstraint("level IN ('provinsi', 'kabupaten_kota')", name="level"),)


class Agency(Base):
    """A ministry, institution, local government or office; `path` is '/1/4/' style."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="instansi")
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), default="/", index=True)

    parent: Mapped[Optional["Agency"]] = relationship(remote_side=[id])

    __table_args__ = (UniqueConstraint("parent_id", "name"),)


class ServiceUnit(Base):
    __tablename__ = "service_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
    region: Mapped["Region"] = relationship()
    points: Mapped[list["ServicePoint"]] = relationship(
        back_populates="unit", order_by="ServicePoint.id")

    __table_args__ = (
        CheckConstraint("status IN ('active', 'closed', 'archived')", name="status"),
    )


class UnitPopulation(Base):
    """Services a unit delivered in a period: the population for sample adequacy."""

    __tablename__ = "unit_population"

    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"), primary_key=True)
    period_label: Mapped[str] = mapped_column(String(40), primary_key=True)
    population: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("population > 0", name="positive"),)


class ServicePoint(Base):
    """A counter or poster of a unit; its token is in the survey link and QR code."""

    __tablename__ = "service_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(32), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[ServiceUnit] = relationship(back_populates="points")

    __table_args__ = (UniqueConstraint("unit_id", "name"),)


class Questionnaire(Base):
    """A versioned questionnaire; unit_id NULL means shared by every unit."""

    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("service_unit.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    items: Mapped[list["Item"]] = relationship(
        back_populates="questionnaire", order_by="Item.position")

    __table_args__ = (CheckConstraint("status IN ('draft', 'published')", name="status"),)


class Item(Base):
    """One question, mapped to an element code: answers are stored by code, not position."""

    __tablename__ = "questionnaire_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"))
    element_code: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(SmallInteger)
    text_id: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    labels_id: Mapped[list[str]] = mapped_column(JSON)
    labels_en: Mapped[list[str]] = mapped_column(JSON)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="items")

    __table_args__ = (
        UniqueConstraint("questionnaire_id", "element_code"),
        UniqueConstraint("questionnaire_id", "position"),
    )


class Period(Base):
    """A named custom date range of a unit (standard labels like 2026-S1 need no row)."""

    __tablename__ = "period"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("service_unit.id"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("unit_id", "label"),
        CheckConstraint("starts_on <= ends_on", name="range"),
    )


class Response(Base):
    """One respondent's answers; u1..u9 are real columns so SQL sums them directly."""

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"))
    point_id: Mapped[Optional[int]] = mapped_column(ForeignKey("service_point.id"))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The submission date in the unit's time zone: what decides a response's period.
    submitted_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10))
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)
    gender: Mapped[Optional[str]] = mapped_column(String(1))
    age: Mapped[Optional[int]] = mapped_column(SmallInteger)
    education: Mapped[Optional[str]] = mapped_column(String(8))
    occupation: Mapped[Optional[str]] = mapped_column(String(12))
    service_type: Mapped[Optional[str]] = mapped_column(String(200))
    extra: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    suggestion: Mapped[Optional[str]] = mapped_column(Text)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    # HMAC-SHA256 of a random device-cookie id with SECRET_KEY, truncated: per-device limits
    # without storing an IP or anything that identifies the person.
    client_key: Mapped[Optional[str]] = mapped_column(String(32))
    # The answers and profile as one string (survey/public/abuse.answer_key), set on the answers
    # the screening judges: the identical-answers count reads it from one index.
    answer_key: Mapped[Optional[str]] = mapped_column(String(40))
    # The enrolled tablet that sent a kiosk answer (KioskDevice); None on every other channel.
    kiosk_id: Mapped[Optional[int]] = mapped_column(ForeignKey("kiosk_device.id"))
    flagged: Mapped[bool] = mapped_column(default=False)
    flag_reason: Mapped[Optional[str]] = mapped_column(String(200))
    # Set when a person flagged the answer by hand (automatic flags leave them empty).
    flagged_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    flagged_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Set only by a person reviewing a flag: excluded responses stay stored.
    excluded: Mapped[bool] = mapped_column(default=False)
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The batch a staff member typed a paper or interview answer in (EntryBatch).
    batch_id: Mapped[Optional[int]] = mapped_column(ForeignKey("entry_batch.id"), index=True)
    # The single-use invitation (code or message) this answer used: at most one answer each.
    invitation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("invitation.id"),
                                                         unique=True)

    __table_args__ = (
        *(CheckConstraint(f"{code.lower()} BETWEEN 1 AND 4", name=f"{code.lower()}_range")
          for code in ELEMENT_CODES),
        CheckConstraint(_one_of("channel", CHANNELS, nullable=False), name="channel"),
        CheckConstraint(_one_of("gender", GENDERS), name="gender"),
        CheckConstraint(_one_of("education", EDUCATIONS), name="education"),
        CheckConstraint(_one_of("occupation", OCCUPATIONS), name="occupation"),
        CheckConstraint(f"age IS NULL OR age BETWEEN {AGE_MIN} AND {AGE_MAX}", name="age"),
        Index("ix_response_unit_day", "unit_id", "submitted_on"),
        # Recent responses of a service point: bursts and per-point limits.
        Index("ix_response_point_created", "point_id", "created_at"),
        # One device's and one set of answers' recent responses at a point, read without the
        # point's other answers (survey/public/abuse.py).
        Index("ix_response_point_device", "point_id", "client_key", "created_at"),
        Index("ix_response_point_answers", "point_id", "answer_key", "created_at"),
        # The few flagged and excluded answers of a scope, without reading the others
        # (survey/integrity.py); queries write `flagged = true`, the predicates' own form.
        Index("ix_response_flagged", "unit_id", "submitted_on",
              sqlite_where=sql_text("flagged = 1"), postgresql_where=sql_text("flagged")),
        Index("ix_response_excluded", "unit_id", "submitted_on",
              sqlite_where=sql_text("excluded = 1"), postgresql_where=sql_text("excluded")),
    )


ROLES = ("admin", "ministry", "region", "agency", "unit")


class User(Base):
    """A staff account. Its role is bound to a scope: an agency subtree, a region or a unit."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(10))
    agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"), index=True)
    region_code: Mapped[Optional[str]] = mapped_column(ForeignKey("region.code"))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("service_unit.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on every password change: sessions carry it and die with the old password.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    api_token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Optional[Agency]] = relationship()
    unit: Mapped[Optional[ServiceUnit]] = relationship()

    __table_args__ = (
        CheckConstraint(_one_of("role", ROLES, nullable=False), name="role"),
        # Each role names exactly the scope it needs (admin: none).
        CheckConstraint(
            "(role = 'admin' AND agency_id IS NULL AND region_code IS NULL AND unit_id IS NULL)"
            " OR (role IN ('ministry', 'agency') AND agency_id IS NOT NULL"
            " AND region_code IS NULL AND unit_id IS NULL)"
            " OR (role = 'region' AND region_code IS NOT NULL AND agency_id IS NULL"
            " AND unit_id IS NULL)"
            " OR (role = 'unit' AND unit_id IS NOT NULL AND agency_id IS NULL"
            " AND region_code IS NULL)", name="scope"),
    )


class AuditEvent(Base):
    """Who did what, when and from where: logins, administrative changes, exports, downloads."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"), index=True)
    email: Mapped[Optional[str]] = mapped_column(String(254))  # as typed, for failed logins
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[Optional[str]] = mapped_column(String(200))
    # The scope the event concerns, so that a scope's owners can read their part of the log.
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("service_unit.id"), index=True)
    detail: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    ip: Mapped[Optional[str]] = mapped_column(String(45))

    user: Mapped[Optional[User]] = relationship()


def _rollup_columns() -> list[Column]:
    """Return the sufficient-statistic columns of a rollup (see survey/rollups.py)."""
    counts = [Column(f"c{element}_{value}", Integer, nullable=False, default=0)
              for element in range(1, 10) for value in range(1, 5)]
    return [Column("n", Integer, nullable=False, default=0),
            *(Column(f"s{element}", Integer, nullable=False, default=0)
              for element in range(1, 10)),
            *counts,
            Column("t", BigInteger, nullable=False, default=0),
            Column("t2", BigInteger, nullable=False, default=0)]


# Months a rollup row covers: a calendar month, a semester (January–June, July–December).
ROLLUP_SPANS = (1, 6)


class Rollup(Base):
    """Sufficient statistics of a unit's counted responses in one local month (months = 1) and
    in one semester (months = 6): a semester or a year reads one or two rows a unit.

    n; s1..s9 the sums of the answers per element; c<e>_<v> the number of answers v to element
    e; t and t2 the sums of each respondent's total (u1 + … + u9) and of its square. Kept exact
    in the same transaction as every insert, exclusion and restoration (survey/rollups.py).
    """

    __table__ = Table(
        "rollup", Base.metadata,
        Column("unit_id", ForeignKey("service_unit.id"), primary_key=True),
        Column("months", SmallInteger, primary_key=True, autoincrement=False),
        Column("starts_on", Date, primary_key=True),  # the first day of the month or semester
        *_rollup_columns(),
        Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
        CheckConstraint(_one_of("months", ROLLUP_SPANS, nullable=False), name="months"),
        # Covers a ranking's read (survey/queries.py INDEX_STATISTICS): the three sums it needs
        # sit at the end of a row of 48, so the index alone answers it.
        Index("ix_rollup_totals", "months", "starts_on", "unit_id", "n", "t", "t2"),
        Index("ix_rollup_updated_at", "updated_at"),
    )


# --- Inbox of suggestions and complaints, follow-up plans (survey/inbox/) --------------------

CASE_STATUSES = ("new", "read", "answered", "closed")
DELIVERIES = ("sent", "manual", "manual_sent")
FOLLOW_UP_STATUSES = ("planned", "in_progress", "done", "cancelled")
ElementCode = String(8)


class ResponseContact(Base):
    """A citizen's optional contact for a complaint's follow-up (UU PDP 27/2022).

    Kept apart from the answers, shown only to the unit, never exported, and deleted when the
    case closes or its retention time runs out (`suara inbox purge`).
    """

    __tablename__ = "response_contact"

    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("response.id"), primary_key=True)
    contact: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Case(Base):
    """What a unit did with a suggestion: a response with text has status "new" until a row exists."""

    __tablename__ = "inbox_case"

    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("response.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default="new")
    # Shown on the unit's public results page with public_suggestion: the citizen's text as a
    # staff member approved it (redacted when saved); the raw text never leaves the inbox.
    public_answer: Mapped[Optional[str]] = mapped_column(Text)
    public_suggestion: Mapped[Optional[str]] = mapped_column(Text)
    public_answer_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (
        CheckConstraint(_one_of("status", CASE_STATUSES, nullable=False), name="status"),
    )


class CaseTag(Base):
    """A topic of a suggestion, by element code, confirmed by a person."""

    __tablename__ = "inbox_case_tag"

    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("response.id"), primary_key=True)
    element_code: Mapped[str] = mapped_column(ElementCode, primary_key=True)
    confirmed_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(_one_of("element_code", ELEMENT_CODES, nullable=False), name="element"),
        Index("ix_inbox_case_tag_element_code", "element_code"),
    )


class CaseReply(Base):
    """The unit's answer to a citizen who left a contact: e-mailed, or to be sent by hand."""

    __tablename__ = "inbox_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("response.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    delivery: Mapped[str] = mapped_column(String(12))
    # Why an e-mail was not sent (no SMTP server, not an address, the server refused).
    note: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(_one_of("delivery", DELIVERIES, nullable=False), name="delivery"),
    )


class TagRule(Base):
    """An Indonesian keyword that suggests an element's tag (analysis/tagging.py)."""

    __tablename__ = "tag_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    element_code: Mapped[str] = mapped_column(ElementCode)
    keyword: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("element_code", "keyword"),
        CheckConstraint(_one_of("element_code", ELEMENT_CODES, nullable=False), name="element"),
    )


class FollowUp(Base):
    """One action of a unit's follow-up plan (rencana tindak lanjut) for a period's result."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"))
    period_label: Mapped[str] = mapped_column(String(40))
    element_code: Mapped[str] = mapped_column(ElementCode)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="planned")
    evidence: Mapped[Optional[str]] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(_one_of("element_code", ELEMENT_CODES, nullable=False), name="element"),
        CheckConstraint(_one_of("status", FOLLOW_UP_STATUSES, nullable=False), name="status"),
        Index("ix_follow_up_unit_period", "unit_id", "period_label"),
        # Overdue actions of a scope: open ones by due date.
        Index("ix_follow_up_status_due", "status", "due"),
    )


# --- Staff-entered answers: batches, scans, their rollup (survey/entry_batches.py) ----------

# Channels whose answers a staff member types in; the others are sent by the citizen.
STAFF_CHANNELS = ("paper", "interview")


class EntryBatch(Base):
    """A stack of paper or interview sheets a staff member types in, as declared on opening."""

    __tablename__ = "entry_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    channel: Mapped[str] = mapped_column(String(10))
    sheet_numbers: Mapped[str] = mapped_column(String(200))  # as written on the sheets: 001-040
    sheets_declared: Mapped[int] = mapped_column(Integer)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    user: Mapped[Optional[User]] = relationship()

    __table_args__ = (
        CheckConstraint(_one_of("channel", STAFF_CHANNELS, nullable=False), name="channel"),
        CheckConstraint("first_day <= last_day", name="days"),
        CheckConstraint("sheets_declared >= 1", name="sheets"),
    )


class BatchScan(Base):
    """A scan of a batch's sheets kept as evidence, stored under the instance folder."""

    __tablename__ = "entry_batch_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("entry_batch.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)  # random, never the upload's
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RollupStaff(Base):
    """The rollup of staff-entered answers only (channels in STAFF_CHANNELS), same columns as
    Rollup and kept by the same upsert; citizen-sent figures are Rollup minus RollupStaff."""

    __table__ = Table(
        "rollup_staff", Base.metadata,
        Column("unit_id", ForeignKey("service_unit.id"), primary_key=True),
        Column("months", SmallInteger, primary_key=True, autoincrement=False),
        Column("starts_on", Date, primary_key=True),
        *_rollup_columns(),
        Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
        CheckConstraint(_one_of("months", ROLLUP_SPANS, nullable=False), name="months"),
        Index("ix_rollup_staff_totals", "months", "starts_on", "unit_id", "n"),
    )


# Exclusion of flagged answers: a proposal by one person, a decision by a level above the unit.

EXCLUSION_ACTIONS = ("exclude", "restore")
EXCLUSION_REASONS = ("duplicate", "test_entry", "out_of_service", "scripted")
EXCLUSION_DECISIONS = ("approved", "refused")
EXCLUSION_TEXT_MAX = 500


class ExclusionProposal(Base):
    """A proposal to exclude a flagged answer from the index (or to restore it), and its
    decision. Nothing changes until an account above the unit, not the proposer, approves."""

    __tablename__ = "exclusion_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("response.id"))
    action: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(EXCLUSION_TEXT_MAX))
    proposed_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    decision: Mapped[Optional[str]] = mapped_column(String(8))
    decision_note: Mapped[Optional[str]] = mapped_column(String(EXCLUSION_TEXT_MAX))

    proposer: Mapped[User] = relationship(foreign_keys=[proposed_by])
    decider: Mapped[Optional[User]] = relationship(foreign_keys=[decided_by])

    __table_args__ = (
        CheckConstraint(_one_of("action", EXCLUSION_ACTIONS, nullable=False), name="action"),
        CheckConstraint(_one_of("reason", EXCLUSION_REASONS, nullable=False), name="reason"),
        CheckConstraint(_one_of("decision", EXCLUSION_DECISIONS), name="decision"),
        # A decision is whole (who, when, what) or absent; and never the proposer's own.
        CheckConstraint("(decision IS NULL AND decided_by IS NULL AND decided_at IS NULL)"
                        " OR (decision IS NOT NULL AND decided_by IS NOT NULL"
                        " AND decided_at IS NOT NULL AND decided_by <> proposed_by)",
                        name="decided"),
        Index("ix_exclusion_proposal_response_id", "response_id"),
        # At most one open proposal per answer.
        Index("uq_exclusion_proposal_open", "response_id", unique=True,
              sqlite_where=sql_text("decision IS NULL"),
              postgresql_where=sql_text("decision IS NULL")),
    )


# --- Enrolled kiosks and rate windows (survey/kiosks/, survey/public/abuse.py) ---


class KioskDevice(Base):
    """A tablet enrolled at a service point; it holds a random key, the server its keyed hash.

    Made pending by staff with a one-time enrolment code (its keyed hash and expiry); the
    tablet's enrolment then sets key_hash and clears the code. Revoked, never deleted: answers
    refer to it.
    """

    __tablename__ = "kiosk_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("service_point.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    key_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    code_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    enrolled_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    enrolled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RateWindow(Base):
    """Submissions of one keyed hash (address, browser, point) in one window; deleted once the
    window ends. The hash's salt changes with the window, so no key outlives its window."""

    __tablename__ = "rate_window"

    key_hash: Mapped[str] = mapped_column(String(32), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # Unix seconds
    count: Mapped[int] = mapped_column(Integer)


# --- The unit report's signatory, foreword and logo -------------------------------------------

class UnitReportProfile(Base):
    """What a unit's report prints besides its figures: who signs the lembar pengesahan (name,
    18-digit NIP, position, place, date), the kata pengantar (None: the default text) and the logo
    (PNG or JPEG, re-encoded and bounded when saved)."""

    __tablename__ = "unit_report_profile"

    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"), primary_key=True)
    head_name: Mapped[Optional[str]] = mapped_column(String(200))
    head_nip: Mapped[Optional[str]] = mapped_column(String(18))
    head_position: Mapped[Optional[str]] = mapped_column(String(200))
    place: Mapped[Optional[str]] = mapped_column(String(100))
    signed_on: Mapped[Optional[date]] = mapped_column(Date)  # None: the day the report is made
    foreword: Mapped[Optional[str]] = mapped_column(Text)
    logo: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    logo_type: Mapped[Optional[str]] = mapped_column(String(4))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("logo_type IN ('png', 'jpeg')", name="logo_type"),
        CheckConstraint("length(head_nip) = 18", name="nip_length"),
    )



# --- Invitations: single-use codes and personal links (survey/invitations/) ------------------

# Where an invitation came from: a printed sheet of slips or ticket strips, a queue machine or
# counter application through the point's API key, a message (e-mail, SMS, WhatsApp).
INVITATION_SOURCES = ("sheet", "api", "message")


class Invitation(Base):
    """One invitation to answer once at a service point: a short code (on a slip, a ticket, or
    in a personal link). Issued, maybe opened, answered at most once (response.invitation_id is
    unique, and answering is a conditional update of answered_at), or expired unanswered."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("service_point.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    source: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_on: Mapped[date] = mapped_column(Date)  # in the unit's time zone: its period
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    answered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    issued_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (
        CheckConstraint(_one_of("source", INVITATION_SOURCES, nullable=False), name="source"),
        # Rates per unit and period, and the invitations of a point, without a scan.
        Index("ix_invitation_unit_issued", "unit_id", "issued_on"),
        Index("ix_invitation_point_issued", "point_id", "issued_at"),
    )


class RollupInvited(Base):
    """The rollup of invited answers only (response.invitation_id set), same columns as Rollup
    and kept by the same upsert: the index of invited answers beside the index of all."""

    __table__ = Table(
        "rollup_invited", Base.metadata,
        Column("unit_id", ForeignKey("service_unit.id"), primary_key=True),
        Column("months", SmallInteger, primary_key=True, autoincrement=False),
        Column("starts_on", Date, primary_key=True),
        *_rollup_columns(),
        Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
        CheckConstraint(_one_of("months", ROLLUP_SPANS, nullable=False), name="months"),
        Index("ix_rollup_invited_totals", "months", "starts_on", "unit_id", "n"),
    )


# --- Invitations by message and answers by SMS (survey/invitations/messages.py) -------------

MESSAGE_CHANNELS = ("email", "sms", "whatsapp")
# pending: not sent yet; sent: invitation sent; reminded: reminder sent too; answered, expired,
# opted_out: nothing more to send; failed: the gateway refused (staff may send by hand).
MESSAGE_STATUSES = ("pending", "sent", "reminded", "answered", "expired", "opted_out", "failed")


class InvitationMessage(Base):
    """One served transaction's invitation by message: its channel, and its contact only while
    something is still to be sent (UU PDP 27/2022): set NULL once the invitation and at most one
    reminder are sent, or it is answered, expired or opted out."""

    __tablename__ = "invitation_message"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(10))
    contact: Mapped[Optional[str]] = mapped_column(String(254))
    served_at: Mapped[datetime] = mapped_column(UTCDateTime)
    service_type: Mapped[Optional[str]] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    provider_id: Mapped[Optional[str]] = mapped_column(String(64))
    note: Mapped[Optional[str]] = mapped_column(String(200))
    # Sendings that failed for a passing reason (survey/invitations/messages.py tries again),
    # and the time before which the next one waits.
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=sql_text("0"))
    retry_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(_one_of("channel", MESSAGE_CHANNELS, nullable=False), name="channel"),
        CheckConstraint(_one_of("status", MESSAGE_STATUSES, nullable=False), name="status"),
        # What the sender reads on each run: the few messages still to send or to remind.
        Index("ix_invitation_message_status", "status", "served_at"),
    )


class MessageOptOut(Base):
    """A contact that asked for no more messages, kept only as its keyed hash (HMAC-SHA256
    with SECRET_KEY): enough to recognise it, useless to message it."""

    __tablename__ = "message_opt_out"

    contact_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MessageLog(Base):
    """A message the development gateway wrote instead of sending (demos and tests only)."""

    __tablename__ = "message_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(254))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- API keys of service points for invitations (survey/invitations/api_keys.py) -------------

class InvitationApiKey(Base):
    """A key with which a queue machine or counter application of a service point asks for
    invitations; the server keeps only its keyed hash. Revoked, never deleted: the audit log
    refers to it."""

    __tablename__ = "invitation_api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("service_point.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


# --- Exchange of figures between SUARA servers (survey/exchange/) ----------------------------

class ExchangeSource(Base):
    """Another SUARA server whose signed packages of figures this one accepts: its name and
    Ed25519 public key, registered by an admin. Removed sources are kept (revoked_at set):
    their units keep the figures already received and accept no more."""

    __tablename__ = "exchange_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)  # base64 of 32 bytes
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    server_id: Mapped[Optional[str]] = mapped_column(String(80))  # as its first package says
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_package_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class ExchangeUnit(Base):
    """A unit of another server, kept here as a local unit that only its source's packages
    may change: it has figures (rollup rows) and no raw answers."""

    __tablename__ = "exchange_unit"

    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("exchange_source.id"))
    remote_id: Mapped[int] = mapped_column(BigId)

    source: Mapped[ExchangeSource] = relationship()

    __table_args__ = (UniqueConstraint("source_id", "remote_id"),)


class ExchangeMonth(Base):
    """The package whose figures a received unit's month holds: an older one never replaces
    them, the same one again changes nothing."""

    __tablename__ = "exchange_month"

    unit_id: Mapped[int] = mapped_column(ForeignKey("exchange_unit.unit_id"), primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date, primary_key=True)
    package_sequence: Mapped[int] = mapped_column(BigInteger)


# --- Saved column mappings of answer-history imports (survey/history_import/) -----------------

HISTORY_SOURCES = ("google", "kobo", "official")


class ImportMapping(Base):
    """How a unit's file of one source and header maps onto SUARA's columns, as a person
    confirmed it: the next file with the same header is read the same way without asking."""

    __tablename__ = "import_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"))
    source_kind: Mapped[str] = mapped_column(String(10))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the normalised header
    mapping: Mapped[list[Any]] = mapped_column(JSON)  # [[header, field or ""], ...] in order
    saved_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("unit_id", "source_kind", "fingerprint"),
        CheckConstraint(_one_of("source_kind", HISTORY_SOURCES, nullable=False),
                        name="source_kind"),
    )


# --- Zona Integritas surveys SPKP and SPAK asked after the SKM (survey/instrument_store.py) ---

# The instruments a point may ask (analysis/instruments.py defines their items) and their scales.
INSTRUMENT_CODES = ("spkp", "spak")
INSTRUMENT_SCALES = (4, 6)
INSTRUMENT_ITEMS_MAX = 8  # SPKP has eight items, SPAK five (a1..a5, the rest NULL)
INSTRUMENT_COLUMNS = tuple(f"a{item}" for item in range(1, INSTRUMENT_ITEMS_MAX + 1))


class PointInstrument(Base):
    """An instrument a service point asks after the SKM's nine questions, on its scale."""

    __tablename__ = "point_instrument"

    point_id: Mapped[int] = mapped_column(ForeignKey("service_point.id"), primary_key=True)
    instrument: Mapped[str] = mapped_column(String(8), primary_key=True)
    scale_max: Mapped[int] = mapped_column(SmallInteger)

    __table_args__ = (
        CheckConstraint(_one_of("instrument", INSTRUMENT_CODES, nullable=False),
                        name="instrument"),
        CheckConstraint(_one_of("scale_max", INSTRUMENT_SCALES, nullable=False),
                        name="scale_max"),
    )


class InstrumentAnswer(Base):
    """One respondent's answers to one instrument, all items or none (no row: skipped);
    counted with its response, excluded and restored with it."""

    __table__ = Table(
        "instrument_answer", Base.metadata,
        Column("id", BigId, primary_key=True),
        Column("response_id", BigId, ForeignKey("response.id"), nullable=False),
        Column("instrument", String(8), nullable=False),
        Column("scale_max", SmallInteger, nullable=False),
        *(Column(name, SmallInteger) for name in INSTRUMENT_COLUMNS),
        UniqueConstraint("response_id", "instrument"),
        CheckConstraint(_one_of("instrument", INSTRUMENT_CODES, nullable=False),
                        name="instrument"),
        CheckConstraint(_one_of("scale_max", INSTRUMENT_SCALES, nullable=False),
                        name="scale_max"),
        *(CheckConstraint(f"{name} IS NULL OR ({name} >= 1 AND {name} <= scale_max)",
                          name=f"{name}_range") for name in INSTRUMENT_COLUMNS),
    )


class RollupInstrument(Base):
    """Sufficient statistics of a unit's counted instrument answers in one local month or
    semester, per instrument and scale: n answers, s1..s8 the sums per item, t and t2 the sums
    of each respondent's total and of its square. Kept exact in the transaction of every
    insert, exclusion and restoration (survey/instrument_store.py)."""

    __table__ = Table(
        "rollup_instrument", Base.metadata,
        Column("unit_id", ForeignKey("service_unit.id"), primary_key=True),
        Column("months", SmallInteger, primary_key=True, autoincrement=False),
        Column("starts_on", Date, primary_key=True),
        Column("instrument", String(8), primary_key=True),
        # In the key: answers on 1..4 and on 1..6 are never summed together.
        Column("scale_max", SmallInteger, primary_key=True, autoincrement=False),
        Column("n", Integer, nullable=False, default=0),
        *(Column(f"s{item}", Integer, nullable=False, default=0)
          for item in range(1, INSTRUMENT_ITEMS_MAX + 1)),
        Column("t", BigInteger, nullable=False, default=0),
        Column("t2", BigInteger, nullable=False, default=0),
        Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
        CheckConstraint(_one_of("months", ROLLUP_SPANS, nullable=False), name="months"),
    )


# --- Integrity alerts: SPAK answers on gratification, illegal levies, brokers (survey/integrity_alerts/)

ALERT_STATUSES = ("open", "noted", "handled")


class IntegrityAlert(Base):
    """A SPAK answer in the lower half of its scale on imbalan, pungli or calo, raised in the
    transaction that stores it, for the levels above the unit to see and handle. It holds the
    answer, never anything of the person; an excluded response's alert stays, shown as such."""

    __tablename__ = "integrity_alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"))
    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("response.id"))
    aspect: Mapped[str] = mapped_column(String(8))
    answer: Mapped[int] = mapped_column(SmallInteger)
    scale_max: Mapped[int] = mapped_column(SmallInteger)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The answer's day in the unit's time zone (its response's submitted_on): its period.
    submitted_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")
    handled_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    handled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    note: Mapped[Optional[str]] = mapped_column(Text)

    unit: Mapped[ServiceUnit] = relationship()

    __table_args__ = (
        UniqueConstraint("response_id", "aspect"),
        CheckConstraint(_one_of("aspect", ALERT_ASPECTS, nullable=False), name="aspect"),
        CheckConstraint(_one_of("status", ALERT_STATUSES, nullable=False), name="status"),
        CheckConstraint("answer >= 1 AND answer <= scale_max", name="answer_range"),
        Index("ix_integrity_alert_unit_day", "unit_id", "submitted_on"),
        # The open alerts of a scope (the badge), without reading the handled ones.
        Index("ix_integrity_alert_open", "unit_id",
              sqlite_where=sql_text("status = 'open'"),
              postgresql_where=sql_text("status = 'open'")),
    )


# --- Zona Integritas status of a unit (survey/zones.py) ---------------------------------------

ZONE_KINDS = ("wbk", "wbbm")  # building towards Wilayah Bebas dari Korupsi, or WBBM


class UnitZone(Base):
    """A unit building a Zona Integritas (PermenPANRB 90/2021) towards WBK or WBBM: the kind
    picks the IPKP and IPAK targets its reports are read against. No row: no ZI status."""

    __tablename__ = "unit_zone"

    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(4))
    since: Mapped[date] = mapped_column(Date)
    set_by: Mapped[Optional[int]] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(_one_of("kind", ZONE_KINDS, nullable=False), name="kind"),
    )


# --- Idempotency keys of the invitation API (survey/invitations/idempotency.py) ---------------

class ApiIdempotency(Base):
    """The answer of a call to the invitation API that carried an Idempotency-Key, kept 24
    hours for the key of the same API key that repeats it: stored in the transaction of the
    call's effect, so that a repeat answers it again and makes nothing."""

    __tablename__ = "api_idempotency"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("invitation_api_key.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    # SHA-256 (hex) of the call's path and body: a repeat must send the same.
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(SmallInteger)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (
        UniqueConstraint("api_key_id", "idempotency_key"),
        CheckConstraint("status >= 200 AND status < 300", name="status_success"),
    )
