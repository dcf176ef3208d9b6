"""An uploaded history file, kept only between its preview and its import: in the instance
folder under a random name bound to the unit, bounded in size, swept when abandoned."""

import re
import secrets
import time
from pathlib import Path
from typing import BinaryIO

from flask import current_app

MAX_BYTES = 5 * 1024 * 1024  # below the request limit, so this page's own message is shown
KEEP_SECONDS = 24 * 3600  # a preview left for a day is abandoned
_TOKEN = re.compile(r"[0-9a-f]{32}")


class UploadRefused(ValueError):
    """A file that is not kept; its message is for the user, in Indonesian."""


def folder() -> Path:
    """Return the folder of kept files (SUARA_IMPORT_DIR, default instance/imports)."""
    path = Path(current_app.config.get("SUARA_IMPORT_DIR")
                or Path(current_app.instance_path) / "imports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(unit_id: int, stream: BinaryIO) -> str:
    """Keep an uploaded CSV or XLSX file for a unit; return its token."""
    content = stream.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise UploadRefused(f"Maaf, berkas lebih dari {MAX_BYTES // (1024 * 1024)} MB. Bagi "
                            "berkasnya menjadi beberapa bagian.")
    if not content.strip():
        raise UploadRefused("Berkas kosong: pilih berkas CSV atau XLSX.")
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary .xls (and .doc) format
        raise UploadRefused("Maaf, format XLS lama tidak didukung. Simpan ulang sebagai XLSX "
                            "atau CSV.")
    # Told by the first bytes, never by the name the file had: an XLSX is a ZIP archive.
    extension = ".xlsx" if content.startswith(b"PK\x03\x04") else ".csv"
    _sweep()
    token = secrets.token_hex(16)
    (folder() / f"{unit_id}-{token}{extension}").write_bytes(content)
    return token


def path_of(unit_id: int, token: str) -> Path | None:
    """Return the kept file of a unit's token, or None if there is none (or it is gone)."""
    if not _TOKEN.fullmatch(token):
        return None
    for extension in (".csv", ".xlsx"):
        path = folder() / f"{unit_id}-{token}{extension}"
        if path.is_file():
            return path
    return None


def discard(path: Path) -> None:
    """Delete a kept file once imported or refused."""
    path.unlink(missing_ok=True)


def _sweep() -> None:
    """Delete the files of previews left unconfirmed."""
    limit = time.time() - KEEP_SECONDS
    for path in folder().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
