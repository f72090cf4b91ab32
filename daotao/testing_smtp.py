"""A real SMTP server on loopback for tests (aiosmtpd), and a mixin that points Django's
SMTP backend at it. Messages arrive as parsed ``email.message.EmailMessage`` objects."""

from __future__ import annotations

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller
from django.test import override_settings


def _free_port() -> int:
    # aiosmtpd checks that its server answers by connecting to the port it was given, so
    # it needs a real port number rather than 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Collector:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """``with SmtpServer() as smtp:`` runs a server on 127.0.0.1 at a free port."""

    def __init__(self):
        self.handler = _Collector()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=_free_port())

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self) -> list:
        with self.handler.lock:
            return list(self.handler.messages)

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.envelopes.clear()


def attachments(message) -> dict[str, bytes]:
    """File name -> content of a received message's attachments."""
    return {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}


def body(message) -> str:
    """The plain-text body of a received message."""
    return message.get_body(preferencelist=("plain",)).get_content()


class SmtpTestMixin:
    """Starts one SMTP server for the test class; every test sends through it by SMTP
    (not Django's in-memory outbox) and starts with an empty mailbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smtp = SmtpServer().__enter__()
        cls._smtp_settings = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=cls.smtp.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            DEFAULT_FROM_EMAIL="Truong Chinh tri <daotao@truong.test>",
        )
        cls._smtp_settings.enable()

    @classmethod
    def tearDownClass(cls):
        cls._smtp_settings.disable()
        cls.smtp.__exit__(None, None, None)
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.smtp.clear()
