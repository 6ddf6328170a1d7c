"""Freshness helpers: logged-in clients, cards with owners, and a real SMTP server on loopback."""

import socket
from contextlib import contextmanager
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.clock import frozen
from tests.backoffice import PASSWORD, FreshContextClient
from tests.backoffice import csrf_token as token_from

NOW = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_context_client(app):
    app.test_client_class = FreshContextClient


@pytest.fixture
def at_now():
    with frozen(NOW):
        yield NOW


@pytest.fixture
def as_user(app, db):
    """A logged-in client for a new account with `roles`."""

    def make(username: str, roles=(Role.EDITOR,), departments=(), email: str = ""):
        user = accounts.create_user(username, username.title(), PASSWORD, list(roles), departments=departments,
                                    email=email)  # fmt: skip
        db.session.commit()
        client = app.test_client()
        token = token_from(client, "/admin/login")
        response = client.post("/admin/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
        client.user = user
        return client

    return make


class Inbox:
    """Delivered messages as (recipients, subject, plain-text body)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, str(message["Subject"]), message.get_body().get_content()))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def hanging_smtp():
    """A port that accepts connections and never answers (an SMTP server that hangs); closing it resets them."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@pytest.fixture
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on a free loopback port; the app is configured to use it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_SENDER="okienko@plock.test")
    yield inbox
    controller.stop()
