"""A served transaction posted as JSON by a queue machine or counter application (POST
/api/v1/invitations/transactions): checked by the rules of an uploaded file
(survey/invitations/transactions.py), field by field, every problem named in Indonesian."""

from datetime import datetime

from survey.invitations.transactions import Transaction, bounded, contact_of
from survey.models import ServicePoint

FIELDS = ("served_at", "service_type", "contact", "channel")
CHANNELS = ("email", "sms", "whatsapp")
SERVICE_TYPE_MAX = 200
EXAMPLE_TIME = "2026-12-07T09:30:00+07:00"


def _served_at(raw: str | None, point: ServicePoint, now: datetime) -> datetime | str:
    if raw is None:
        return now
    try:
        served = datetime.fromisoformat(raw)
    except ValueError:
        served = None
    if served is None or served.tzinfo is None:
        return (f"served_at '{raw[:40]}' tidak terbaca: tulis waktu ISO 8601 dengan zona "
                f"waktu, misalnya {EXAMPLE_TIME}")
    return bounded(served, point.unit, now)


def _texts(body: dict) -> list[str]:
    unknown = sorted(str(name)[:40] for name in body if name not in FIELDS)
    problems = [f"kolom tidak dikenal: {', '.join(unknown)} (yang dikenal: {', '.join(FIELDS)})"
                ] if unknown else []
    problems += [f"{name} harus berupa teks" for name in FIELDS
                 if body.get(name) is not None and not isinstance(body[name], str)]
    return problems


def read(body, point: ServicePoint, now: datetime) -> Transaction | list[str]:
    """Return the transaction of a request's JSON body at a point, or its problems."""
    if not isinstance(body, dict):
        return ["isi permintaan harus berupa objek JSON, misalnya "
                '{"contact": "warga@contoh.id"}']
    problems = _texts(body)
    if problems:
        return problems
    served = _served_at(body.get("served_at"), point, now)
    if isinstance(served, str):
        problems.append(served.rstrip("."))
    channel = body.get("channel") or ""
    if channel and channel not in CHANNELS:
        problems.append(f"channel '{channel[:20]}' tidak dikenal (email, sms atau whatsapp)")
    contact = (body.get("contact") or "").strip()
    found = contact_of(contact, channel if channel in CHANNELS else "") if contact else (
        "contact wajib diisi: alamat e-mail atau nomor ponsel")
    if isinstance(found, str):
        problems.append(found)
    service = (body.get("service_type") or "").strip()
    if len(service) > SERVICE_TYPE_MAX:
        problems.append(f"service_type paling panjang {SERVICE_TYPE_MAX} karakter")
    if problems:
        return problems
    return Transaction(served, point, service or None, found[1], found[0])
