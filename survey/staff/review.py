"""Decisions on a unit's answers (DESIGN.md §7a): a person flags one by hand, keeps a flagged one,
or proposes to exclude (or restore) it; an account above the unit approves or refuses.

Only a flagged answer can be proposed, only an approval moves it in or out of the index, and the
rollups change in the approval's transaction. Every step is an audit event of the unit.
"""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey import access, audit, instrument_store, rollups
from survey.models import ExclusionProposal, Response, ServiceUnit, User, utcnow
from survey.scopes import Scope


class ReviewRefused(Exception):
    """A step that may not be taken: `status` is the HTTP answer, the text says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _unit_response(session: Session, unit: ServiceUnit, response_id: int) -> Response:
    response = session.scalars(select(Response).where(
        Response.id == response_id, Response.unit_id == unit.id)).first()
    if response is None:
        raise ReviewRefused(404, "Jawaban ini tidak ada di unit ini.")
    return response


def open_proposal(session: Session, response_id: int) -> ExclusionProposal | None:
    """Return the undecided proposal on an answer, if any."""
    return session.scalars(select(ExclusionProposal).where(
        ExclusionProposal.response_id == response_id,
        ExclusionProposal.decision.is_(None))).first()


def flag(session: Session, unit: ServiceUnit, response_id: int, reason: str,
         user: User) -> Response:
    """Flag one of the unit's answers by hand, recording who and why; it stays counted."""
    response = _unit_response(session, unit, response_id)
    if response.flagged:
        raise ReviewRefused(409, f"Jawaban #{response_id} sudah bertanda.")
    response.flagged, response.flag_reason = True, reason
    response.flagged_by, response.flagged_at = user.id, utcnow()
    audit.record(session, "response_flag", f"response:{response.id}", unit_id=unit.id,
                 detail={"flag_reason": reason})
    return response


def keep(session: Session, unit: ServiceUnit, response_id: int, user: User) -> Response:
    """Record that a flagged answer stays counted: the unit's own decision, audited."""
    response = _unit_response(session, unit, response_id)
    if not response.flagged or response.excluded or open_proposal(session, response.id):
        raise ReviewRefused(409, f"Jawaban #{response_id} tidak dapat dipertahankan sekarang.")
    response.reviewed_at, response.reviewed_by = utcnow(), user.id
    audit.record(session, "response_keep", f"response:{response.id}", unit_id=unit.id,
                 detail={"flag_reason": response.flag_reason})
    return response


def propose(session: Session, unit: ServiceUnit, response_id: int, reason: str, text: str,
            user: User) -> ExclusionProposal:
    """Propose to exclude a flagged answer (or to restore an excluded one); nothing moves yet."""
    response = _unit_response(session, unit, response_id)
    if not response.flagged:
        raise ReviewRefused(409, f"Jawaban #{response_id} tidak bertanda: hanya jawaban "
                                 "bertanda yang dapat diusulkan untuk dikeluarkan.")
    if open_proposal(session, response.id):
        raise ReviewRefused(409, f"Jawaban #{response_id} sudah punya usulan yang menunggu "
                                 "persetujuan.")
    proposal = ExclusionProposal(
        response_id=response.id, action="restore" if response.excluded else "exclude",
        reason=reason, text=text, proposed_by=user.id, proposed_at=utcnow())
    try:
        # Two people proposing at once: the index of open proposals lets one through.
        with session.begin_nested():
            session.add(proposal)
    except IntegrityError:
        raise ReviewRefused(409, f"Jawaban #{response_id} sudah punya usulan yang menunggu "
                                 "persetujuan.") from None
    audit.record(session, "exclusion_propose", f"response:{response.id}", unit_id=unit.id,
                 detail={"proposal": proposal.id, "action": proposal.action, "reason": reason,
                         "text": text, "flag_reason": response.flag_reason})
    return proposal


def decide(session: Session, proposal_id: int, approve: bool, note: str | None,
           user: User) -> ExclusionProposal:
    """Approve or refuse an open proposal; an approval moves the answer and its rollups."""
    proposal = session.get(ExclusionProposal, proposal_id)
    response = session.get(Response, proposal.response_id) if proposal else None
    unit = session.get(ServiceUnit, response.unit_id) if response else None
    if unit is None or not access.may_see(session, user, Scope("unit", unit.slug)):
        raise ReviewRefused(404, "Usulan ini tidak ada dalam cakupan Anda.")
    if not access.may_decide_exclusion(session, user, unit, proposal.proposed_by):
        raise ReviewRefused(403, "Usulan harus diputuskan oleh akun tingkat di atas unit, "
                                 "bukan oleh pengusulnya.")
    decision, now = ("approved" if approve else "refused"), utcnow()
    # Conditional on being still open: of two people deciding at once, one wins.
    taken = session.execute(
        update(ExclusionProposal)
        .where(ExclusionProposal.id == proposal.id, ExclusionProposal.decision.is_(None))
        .values(decision=decision, decided_by=user.id, decided_at=now, decision_note=note)
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise ReviewRefused(409, "Usulan ini sudah diputuskan.")
    session.refresh(proposal)
    if approve:
        _apply(session, response, proposal.action == "exclude", user)
    audit.record(session, f"exclusion_{'approve' if approve else 'refuse'}",
                 f"response:{response.id}", unit_id=unit.id,
                 detail={"proposal": proposal.id, "action": proposal.action,
                         "reason": proposal.reason, "note": note,
                         "excluded": response.excluded})
    return proposal


def _apply(session: Session, response: Response, exclude: bool, user: User) -> None:
    """Move an answer out of (or back into) the index and its rollups, in this transaction."""
    moved = session.execute(
        update(Response).where(Response.id == response.id, Response.excluded.is_(not exclude))
        .values(excluded=exclude, reviewed_at=utcnow(), reviewed_by=user.id)
        .execution_options(synchronize_session=False)).rowcount
    session.refresh(response)
    if moved == 1:
        change = rollups.remove_rows if exclude else rollups.add_rows
        change(session, [rollups.as_row(response)])
        instrument_store.move(session, response, -1 if exclude else +1)
