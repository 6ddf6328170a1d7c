"""Revoking access revokes it: log-out, disabling, a password change or taking the roles away ends sessions at once.

Cookies are captured and replayed, as someone who copied them would; log-out is also tested over real HTTP.
"""

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from sqlalchemy import func, select

from kiosk.accounts import services
from kiosk.accounts.models import Role, User, UserSession

from .conftest import PASSWORD, login, post


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, value: str):
    """A new client that carries only the captured session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def is_logged_out(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/admin/login")


def test_replaying_the_cookie_after_log_out_gets_the_log_in_page(app, as_user):
    client = as_user("ewa")
    cookie = session_cookie(client)
    assert replay(app, cookie).get("/admin/").status_code == 200
    assert post(client, "/admin/logout").status_code == 302
    assert is_logged_out(replay(app, cookie).get("/admin/"))
    assert is_logged_out(replay(app, cookie).get("/admin/cards/"))


def test_log_out_ends_only_that_browser(app, db, as_user):
    first = as_user("ewa")
    second = app.test_client()
    assert login(second, "ewa").status_code == 302
    post(first, "/admin/logout")
    assert is_logged_out(first.get("/admin/"))
    assert second.get("/admin/").status_code == 200


def test_cookie_holds_a_session_token_not_the_account_id(app, db, as_user):
    client = as_user("ewa")
    from flask.sessions import SecureCookieSessionInterface

    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    data = serializer.loads(session_cookie(client))
    assert data["_user_id"] != str(client.user.id) and len(data["_user_id"]) >= 40
    stored = db.session.scalar(select(UserSession.token_hash))
    assert data["_user_id"] not in stored  # the table keeps a hash only


def test_set_roles_with_no_role_ends_sessions_at_once(app, db, runner, as_user):
    client = as_user("okienko", [Role.FRONT_DESK])
    cookie = session_cookie(client)
    assert client.get("/admin/bok/kolejki/dzisiaj").status_code == 200
    result = runner.invoke(args=["users", "set-roles", "okienko"])
    assert result.exit_code == 0 and "brak" in result.output
    assert is_logged_out(client.get("/admin/bok/kolejki/dzisiaj"))
    assert is_logged_out(replay(app, cookie).get("/admin/"))


def test_taking_a_role_away_ends_sessions_adding_one_does_not(app, db, as_user):
    client = as_user("ewa", [Role.EDITOR, Role.PUBLISHER])
    user = db.session.scalar(select(User).where(User.username == "ewa"))
    services.set_roles(user, [Role.EDITOR, Role.PUBLISHER, Role.APPROVER])
    db.session.commit()
    assert client.get("/admin/").status_code == 200
    services.set_roles(user, [Role.EDITOR])
    db.session.commit()
    assert is_logged_out(client.get("/admin/"))


def test_disable_ends_sessions_from_the_command_line(app, db, runner, as_user):
    client = as_user("ewa")
    cookie = session_cookie(client)
    assert runner.invoke(args=["users", "disable", "ewa"]).exit_code == 0
    assert is_logged_out(replay(app, cookie).get("/admin/"))
    assert db.session.scalar(select(func.count(UserSession.id))) == 0


def test_password_change_ends_every_other_session(app, db, as_user):
    client = as_user("ewa")
    other = app.test_client()
    assert login(other, "ewa").status_code == 302
    old_cookie = session_cookie(client)
    form = {"old_password": PASSWORD, "new_password": "nowe-haslo-456", "confirm": "nowe-haslo-456"}
    response = post(client, "/admin/password", form, token_from="/admin/password")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200  # the browser that changed it stays in
    assert is_logged_out(other.get("/admin/"))
    assert is_logged_out(replay(app, old_cookie).get("/admin/"))


def test_an_unknown_or_forged_token_opens_nothing(app, db, make_user):
    from flask.sessions import SecureCookieSessionInterface

    user = make_user("ewa")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    for forged in (str(user.id), "x" * 43, "", "\x00", "1" * 500):
        cookie = serializer.dumps({"_user_id": forged, "_fresh": True})
        assert is_logged_out(replay(app, cookie).get("/admin/")), forged


# --- over real HTTP ---------------------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser():
    jar = CookieJar()
    return jar, urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def _open(opener, url, data: dict | None = None) -> tuple[int, dict, str]:
    """(status, headers, body) of one request; redirects are not followed."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        response = opener.open(url, body, timeout=10)
    except urllib.error.HTTPError as exc:  # 3xx and 4xx arrive here without a redirect handler
        response = exc
    with response:
        return response.status, dict(response.headers), response.read().decode()


def _token(opener, url: str) -> str:
    match = TOKEN.search(_open(opener, url)[2])
    return match.group(1) or match.group(2)


def test_log_out_over_real_http_kills_the_replayed_cookie(db, make_user, live_server):
    make_user("ewa")
    base = live_server.url
    jar, browser = _browser()
    form = {"username": "ewa", "password": PASSWORD, "csrf_token": _token(browser, f"{base}/admin/login")}
    status, _, _ = _open(browser, f"{base}/admin/login", form)
    assert status == 302
    captured = next(c.value for c in jar if c.name == "session")
    assert _open(browser, f"{base}/admin/")[0] == 200
    status, headers, _ = _open(browser, f"{base}/admin/logout", {"csrf_token": _token(browser, f"{base}/admin/")})
    assert status == 302 and headers["Location"].endswith("/admin/login")
    replayed = urllib.request.Request(f"{base}/admin/", headers={"Cookie": f"session={captured}"})
    status, headers, _ = _open(urllib.request.build_opener(NoRedirect()), replayed)
    assert status == 302 and "/admin/login" in headers["Location"]


def test_the_back_office_account_screen_ends_sessions_when_it_takes_access_away(app, db, as_user):
    """The administrator's screen calls the same rule as the CLI: fewer roles, no role or disabling ends sessions."""
    admin = as_user("szefowa", [Role.ADMINISTRATOR])
    clients = {"ewa": as_user("ewa", [Role.EDITOR, Role.APPROVER]), "piotr": as_user("piotr", [Role.FRONT_DESK]),
               "olga": as_user("olga", [Role.EDITOR])}  # fmt: skip
    cookies = {name: session_cookie(c) for name, c in clients.items()}
    ids = {name: c.user.id for name, c in clients.items()}

    def screen(path: str, form: dict) -> None:
        assert post(admin, path, form, "/admin/users/").status_code == 302

    screen(f"/admin/users/{ids['ewa']}", {"roles": ["editor"]})  # one role taken away
    assert is_logged_out(replay(app, cookies["ewa"]).get("/admin/"))
    screen(f"/admin/users/{ids['piotr']}", {})  # every role taken away
    assert is_logged_out(replay(app, cookies["piotr"]).get("/admin/bok/kolejki/dzisiaj"))
    screen(f"/admin/users/{ids['olga']}/disable", {})
    assert is_logged_out(replay(app, cookies["olga"]).get("/admin/"))
    assert db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id != admin.user.id)) == 0
    assert admin.get("/admin/users/").status_code == 200  # the administrator's own session goes on
