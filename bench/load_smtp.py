"""A mail server for the load run (issue 21 part 3): it speaks just enough SMTP for Django's SMTP backend (HELO/EHLO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT), counts what it is given and keeps nothing. The acknowledgement email is sent
while the resident waits for the confirmation page, so the run measures it going to a real SMTP server on loopback,
as production's relay would take it, rather than failing to connect."""

from __future__ import annotations

import socketserver
import threading
from types import TracebackType


class _Session(socketserver.StreamRequestHandler):
    server: SmtpSink

    def _say(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self) -> None:
        self._say(b"220 saferhomes-load-sink ESMTP")
        in_data = False
        while line := self.rfile.readline(65_536):
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    in_data = False
                    self.server.delivered_one()
                    self._say(b"250 2.0.0 Accepted and discarded")
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self._say(b"250-saferhomes-load-sink")
                self._say(b"250 8BITMIME")
            elif verb == b"DATA":
                in_data = True
                self._say(b"354 End data with <CR><LF>.<CR><LF>")
            elif verb == b"QUIT":
                self._say(b"221 2.0.0 Bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self._say(b"250 2.0.0 OK")


class SmtpSink(socketserver.ThreadingTCPServer):
    """`with SmtpSink() as sink:` listens on 127.0.0.1:`sink.port` in a thread; `sink.delivered` counts messages."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.port = int(self.server_address[1])
        self.delivered = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="smtp-sink", daemon=True
        )

    def delivered_one(self) -> None:
        with self._lock:
            self.delivered += 1

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.shutdown()
        self.server_close()
