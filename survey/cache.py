"""Computed pages, charts and JSON kept on disk, keyed by what they show and the data version.

On disk rather than in memory so that every gunicorn worker shares one copy; a key includes
the rollups' last change (queries.data_version), so a change of the data is a new key and
stale entries are simply never read again.
"""

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app


def cached(folder: Path, key: str, render: Callable[[], bytes]) -> bytes:
    """Return the bytes stored under a key, rendering and storing them on a miss."""
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()}.bin"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    content = render()
    folder.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a concurrent reader never sees half a file.
    fd, temporary = tempfile.mkstemp(dir=folder)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.replace(temporary, path)
    return content


def folder(kind: str) -> Path:
    """Return the cache folder of a kind of entry (CACHE_DIR, default instance/cache)."""
    root = current_app.config.get("CACHE_DIR") or Path(current_app.instance_path) / "cache"
    return Path(root) / kind


def cached_object(kind: str, key: str, compute: Callable[[], object]):
    """Return a computed value (pickled on disk under our own key, never from outside)."""
    return pickle.loads(cached(folder(kind), key, lambda: pickle.dumps(compute())))
