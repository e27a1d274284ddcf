"""A real SMTP server for tests (aiosmtpd on its own thread) that keeps every message it accepts.

It can be stopped and started again on the same port (a mail server that was down), be slowed down
(so two senders really race), and answer the next messages with a temporary or permanent refusal.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.services import free_port


@dataclass(frozen=True)
class Captured:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",))
        assert body is not None
        return str(body.get_content())


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server: object, _session: object, envelope: object) -> str:  # noqa: N802
        import asyncio

        s = self.server
        if s.delay_s:
            await asyncio.sleep(s.delay_s)
        with s.lock:
            if s.refuse_next:
                s.refuse_next -= 1
                return s.refusal
            raw = envelope.original_content or envelope.content  # type: ignore[attr-defined]
            message = email.message_from_bytes(raw, policy=email.policy.default)
            s.messages.append(Captured(envelope.mail_from, tuple(envelope.rcpt_tos), message, raw))  # type: ignore[attr-defined,arg-type]
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, host: str = "127.0.0.1", port: int | None = None, login: tuple[str, str] | None = None) -> None:
        self.host = host
        self.login = login  # (username, password) the server demands (AUTH PLAIN/LOGIN, without TLS here)
        self.port = port or free_port()
        self.messages: list[Captured] = []
        self.lock = threading.Lock()
        self.delay_s = 0.0
        self.refuse_next = 0
        self.refusal = "451 4.3.0 Try again later"
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        auth: dict[str, object] = {}
        if self.login is not None:
            auth = dict(authenticator=self._authenticate, auth_required=True, auth_require_tls=False)
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10, **auth)
        self._controller.start()
        return self

    def _authenticate(self, _srv: object, _session: object, _envelope: object, _mech: str, data: object) -> AuthResult:
        ok = isinstance(data, LoginPassword) and self.login == (data.login.decode(), data.password.decode())
        return AuthResult(success=ok)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def refuse(self, count: int, answer: str = "451 4.3.0 Try again later") -> None:
        with self.lock:
            self.refuse_next, self.refusal = count, answer

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Captured]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return list(self.messages)
