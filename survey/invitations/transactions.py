"""Served transactions from a unit's file: each becomes one invitation by message.

A CSV file (comma or semicolon) with the columns waktu, titik_layanan, jenis_layanan, kontak and
optionally kanal. All rows are checked first; one refused row refuses the file, with every
problem named by its row number, so that a file is never half imported.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.entry_dates import answer_bounds
from survey.inbox.mail import is_email
from survey.invitations import codes, optouts
from survey.models import Invitation, InvitationMessage, ServicePoint, ServiceUnit
from survey.regions import timezone_for

MAX_BYTES = 512 * 1024
MAX_ROWS = codes.MAX_PER_ISSUE
MAX_PROBLEMS = 20
COLUMNS = ("waktu", "titik_layanan", "jenis_layanan", "kontak")
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M")
CHANNEL_WORDS = {"email": "email", "e-mail": "email", "surel": "email", "sms": "sms",
                 "whatsapp": "whatsapp", "wa": "whatsapp"}
PHONE = re.compile(r"^\+?[0-9]{8,15}$")


class FileRefused(ValueError):
    """The file was not imported; `problems` lists why, each with its row number."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Transaction:
    served_at: datetime
    point: ServicePoint
    service_type: str | None
    contact: str
    channel: str


def phone_number(raw: str) -> str | None:
    """Return an Indonesian mobile number as +62..., from 08..., 628... or +628...; else None."""
    text = re.sub(r"[\s().-]", "", raw)
    if not PHONE.match(text):
        return None
    digits = text.lstrip("+")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return "+" + digits if 10 <= len(digits) <= 15 else None


def contact_of(raw: str, channel_word: str) -> tuple[str, str] | str:
    """Return (channel, contact) of a row, or why it is refused."""
    raw = raw.strip()
    if is_email(raw):
        if channel_word not in ("", "email"):
            return "alamat e-mail hanya dapat dikirimi lewat kanal email"
        return "email", raw.lower()
    number = phone_number(raw)
    if number is None:
        return f"kontak '{raw[:40]}' bukan alamat e-mail atau nomor ponsel"
    if channel_word == "email":
        return "nomor ponsel tidak dapat dikirimi lewat kanal email"
    return channel_word or "sms", number


def _served_at(raw: str, unit: ServiceUnit, now: datetime) -> datetime | str:
    for pattern in TIME_FORMATS:
        try:
            local = datetime.strptime(raw.strip(), pattern)
        except ValueError:
            continue
        return bounded(local.replace(tzinfo=timezone_for(unit.region_code)), unit, now)
    return f"waktu '{raw[:20]}' tidak terbaca (contoh: 2026-12-07 09:30)"


def bounded(served: datetime, unit: ServiceUnit, now: datetime) -> datetime | str:
    """Return a time of service (with its offset), or why its day in the unit's time zone is
    outside survey/entry_dates.py's bounds."""
    try:
        day = served.astimezone(timezone_for(unit.region_code)).date()
    except OverflowError:  # in the years 1 or 9999: out of bounds either way
        day = served.date()
    return answer_bounds(unit, now).problem(day) or served


def _row(row: dict, unit: ServiceUnit, points: dict, now: datetime) -> Transaction | list[str]:
    problems = []
    served = _served_at(row.get("waktu") or "", unit, now)
    if isinstance(served, str):
        problems.append(served)
    point_name = (row.get("titik_layanan") or "").strip()
    point = points.get(point_name.casefold())
    if point is None:
        problems.append(f"titik layanan '{point_name[:60]}' tidak dikenal di unit ini")
    word = (row.get("kanal") or "").strip().lower()
    if word and word not in CHANNEL_WORDS:
        problems.append(f"kanal '{word[:20]}' tidak dikenal (email, sms atau whatsapp)")
    found = contact_of(row.get("kontak") or "", CHANNEL_WORDS.get(word, ""))
    if isinstance(found, str):
        problems.append(found)
    service = (row.get("jenis_layanan") or "").strip()[:200] or None
    if problems:
        return problems
    return Transaction(served, point, service, found[1], found[0])


def _rows(data: bytes) -> csv.DictReader:
    if len(data) > MAX_BYTES:
        raise FileRefused([f"Berkas terlalu besar: paling banyak {MAX_BYTES // 1024} KB."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(["Berkas bukan teks UTF-8: simpan sebagai CSV UTF-8."]) from None
    first = text.split("\n", 1)[0]  # Excel in Indonesian settings writes semicolons
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or ()]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise FileRefused([f"Kolom tidak ada: {', '.join(missing)}. Baris pertama harus "
                           f"berisi {', '.join(COLUMNS)} (dan boleh kanal)."])
    reader.fieldnames = header
    return reader


def read(session: Session, unit: ServiceUnit, data: bytes, now: datetime) -> list[Transaction]:
    """Return the transactions of a file, or raise FileRefused naming every bad row."""
    points = {point.name.casefold(): point for point in session.scalars(
        select(ServicePoint).where(ServicePoint.unit_id == unit.id, ServicePoint.active))}
    found, problems = [], []
    for number, row in enumerate(_rows(data), start=2):
        if number - 1 > MAX_ROWS:
            raise FileRefused([f"Terlalu banyak baris: paling banyak {MAX_ROWS} per berkas."])
        result = _row(row, unit, points, now)
        if isinstance(result, list):
            problems.extend(f"Baris {number}: {problem}." for problem in result)
        else:
            found.append(result)
    if problems:
        raise FileRefused(problems[:MAX_PROBLEMS] + (
            [f"… dan {len(problems) - MAX_PROBLEMS} masalah lain."]
            if len(problems) > MAX_PROBLEMS else []))
    if not found:
        raise FileRefused(["Berkas tidak berisi satu baris transaksi pun."])
    return found


def invite(session: Session, transactions: list[Transaction], secret: str, now: datetime,
           user_id: int | None) -> tuple[int, int]:
    """Add one invitation (source "message") and its message for each transaction whose contact
    did not opt out (flushed, not committed); return (invited, skipped as opted out)."""
    refused = optouts.refused(session, secret, {t.contact for t in transactions})
    wanted = [t for t in transactions if t.contact not in refused]
    by_point: dict[int, list[Transaction]] = {}
    for transaction in wanted:
        by_point.setdefault(transaction.point.id, []).append(transaction)
    for group in by_point.values():
        invitations = codes.issue(session, group[0].point, len(group), source="message",
                                  now=now, issued_by=user_id)
        session.add_all(_message(invitation, t) for invitation, t in zip(invitations, group))
    session.flush()
    return len(wanted), len(transactions) - len(wanted)


def invite_one(session: Session, transaction: Transaction, secret: str,
               now: datetime) -> Invitation | None:
    """Add the invitation (source "message") and message of one transaction (flushed), or
    nothing if its contact opted out (None)."""
    if optouts.refused(session, secret, {transaction.contact}):
        return None
    [invitation] = codes.issue(session, transaction.point, 1, source="message", now=now)
    session.add(_message(invitation, transaction))
    session.flush()
    return invitation


def _message(invitation: Invitation, transaction: Transaction) -> InvitationMessage:
    return InvitationMessage(invitation_id=invitation.id, channel=transaction.channel,
                             contact=transaction.contact, served_at=transaction.served_at,
                             service_type=transaction.service_type, status="pending")
