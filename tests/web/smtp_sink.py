"""A real SMTP server on a loopback port that keeps the messages it receives (tests only).

It speaks just enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
"""

import email
import socketserver
import threading
from contextlib import contextmanager
from email.message import Message

OK = b"250 OK\r\n"


class _Session(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.wfile.write(b"220 sink ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 end with <CR><LF>.<CR><LF>\r\n")
                self.server.messages.append(self._message())
                self.wfile.write(OK)
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.wfile.write(OK)
            else:
                self.wfile.write(b"502 not implemented\r\n")

    def _message(self) -> Message:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return email.message_from_bytes(b"".join(lines))


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Session)
        self.messages: list[Message] = []

    @property
    def port(self) -> int:
        return self.server_address[1]


@contextmanager
def smtp_sink():
    """Serve a Sink on a free loopback port for the duration of the block."""
    sink = Sink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        sink.shutdown()
        sink.server_close()
        thread.join()
