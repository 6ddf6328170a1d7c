"""Back-office helpers: accounts with real (cheap) argon2 hashes and a client that logs in with CSRF tokens."""

from html.parser import HTMLParser

import pytest

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from tests.backoffice import PASSWORD, FreshContextClient, csrf_token


@pytest.fixture(autouse=True)
def fresh_context_client(app):
    app.test_client_class = FreshContextClient


def login(client, username: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    token = csrf_token(client)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})  # fmt: skip


def post(client, path: str, data: dict | None = None, token_from: str = "/admin/", **kwargs):
    """POST with a valid CSRF token taken from a page the user can open."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, token_from)}, **kwargs)


@pytest.fixture
def make_user(db, factory):
    def make(username: str, roles=(Role.EDITOR,), departments=()):
        user = accounts.create_user(username, username.title(), PASSWORD, [Role(r) for r in roles],
                                    departments=departments)  # fmt: skip
        db.session.commit()
        return user

    return make


@pytest.fixture
def as_user(app, make_user):
    """A logged-in test client for a new user with `roles`."""

    def make(username: str, roles=(Role.EDITOR,), departments=()):
        user = make_user(username, roles, departments)
        client = app.test_client()
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        client.user = user
        return client

    return make


class _FormParser(HTMLParser):
    """What a browser would submit for the form with id `form_id` (row templates excluded)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.template = form_id, False, 0
        self.fields: list[tuple[str, str]] = []
        self._select = self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if tag == "template" and self.inside:
            self.template += 1
        if not self.inside or self.template:
            return
        if tag == "input" and a.get("name") and (a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first_option = a.get("name"), None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._select = None
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_endtag(self, tag):
        if tag == "template" and self.inside:
            self.template -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "select" and self._select and not self.template:
            self.fields.append((self._select, self._first_option or ""))
            self._select = None
        elif tag == "textarea" and self._textarea and not self.template:
            self.fields.append(tuple(self._textarea))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data


def _submitted(parser: _FormParser, html: str) -> dict:
    """The fields `parser` finds in `html` as a browser submits them: a repeated name becomes a list."""
    parser.feed(html)
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def form_data(html: str, form_id: str = "edition-form") -> dict:
    return _submitted(_FormParser(form_id), html)


class _AdminFormParser(_FormParser):
    """The fields of Flask-Admin's create/edit form (class `admin-form`), as a browser submits them."""

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.inside = "admin-form" in (dict(attrs).get("class") or "")
            return
        super().handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea and not self._textarea[1]:  # a browser drops the newline right after <textarea>
            data = data.removeprefix("\r\n") if data.startswith("\r\n") else data.removeprefix("\n")
        super().handle_data(data)


def admin_form_data(html: str) -> dict:
    """What a browser submits for a Flask-Admin create/edit page as it is filled in."""
    return _submitted(_AdminFormParser(None), html)
