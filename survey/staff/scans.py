"""Scans of a batch's sheets kept as evidence: PDF, JPEG or PNG, told by their first bytes,
stored under the instance folder with a random name (never the name the user's file had)."""

import hashlib
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey import audit
from survey.models import BatchScan, EntryBatch, User

# Below the request limit (MAX_CONTENT_LENGTH, 8 MB), so that a too-large scan gets this
# page's own message rather than the generic 413 page.
MAX_BYTES = 5 * 1024 * 1024
MAX_SCANS = 5  # per batch
# The magic bytes each accepted type starts with, its media type and the stored extension.
KINDS = ((b"%PDF-", "application/pdf", ".pdf"),
         (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
         (b"\x89PNG\r\n\x1a\n", "image/png", ".png"))


class ScanRefused(ValueError):
    """A scan that is not kept; its message is for the user, in Indonesian."""


def folder() -> Path:
    """Return the folder of stored scans (SUARA_SCAN_DIR, default instance/scans)."""
    path = Path(current_app.config.get("SUARA_SCAN_DIR")
                or Path(current_app.instance_path) / "scans")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _kind(head: bytes) -> tuple[str, str]:
    for magic, media_type, extension in KINDS:
        if head.startswith(magic):
            return media_type, extension
    raise ScanRefused("Maaf, berkas ini bukan PDF, JPEG atau PNG. Unggah pindaian dalam salah "
                      "satu format tersebut.")


def store(session: Session, batch: EntryBatch, stream: BinaryIO, user: User | None) -> BatchScan:
    """Check and keep one uploaded scan of a batch, audited; raise ScanRefused if not kept."""
    count = session.scalar(select(func.count()).where(BatchScan.batch_id == batch.id))
    if count >= MAX_SCANS:
        raise ScanRefused(f"Maaf, satu batch paling banyak {MAX_SCANS} berkas pindaian.")
    content = stream.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ScanRefused(f"Maaf, berkas lebih dari {MAX_BYTES // (1024 * 1024)} MB. Perkecil "
                          "resolusi pindaian atau bagi menjadi beberapa berkas.")
    if not content:
        raise ScanRefused("Berkas kosong: pilih berkas pindaian.")
    media_type, extension = _kind(content[:8])
    name = secrets.token_hex(16) + extension
    (folder() / name).write_bytes(content)
    scan = BatchScan(batch_id=batch.id, stored_name=name, media_type=media_type,
                     size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                     uploaded_by=user.id if user else None)
    session.add(scan)
    session.flush()
    audit.record(session, "batch.scan", f"batch:{batch.id}", unit_id=batch.unit_id,
                 detail={"scan": scan.id, "media_type": media_type, "size": len(content),
                         "sha256": scan.sha256})
    return scan


def batch_scans(session: Session, batch_id: int) -> list[BatchScan]:
    """Return a batch's scans, oldest first."""
    return list(session.scalars(select(BatchScan).where(BatchScan.batch_id == batch_id)
                                .order_by(BatchScan.id)))


def batch_scan(session: Session, batch_id: int, scan_id: int) -> BatchScan | None:
    """Return one scan of a batch."""
    return session.scalars(select(BatchScan).where(BatchScan.batch_id == batch_id,
                                                   BatchScan.id == scan_id)).first()


def path_of(scan: BatchScan) -> Path:
    """Return where a scan is stored."""
    return folder() / scan.stored_name
