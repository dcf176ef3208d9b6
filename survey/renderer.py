"""Documents drawn by the renderer process (survey/render_server.py), not by the web worker.

`render("unit_pdf", report)` sends the plain data of a document to the renderer and returns
its bytes. The first worker that needs the renderer starts it (one per instance folder and
version of the code, however many workers and threads ask at once: a file lock decides);
it leaves by itself when idle. SUARA_RENDERER=inline draws in the worker itself (tests, the
commands), as does a worker that cannot start the renderer (logged: more memory, same file).
"""

import fcntl
import functools
import hashlib
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from socket import AF_UNIX, SOCK_STREAM, socket

from flask import current_app

from survey import render_server

ROOT = Path(__file__).resolve().parent.parent
STARTING = 60.0  # seconds a worker waits for a renderer it started to listen
ATTEMPTS = 2  # drawing is free of side effects: a lost connection is simply tried again
SOCKET_PATH_MAX = 100  # bytes: sockaddr_un holds 108 on Linux, 104 on BSD
log = logging.getLogger(__name__)


class RenderFailed(RuntimeError):
    """The renderer could not draw a document; the message is its traceback."""


def render(name: str, *args, **kwargs) -> bytes:
    """Return the document a builder of render_server.BUILDERS draws from plain data."""
    config = current_app.config
    if config["SUARA_RENDERER"] == "inline":
        return render_server.builder(name)(*args, **kwargs)
    request = pickle.dumps((name, args, kwargs), protocol=5)
    instance, idle = Path(current_app.instance_path), config["SUARA_RENDERER_IDLE"]
    for attempt in range(ATTEMPTS):
        try:
            connection = _connect(instance, idle)
        except (OSError, subprocess.SubprocessError) as error:
            # It cannot start here: the worker draws itself, at a cost in memory.
            log.warning("the renderer is not available (%s): drawing %s here", error, name)
            return render_server.builder(name)(*args, **kwargs)
        try:
            kind, body = _exchange(connection, request)
            break
        except ConnectionError:  # it left as this worker came (idle), or its child was killed
            if attempt == ATTEMPTS - 1:
                raise
    if kind != render_server.DONE:
        raise RenderFailed(body.decode(errors="replace"))
    return body


def _exchange(connection: socket, request: bytes) -> tuple[bytes, bytes]:
    """Send a request to the renderer and return its answer."""
    with connection:
        connection.settimeout(render_server.STALLED)
        render_server.send(connection, b"R", request)
        return render_server.receive(connection)


@functools.cache
def code_stamp() -> str:
    """Return a short digest of the release and of the code's files, so that a worker of new
    code never hands its documents to a renderer still running the old code."""
    newest = max(path.stat().st_mtime_ns for folder in ("analysis", "survey")
                 for path in (ROOT / folder).rglob("*.py"))
    key = f"{metadata.version('suara')}|{ROOT}|{newest}|{sys.executable}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def socket_path(instance: Path) -> Path:
    """Return the renderer's socket: in the instance folder, or, when that path is too long
    for a Unix socket, in a folder of this user's own under the temporary directory."""
    name = f"renderer-{code_stamp()}.sock"
    path = instance / name
    if len(os.fsencode(path)) <= SOCKET_PATH_MAX:
        return path
    private = Path(tempfile.gettempdir()) / f"suara-{os.getuid()}"
    private.mkdir(mode=0o700, exist_ok=True)
    found = private.stat()
    if found.st_uid != os.getuid() or found.st_mode & 0o077:
        raise PermissionError(f"{private} is not this user's own folder")
    digest = hashlib.sha256(os.fsencode(instance.resolve())).hexdigest()[:12]
    return private / f"{digest}-{name}"


def _open(path: Path) -> socket:
    connection = socket(AF_UNIX, SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        raise
    return connection


def _connect(instance: Path, idle: float) -> socket:
    """Return a connection to the running renderer, starting it first if none answers."""
    path = socket_path(instance)
    try:
        return _open(path)
    except (FileNotFoundError, ConnectionRefusedError):
        pass
    instance.mkdir(parents=True, exist_ok=True)
    with _start_lock(path):
        try:  # another worker may have started it while this one waited for the lock
            return _open(path)
        except (FileNotFoundError, ConnectionRefusedError):
            _start(path, instance, idle)
        deadline = time.monotonic() + STARTING
        while True:
            try:
                return _open(path)
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)


@contextmanager
def _start_lock(path: Path):
    descriptor = os.open(f"{path}.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _start(path: Path, instance: Path, idle: float) -> None:
    """Start a detached renderer; its messages go to instance/renderer.log."""
    with open(instance / "renderer.log", "ab") as output:
        started = subprocess.Popen(
            [sys.executable, "-m", "survey.render_server", str(path), "--idle", str(idle)],
            stdin=subprocess.DEVNULL, stdout=output, stderr=output, cwd=ROOT,
            start_new_session=True)
    started.wait(timeout=STARTING)  # the first process only forks the server and leaves
