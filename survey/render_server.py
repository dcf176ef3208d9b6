"""The renderer: one warm process that draws the PDFs and documents of every web worker.

Drawing a report loads matplotlib, fpdf and numpy, some 130 MB that a worker would keep for
the rest of its life although most of its requests are citizens' forms. So the workers send
the plain data of a document (analysis/report/data.py, or the strings of a poster) over a Unix
socket to this process, which has the drawing libraries loaded once, forks a child for each
document (the child starts warm, draws, answers and exits: its memory goes back to the system,
and documents are drawn side by side on every core), and leaves when it has been idle a while.
survey/renderer.py starts it when a worker first needs it.

    python -m survey.render_server SOCKET [--idle SECONDS]

Only the builders named in BUILDERS can be called; the socket is the owner's alone (umask 077).
"""

import argparse
import importlib
import os
import pickle
import socket
import socketserver
import struct
import sys
import time
import traceback

# What a worker may ask for: name -> "module:function" (plain data in, bytes out).
BUILDERS = {
    "unit_pdf": "analysis.report.unit_pdf:unit_report_pdf",
    "unit_docx": "analysis.report.unit_docx:unit_report_docx",
    "scope_pdf": "analysis.report.scope_pdf:scope_report_pdf",
    "zi_pdf": "analysis.report.zi_pdf:zi_report_pdf",
    "poster_pdf": "survey.posters:poster_pdf",
    "code_sheet_pdf": "survey.invitations.sheets:sheet_pdf",
    "code_tickets_pdf": "survey.invitations.sheets:ticket_pdf",
}
DONE, FAILED = b"D", b"F"
HEADER = struct.Struct("!cQ")  # the kind of message and the length of what follows
LARGEST = 512 * 1024 * 1024  # no document or request is near this; a corrupt length is refused
DEFAULT_IDLE = 600.0  # seconds without a document before the process leaves
STALLED = 120.0  # seconds a child waits on a worker that stopped sending or reading


def builder(name: str):
    """Return the function a builder name stands for (KeyError for any other name)."""
    module, function = BUILDERS[name].split(":")
    return getattr(importlib.import_module(module), function)


def send(connection: socket.socket, kind: bytes, body: bytes) -> None:
    """Send one message: its kind, its length, its bytes."""
    connection.sendall(HEADER.pack(kind, len(body)))
    connection.sendall(body)


def receive(connection: socket.socket) -> tuple[bytes, bytes]:
    """Receive one message sent by `send`; ConnectionError when it ends early or is too long."""
    kind, length = HEADER.unpack(_exactly(connection, HEADER.size))
    if length > LARGEST:
        raise ConnectionError(f"a message of {length} bytes is too long")
    return kind, _exactly(connection, length)


def _exactly(connection: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = connection.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("the connection closed before the message ended")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        """Draw one document (in the forked child) and send it, or the error that stopped it."""
        self.request.settimeout(STALLED)
        try:
            kind, body = receive(self.request)
            name, args, kwargs = pickle.loads(body)
            answer = DONE, builder(name)(*args, **kwargs)
        except Exception:  # the worker shows its fault page and logs what went wrong
            answer = FAILED, traceback.format_exc().encode()
        send(self.request, *answer)


class _Server(socketserver.ForkingMixIn, socketserver.UnixStreamServer):
    timeout = 2.0  # how often an idle server wakes to see whether it should leave
    max_children = max(2, os.cpu_count() or 2)

    def __init__(self, path: str):
        self.last_request = time.monotonic()
        super().__init__(path, _Handler)
        self.inode = os.stat(path).st_ino

    def process_request(self, request, client_address) -> None:
        self.last_request = time.monotonic()
        super().process_request(request, client_address)

    def replaced(self, path: str) -> bool:
        """Return whether the socket file is gone or another renderer's."""
        try:
            return os.stat(path).st_ino != self.inode
        except FileNotFoundError:
            return True


def warm() -> None:
    """Load every builder and draw a tiny chart, so that each forked child starts ready."""
    for name in BUILDERS:
        builder(name)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1))
    figure.add_subplot().plot([0, 1], [0, 1])
    figure.savefig(os.devnull, format="png")


def serve(path: str, idle: float) -> None:
    """Answer on a Unix socket until idle for `idle` seconds or replaced by another renderer."""
    os.umask(0o077)  # the socket file is the owner's alone
    if os.path.exists(path):
        os.unlink(path)  # a renderer that died left it; the caller holds the start lock
    with _Server(path) as server:
        warm()  # listening already: a worker that connects meanwhile waits in the backlog
        server.last_request = time.monotonic()
        while time.monotonic() - server.last_request < idle and not server.replaced(path):
            server.handle_request()
            server.collect_children()
        if not server.replaced(path):
            os.unlink(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Draw SUARA's documents for its web workers.")
    parser.add_argument("socket")
    parser.add_argument("--idle", type=float, default=DEFAULT_IDLE)
    parser.add_argument("--foreground", action="store_true",
                        help="stay attached (by default the process detaches at once)")
    arguments = parser.parse_args(argv)
    # Detach, so that the worker that started it waits for nothing and leaves no zombie.
    if not arguments.foreground and os.fork():
        os._exit(0)
    serve(arguments.socket, arguments.idle)


if __name__ == "__main__":
    main(sys.argv[1:])
