"""The basis of a published figure (DESIGN.md §7a): how many answers a unit or a scope stored
in a period, how many count and through which channel, how many are flagged or excluded and
why, how many proposals wait, the staff-entered share, and the enrolled kiosks that answered.

A unit is read from its responses over the index ix_response_unit_day (two statements). A
scope never scans its responses: counted and staff-entered answers come from the rollups, and
flagged and excluded ones from the few rows the partial indexes ix_response_flagged and
ix_response_excluded hold.
"""

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, literal, select, union_all
from sqlalchemy.orm import Session

from survey import queries
from survey.models import EXCLUSION_REASONS, STAFF_CHANNELS, ExclusionProposal, Response, ServiceUnit
from survey.periods import Period
from survey.scopes import Scope
from survey.vocab import CHANNELS

TOP_UNITS = 10  # units a scope page lists by excluded and by staff-entered share


@dataclass(frozen=True)
class Integrity:
    """The basis of a unit's or a scope's figure in a period."""

    counted: int  # answers in the index
    staff: int  # of them, typed in by staff (paper, interview)
    excluded: int  # answers stored but left out of the index
    excluded_by_reason: tuple[tuple[str | None, int], ...]  # reasons with answers; None last
    flagged: int  # flagged answers still counted
    flagged_waiting: int  # of them, not yet kept, nor decided on a proposal
    open_proposals: int  # proposals to exclude or restore an answer of the period
    channels: tuple[tuple[str, int], ...] | None  # counted by channel; None for a scope
    kiosk_answers: int | None  # counted answers sent by enrolled kiosks; None for a scope
    kiosks: int | None  # the enrolled kiosks that sent them

    @property
    def stored(self) -> int:
        """Return the answers stored in the period, counted or not."""
        return self.counted + self.excluded

    @property
    def staff_share(self) -> float | None:
        """Return the staff-entered share of the counted answers (None without any)."""
        return self.staff / self.counted if self.counted else None

    @property
    def excluded_share(self) -> float | None:
        """Return the excluded share of the stored answers (None without any)."""
        return self.excluded / self.stored if self.stored else None


@dataclass(frozen=True)
class UnitShare:
    slug: str
    name: str
    respondents: int  # counted answers
    part: int  # excluded (of respondents + part) or staff-entered (of respondents) answers
    share: float


def _in_period(period: Period) -> tuple:
    return (Response.submitted_on.between(period.starts_on, period.ends_on),)


def _units(scope: Scope) -> tuple:
    """Return the WHERE clauses of responses of a scope's units (none for the nation)."""
    if scope.kind == "national":
        return ()
    return (Response.unit_id.in_(select(ServiceUnit.id).where(queries.scope_filter(scope))),)


def _decisions(session: Session, where: tuple) -> dict[tuple[str, str | None], int]:
    """Return the excluded answers by reason, the flagged counted ones, those waiting and the
    open proposals of responses matching `where`, in one statement: {(kind, reason): n}.

    `flagged = true` and `excluded = true`, not IS: the partial indexes' own predicates.
    """
    reason = (select(ExclusionProposal.reason)
              .where(ExclusionProposal.response_id == Response.id,
                     ExclusionProposal.action == "exclude",
                     ExclusionProposal.decision == "approved")
              .order_by(ExclusionProposal.id.desc()).limit(1).scalar_subquery())
    excluded = (select(literal("excluded"), reason.label("reason"), func.count())
                .where(*where, Response.excluded == True).group_by(reason))  # noqa: E712
    flagged = (select(literal("flagged"), literal(None), func.count())
               .where(*where, Response.flagged == True,  # noqa: E712
                      Response.excluded == False))  # noqa: E712
    waiting = flagged.with_only_columns(literal("waiting"), literal(None), func.count()).where(
        Response.reviewed_at.is_(None))
    proposals = (select(literal("proposals"), literal(None), func.count())
                 .select_from(ExclusionProposal)
                 .join(Response, Response.id == ExclusionProposal.response_id)
                 .where(*where, ExclusionProposal.decision.is_(None)))
    rows = session.execute(union_all(excluded, flagged, waiting, proposals))
    return {(kind, reason): int(n) for kind, reason, n in rows}


def _by_reason(found: dict) -> tuple[tuple[str | None, int], ...]:
    return tuple((reason, found[("excluded", reason)]) for reason in (*EXCLUSION_REASONS, None)
                 if found.get(("excluded", reason)))


def _integrity(found: dict, counted: int, staff: int, channels=None, kiosk_answers=None,
               kiosks=None) -> Integrity:
    excluded = _by_reason(found)
    return Integrity(counted, staff, sum(n for _, n in excluded), excluded,
                     found.get(("flagged", None), 0), found.get(("waiting", None), 0),
                     found.get(("proposals", None), 0), channels, kiosk_answers, kiosks)


def unit_integrity(session: Session, unit_id: int, period: Period) -> Integrity:
    """Return the basis of a unit's figure in a period (two statements over its responses)."""
    where = (Response.unit_id == unit_id, *_in_period(period))
    counted = Response.excluded == False  # noqa: E712
    by_channel = [func.count(case((Response.channel == channel, 1))) for channel in CHANNELS]
    row = session.execute(select(
        *by_channel, func.count(Response.kiosk_id), func.count(distinct(Response.kiosk_id)))
        .where(*where, counted)).one()
    channels = tuple(zip(CHANNELS, (int(n) for n in row[:len(CHANNELS)])))
    staff = sum(n for channel, n in channels if channel in STAFF_CHANNELS)
    return _integrity(_decisions(session, where), sum(n for _, n in channels), staff,
                      channels, int(row[-2]), int(row[-1]))


def scope_integrity(session: Session, scope: Scope, period: Period) -> Integrity:
    """Return the basis of a scope's figure in a period: counted and staff-entered answers
    from the rollups, the rest from the flagged and excluded rows alone."""
    totals = queries.index_totals(session, scope, period, "none")
    staff = queries.staff_counts(session, scope, period, "none")
    return _integrity(_decisions(session, (*_units(scope), *_in_period(period))),
                      sum(totals.n), sum(staff.values()))


def _top(shares: list[UnitShare], limit: int) -> tuple[UnitShare, ...]:
    ranked = sorted((s for s in shares if s.part), key=lambda s: (-s.share, -s.part, s.slug))
    return tuple(ranked[:limit])


def unit_shares(session: Session, scope: Scope, period: Period,
                limit: int = TOP_UNITS) -> tuple[tuple[UnitShare, ...], tuple[UnitShare, ...]]:
    """Return the scope's units with the largest excluded share (of stored answers) and the
    largest staff-entered share (of counted answers) in a period, `limit` of each."""
    totals = queries.index_totals(session, scope, period, "unit")
    staff = queries.staff_counts(session, scope, period, "unit")
    excluded = dict(session.execute(
        select(ServiceUnit.slug, func.count()).select_from(Response)
        .join(ServiceUnit, ServiceUnit.id == Response.unit_id)
        .where(*_units(scope), *_in_period(period), Response.excluded == True)  # noqa: E712
        .group_by(ServiceUnit.slug)).all())
    names = dict(zip(totals.keys, totals.names))
    counted = dict(zip(totals.keys, totals.n))
    if set(excluded) - set(names):  # units whose every answer is excluded
        names |= dict(session.execute(select(ServiceUnit.slug, ServiceUnit.name)
                                      .where(ServiceUnit.slug.in_(set(excluded) - set(names)))))
    by_excluded = [UnitShare(slug, names[slug], counted.get(slug, 0), n,
                             n / (counted.get(slug, 0) + n)) for slug, n in excluded.items()]
    by_staff = [UnitShare(slug, names[slug], counted[slug], staff.get(slug, 0),
                          staff.get(slug, 0) / counted[slug]) for slug in counted if counted[slug]]
    return _top(by_excluded, limit), _top(by_staff, limit)
