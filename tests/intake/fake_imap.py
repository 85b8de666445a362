"""A small, faithful IMAP4rev1 server (RFC 3501) on a real socket, in a thread, for the email intake tests.

It speaks the commands `imaplib` sends when `saferhomes fetchmail` reads a mailbox — CAPABILITY, LOGIN, SELECT,
SEARCH, FETCH (RFC822), STORE (+FLAGS), CLOSE, NOOP, LOGOUT — with tagged responses, literals ({n}) and the \\Seen flag,
so the code under test talks to a server over TCP exactly as it would in production. It is not a mock of our code.

    with FakeImapServer(user="intake", password="secret", messages=[raw_bytes]) as server:
        mailbox_fetch(mailbox=MailboxSettings(host="127.0.0.1", port=server.port, ssl=False, ...))
"""

from __future__ import annotations

import re
import shlex
import socketserver
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class StoredMessage:
    raw: bytes
    flags: set[str] = field(default_factory=set)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _send(self, line: str | bytes) -> None:
        data = line if isinstance(line, bytes) else line.encode()
        self.wfile.write(data + b"\r\n")

    def handle(self) -> None:
        state = {"authenticated": False, "selected": False}
        self._send("* OK [CAPABILITY IMAP4rev1] Fake IMAP ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            self.server.commands.append(line.decode(errors="replace").rstrip("\r\n"))
            tag, _, rest = line.decode(errors="replace").rstrip("\r\n").partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self._send("* CAPABILITY IMAP4rev1")
                self._send(f"{tag} OK CAPABILITY completed")
            elif command == "NOOP":
                self._send(f"{tag} OK NOOP completed")
            elif command == "LOGOUT":
                self._send("* BYE Fake IMAP logging out")
                self._send(f"{tag} OK LOGOUT completed")
                return
            elif command == "LOGIN":
                parts = shlex.split(args)
                if parts == [self.server.user, self.server.password]:
                    state["authenticated"] = True
                    self._send(f"{tag} OK LOGIN completed")
                else:
                    self._send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
            elif not state["authenticated"]:
                self._send(f"{tag} BAD Log in first")
            elif command == "SELECT":
                name = shlex.split(args)[0] if args else ""
                if name.upper() != self.server.mailbox.upper():
                    self._send(f"{tag} NO Mailbox does not exist")
                    continue
                state["selected"] = True
                self._send(f"* {len(self.server.messages)} EXISTS")
                self._send("* 0 RECENT")
                self._send("* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)")
                self._send("* OK [UIDVALIDITY 1] UIDs valid")
                self._send(f"{tag} OK [READ-WRITE] SELECT completed")
            elif not state["selected"]:
                self._send(f"{tag} BAD Select a mailbox first")
            elif command == "SEARCH":
                criterion = args.strip().upper()
                with self.server.lock:
                    numbers = [
                        str(i + 1)
                        for i, m in enumerate(self.server.messages)
                        if criterion == "ALL" or (criterion == "UNSEEN" and "\\Seen" not in m.flags)
                    ]
                self._send("* SEARCH" + "".join(f" {n}" for n in numbers))
                self._send(f"{tag} OK SEARCH completed")
            elif command == "FETCH":
                number, _, items = args.partition(" ")
                message = self._message(number)
                if message is None or "RFC822" not in items.upper():
                    self._send(f"{tag} BAD Invalid FETCH")
                    continue
                self.wfile.write(f"* {number} FETCH (RFC822 {{{len(message.raw)}}}\r\n".encode())
                self.wfile.write(message.raw)
                self._send(")")
                self._send(f"{tag} OK FETCH completed")
            elif command == "STORE":
                match = re.fullmatch(r"(\d+) \+FLAGS(?:\.SILENT)? \(?([^)]*)\)?", args.strip(), re.IGNORECASE)
                message = self._message(match.group(1)) if match else None
                if match is None or message is None:
                    self._send(f"{tag} BAD Invalid STORE")
                    continue
                with self.server.lock:
                    message.flags.update(match.group(2).split())
                self._send(f"* {match.group(1)} FETCH (FLAGS ({' '.join(sorted(message.flags))}))")
                self._send(f"{tag} OK STORE completed")
            elif command == "CLOSE":
                state["selected"] = False
                self._send(f"{tag} OK CLOSE completed")
            else:
                self._send(f"{tag} BAD Unknown command")

    def _message(self, number: str) -> StoredMessage | None:
        if not number.isdigit() or not 1 <= int(number) <= len(self.server.messages):
            return None
        return self.server.messages[int(number) - 1]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, user: str, password: str, mailbox: str, messages: list[StoredMessage]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.user, self.password, self.mailbox = user, password, mailbox
        self.messages = messages
        self.commands: list[str] = []
        self.lock = threading.Lock()


class FakeImapServer:
    """Start on a free local port on entering; stop on leaving."""

    def __init__(
        self,
        *,
        user: str = "intake",
        password: str = "secret",  # noqa: S107
        mailbox: str = "INBOX",
        messages: Sequence[bytes] = (),
    ) -> None:
        self._server = _Server(
            user=user, password=password, mailbox=mailbox, messages=[StoredMessage(raw=m) for m in messages]
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def messages(self) -> list[StoredMessage]:
        return self._server.messages

    @property
    def commands(self) -> list[str]:
        return self._server.commands

    def add(self, raw: bytes) -> None:
        with self._server.lock:
            self._server.messages.append(StoredMessage(raw=raw))

    def __enter__(self) -> FakeImapServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
