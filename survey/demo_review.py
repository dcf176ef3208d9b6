"""The demo's review of answers: a few flagged answers of Puskesmas Ketabang in its latest
semester, one excluded after the Surabaya health office approved, one proposal still waiting,
and one flag nobody has acted on yet, so that the review and approval pages look real."""

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import rollups
from survey.demo_data import DEMO_NAMESPACE, PERIODS
from survey.models import ExclusionProposal, Response, User

SLUG = "puskesmas-ketabang"
UNIT_HEAD, OFFICE = "ketabang@demo.suara.id", "dinkes-surabaya@demo.suara.id"
# (respondent number in the semester, automatic flag, proposal: (reason, text, approved?)).
FLAGS = (
    (3, "identik: 3 jawaban identik dari satu perangkat dalam 30 menit",
     ("duplicate", "Warga menekan kirim tiga kali; dua jawaban lainnya tetap dihitung.", True)),
    (7, "cepat: kuesioner diisi dalam 9 detik",
     ("test_entry", "Diisi petugas saat mencoba kode QR baru di loket.", False)),
    (11, "perangkat: 6 jawaban dari satu perangkat dalam 10 menit", None),
)


def _response(session: Session, label: str, number: int) -> Response | None:
    client_uuid = uuid.uuid5(DEMO_NAMESPACE, f"demo|{SLUG}|{label}|{number}")
    return session.scalars(select(Response).where(Response.client_uuid == client_uuid)).first()


def load_demo_review(session: Session) -> int:
    """Flag the demo answers not flagged yet, with their proposals; return how many. Flush only."""
    label = PERIODS[-1][0]
    users = {user.email: user for user in session.scalars(
        select(User).where(User.email.in_((UNIT_HEAD, OFFICE))))}
    added = 0
    for number, reason, proposal in FLAGS:
        response = _response(session, label, number)
        if response is None or response.flagged:
            continue
        response.flagged, response.flag_reason = True, reason
        if proposal:
            _propose(session, response, proposal, users[UNIT_HEAD], users[OFFICE])
        added += 1
    session.flush()
    return added


def _propose(session: Session, response: Response, proposal: tuple, head: User,
             office: User) -> None:
    code, text, approved = proposal
    proposed_at = response.submitted_at + timedelta(days=2)
    row = ExclusionProposal(response_id=response.id, action="exclude", reason=code, text=text,
                            proposed_by=head.id, proposed_at=proposed_at)
    if approved:
        row.decision, row.decided_by = "approved", office.id
        row.decided_at = proposed_at + timedelta(days=1)
        row.decision_note = "Sesuai catatan perangkat."
        response.excluded = True
        response.reviewed_at, response.reviewed_by = row.decided_at, office.id
        rollups.remove_rows(session, [rollups.as_row(response)])
    session.add(row)
