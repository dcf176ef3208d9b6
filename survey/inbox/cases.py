"""What a unit does with a suggestion: read, tag, answer, close. Every change is audited.

A suggestion has no case row until someone acts on it: its status is "new" until then.
"""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from analysis.elements import ELEMENT_CODES
from analysis.redaction import redact
from survey import audit
from survey.inbox import contacts, mail
from survey.models import CASE_STATUSES, Case, CaseReply, CaseTag, Response, ServiceUnit, User, utcnow


def suggestion_of(session: Session, unit: ServiceUnit, response_id: int) -> Response | None:
    """Return one of the unit's counted responses that carries a suggestion."""
    return session.scalars(select(Response).where(
        Response.id == response_id, Response.unit_id == unit.id,
        Response.suggestion.is_not(None), Response.excluded.is_(False))).first()


def _case(session: Session, response: Response, user: User) -> Case:
    case = session.get(Case, response.id)
    if case is None:
        case = Case(response_id=response.id, status="new")
        session.add(case)
    case.updated_by, case.updated_at = user.id, utcnow()
    return case


def _target(response: Response) -> str:
    return f"response:{response.id}"


def set_status(session: Session, response: Response, status: str, user: User) -> Case:
    """Change a case's status; closing it deletes the citizen's contact."""
    if status not in CASE_STATUSES:
        raise ValueError(f"status {status!r} is not one of {CASE_STATUSES}")
    case = _case(session, response, user)
    before, case.status = case.status, status
    detail = {"status": [before, status]}
    if status == "closed":
        detail["contact_deleted"] = contacts.forget(session, response.id)
    audit.record(session, "inbox_status", _target(response), unit_id=response.unit_id,
                 detail=detail)
    return case


def save_tags(session: Session, response: Response, codes: set[str], user: User) -> Case:
    """Replace the confirmed tags of a case; a new case becomes read."""
    unknown = codes - set(ELEMENT_CODES)
    if unknown:
        raise ValueError(f"tags {sorted(unknown)} are not element codes")
    before = set(session.scalars(select(CaseTag.element_code)
                                 .where(CaseTag.response_id == response.id)))
    session.execute(delete(CaseTag).where(CaseTag.response_id == response.id,
                                          CaseTag.element_code.in_(before - codes)))
    session.add_all(CaseTag(response_id=response.id, element_code=code, confirmed_by=user.id)
                    for code in sorted(codes - before))
    case = _case(session, response, user)
    if case.status == "new":
        case.status = "read"
    audit.record(session, "inbox_tags", _target(response), unit_id=response.unit_id,
                 detail={"tags": [sorted(before), sorted(codes)]})
    return case


def reply(session: Session, unit: ServiceUnit, response: Response, body: str, user: User,
          server: mail.MailServer | None, subject: str) -> CaseReply | None:
    """Record the unit's answer to the citizen's contact, e-mailed when possible.

    None when no contact is kept (none was left, or the case closed). The case becomes
    answered unless it is closed.
    """
    contact = contacts.of(session, response.id)
    if contact is None:
        return None
    delivery = mail.deliver(server, mail.Letter(contact, subject, body, unit.name))
    row = CaseReply(response_id=response.id, body=body, delivery=delivery.delivery,
                    note=delivery.note, created_by=user.id,
                    sent_at=utcnow() if delivery.delivery == "sent" else None)
    session.add(row)
    case = _case(session, response, user)
    if case.status != "closed":
        case.status = "answered"
    session.flush()
    audit.record(session, "inbox_reply", _target(response), unit_id=response.unit_id,
                 detail={"reply": row.id, "delivery": delivery.delivery, "note": delivery.note})
    return row


def mark_sent(session: Session, response: Response, reply_id: int, user: User) -> CaseReply | None:
    """Record that a reply left to send by hand has been sent."""
    row = session.scalars(select(CaseReply).where(
        CaseReply.id == reply_id, CaseReply.response_id == response.id,
        CaseReply.delivery == "manual")).first()
    if row is None:
        return None
    row.delivery, row.sent_at = "manual_sent", utcnow()
    audit.record(session, "inbox_reply_sent", _target(response), unit_id=response.unit_id,
                 detail={"reply": row.id, "by": user.id})
    return row


def set_public_answer(session: Session, response: Response, text: str | None, user: User,
                      suggestion: str | None = None) -> Case:
    """Set (or, with no text, withdraw) the answer shown on the unit's public results page.

    `suggestion` is the citizen's text as the staff member approved it for the page (redacted
    again here); without it the answer is shown alone. The raw text is never published.
    """
    case = _case(session, response, user)
    before = (case.public_answer, case.public_suggestion)
    case.public_answer = text or None
    case.public_suggestion = redact(suggestion) if text and suggestion else None
    case.public_answer_at = utcnow() if text else None
    audit.record(session, "inbox_public_answer", _target(response), unit_id=response.unit_id,
                 detail={"public_answer": [before[0], case.public_answer],
                         "public_suggestion": [before[1], case.public_suggestion]})
    return case
