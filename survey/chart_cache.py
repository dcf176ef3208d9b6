"""Rendered charts kept on disk, keyed by what they show and the data version behind it.

On disk rather than in memory so that every gunicorn worker shares one copy.
"""

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


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
