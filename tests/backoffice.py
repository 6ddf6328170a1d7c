"""Helpers for back-office tests: a client with a fresh app context per request and CSRF tokens."""

import re

from flask.testing import FlaskClient

PASSWORD = "haslo-testowe-123"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production.

    The `app` fixture keeps one app context pushed for the whole test; without this, `g` (and with it
    Flask-Login's cached user and Flask-WTF's token) would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def csrf_token(client, path: str = "/admin/login") -> str:
    """A valid CSRF token from a page the client can open."""
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)
