"""Log-in, rate limit, log-out, password change, cookies and the `flask users` commands."""

from datetime import timedelta

from sqlalchemy import select

from kiosk.accounts import services
from kiosk.accounts.models import Role, User
from kiosk.clock import frozen, now
from kiosk.ratelimit import Attempt

from .conftest import PASSWORD, csrf_token, login, post


def test_log_in_with_the_right_password_only(app, make_user):
    user = make_user("ewa")
    assert user.password_hash.startswith("$argon2id$")
    client = app.test_client()
    bad = login(client, "ewa", "zle-haslo-123")
    assert bad.status_code == 401 and "Nieprawidłowa nazwa użytkownika lub hasło" in bad.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    ok = login(client, "EWA")
    assert ok.status_code == 302 and ok.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_next_parameter_stays_inside_the_back_office(app, make_user):
    make_user("ewa")
    client = app.test_client()
    token = csrf_token(client)
    data = {"username": "ewa", "password": PASSWORD, "csrf_token": token}
    assert client.post("/admin/login?next=https://evil.test/", data=data).headers["Location"] == "/admin/"
    client = app.test_client()
    data["csrf_token"] = csrf_token(client)
    assert client.post("/admin/login?next=/admin/cards/", data=data).headers["Location"] == "/admin/cards/"


def test_session_cookie_is_httponly_and_lax(app, make_user):
    make_user("ewa")
    cookie = login(app.test_client(), "ewa").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is False  # plain HTTP in tests; KIOSK_HTTPS=1 / production sets it


def test_secure_cookie_when_served_over_https(monkeypatch, tmp_path):
    from kiosk.settings import load_settings

    monkeypatch.setenv("KIOSK_HTTPS", "1")
    assert load_settings(tmp_path)["SESSION_COOKIE_SECURE"] is True


def test_failures_lock_the_source_never_the_victim(app, db, make_user):
    """An attacker failing on purpose for someone else's account locks out only their own address."""
    make_user("ewa")
    attacker = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert login(attacker, "ewa", "zle-haslo-123", address="10.6.6.6").status_code == 401
    locked = login(attacker, "ewa", address="10.6.6.6")  # even the right password is refused from there
    assert locked.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania" in locked.get_data(as_text=True)
    # The real person at their own desk gets in, and so from a fresh address (the count is in the database).
    assert login(app.test_client(), "ewa", address="10.0.0.9").status_code == 302
    assert login(app.test_client(), "ewa", address="10.0.0.10").status_code == 302
    assert login(app.test_client(), "ewa", address="10.6.6.6").status_code == 429
    with frozen(now() + timedelta(minutes=app.config["LOGIN_WINDOW_MINUTES"] + 1)):
        assert login(app.test_client(), "ewa", address="10.6.6.6").status_code == 302


def test_the_lock_names_the_configured_window_declined(app, db, make_user):
    make_user("ewa")
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 1
    for minutes, words in ((1, "za 1 minutę "), (22, "za 22 minuty "), (25, "za 25 minut ")):
        app.config["LOGIN_WINDOW_MINUTES"] = minutes
        login(app.test_client(), "ewa", "zle-haslo-123", address=f"10.6.6.{minutes}")
        locked = login(app.test_client(), "ewa", address=f"10.6.6.{minutes}")
        assert locked.status_code == 429 and words in locked.get_data(as_text=True)


def test_a_success_clears_the_pair_but_not_the_address(app, db, make_user):
    make_user("ewa")
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    client = app.test_client()
    for _ in range(3):
        login(client, "ewa", "zle-haslo-123", address="10.2.2.2")
    assert login(app.test_client(), "ewa", address="10.2.2.2").status_code == 302  # forgot, then remembered
    login(app.test_client(), "nikt", "zle-haslo-123", address="10.2.2.2")  # the address's fourth failure
    assert login(app.test_client(), "ewa", address="10.2.2.2").status_code == 429


def test_address_is_locked_after_failures_across_accounts(app, db, make_user):
    make_user("ewa")
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    client = app.test_client()
    for name in ("a1", "a2", "a3"):
        login(client, name, "cokolwiek-123", address="10.1.1.1")
    assert login(client, "ewa", address="10.1.1.1").status_code == 429
    assert login(app.test_client(), "ewa", address="10.1.1.2").status_code == 302
    row = db.session.scalar(select(Attempt).where(Attempt.subject == "a1"))
    assert row.scope == "login" and row.success is False and "10.1.1.1" not in row.source


def test_staff_unlock_a_source_from_the_command_line_and_the_screen(app, db, runner, make_user, as_user):
    make_user("ewa")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(app.test_client(), "ewa", "zle-haslo-123", address="10.3.3.3")
    assert login(app.test_client(), "ewa", address="10.3.3.3").status_code == 429
    result = runner.invoke(args=["users", "unlock", "ewa"])
    assert result.exit_code == 0 and "usunięto nieudane próby logowania: 5" in result.output, result.output
    assert login(app.test_client(), "ewa", address="10.3.3.3").status_code == 302
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 2
    for name in ("x1", "x2"):
        login(app.test_client(), name, "zle-haslo-123", address="10.4.4.4")
    assert login(app.test_client(), "ewa", address="10.4.4.4").status_code == 429
    assert runner.invoke(args=["users", "unlock", "--address", "10.4.4.4"]).exit_code == 0
    assert login(app.test_client(), "ewa", address="10.4.4.4").status_code == 302
    assert runner.invoke(args=["users", "unlock"]).exit_code == 2
    assert "Nie ma użytkownika" in runner.invoke(args=["users", "unlock", "nikt"]).output
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(app.test_client(), "ewa", "zle-haslo-123", address="10.5.5.5")
    admin = as_user("admin", [Role.ADMINISTRATOR])
    ewa = db.session.scalar(select(User).where(User.username == "ewa"))
    response = post(admin, f"/admin/users/{ewa.id}/unlock", token_from="/admin/users/", follow_redirects=True)
    assert "Logowanie na konto ewa odblokowane" in response.get_data(as_text=True)
    assert login(app.test_client(), "ewa", address="10.5.5.5").status_code == 302


def test_disabled_account_cannot_log_in_and_loses_its_session(app, db, make_user, as_user):
    client = as_user("ewa")
    user = db.session.scalar(select(User).where(User.username == "ewa"))
    services.disable_user(user)
    db.session.commit()
    assert client.get("/admin/").status_code == 302
    assert login(app.test_client(), "ewa").status_code == 401


def test_log_out_needs_post_with_token(app, as_user):
    client = as_user("ewa")
    assert client.get("/admin/logout").status_code == 405
    assert client.post("/admin/logout").status_code == 400  # no CSRF token
    assert post(client, "/admin/logout").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_change_own_password(app, db, as_user):
    client = as_user("ewa")
    form = {"old_password": "zle", "new_password": "nowe-haslo-456", "confirm": "nowe-haslo-456"}
    wrong = post(client, "/admin/password", form, token_from="/admin/password")
    assert "Obecne hasło jest nieprawidłowe" in wrong.get_data(as_text=True)
    short = post(client, "/admin/password", {**form, "old_password": PASSWORD, "new_password": "krotkie",
                                              "confirm": "krotkie"}, token_from="/admin/password")  # fmt: skip
    assert "co najmniej 10 znaków" in short.get_data(as_text=True)
    mismatch = post(client, "/admin/password", {**form, "old_password": PASSWORD, "confirm": "inne"},
                    token_from="/admin/password")  # fmt: skip
    assert "Hasła się różnią" in mismatch.get_data(as_text=True)
    ok = post(client, "/admin/password", {**form, "old_password": PASSWORD}, token_from="/admin/password")
    assert ok.status_code == 302
    assert login(app.test_client(), "ewa").status_code == 401
    assert login(app.test_client(), "ewa", "nowe-haslo-456").status_code == 302


def test_administrator_manages_accounts(app, db, factory, as_user):
    dept = factory.facts()["department"]
    db.session.commit()
    admin = as_user("admin", [Role.ADMINISTRATOR])
    data = {"username": "nowy", "display_name": "Nowy Redaktor", "email": "", "password": "krotkie",
            "roles": ["editor", "approver"], "departments": [str(dept.id)]}  # fmt: skip
    short = post(admin, "/admin/users/", data, token_from="/admin/users/")
    assert "co najmniej 10 znaków" in short.get_data(as_text=True)
    assert (
        post(admin, "/admin/users/", {**data, "password": "dobre-haslo-1"}, token_from="/admin/users/").status_code
        == 302
    )
    user = db.session.scalar(select(User).where(User.username == "nowy"))
    assert user.roles == {Role.EDITOR, Role.APPROVER} and [d.slug for d in user.departments] == [dept.slug]
    post(admin, f"/admin/users/{user.id}", {"roles": ["publisher"]}, token_from="/admin/users/")
    db.session.expire_all()
    assert user.roles == {Role.PUBLISHER} and user.departments == []
    post(admin, f"/admin/users/{user.id}/disable", token_from="/admin/users/")
    db.session.expire_all()
    assert user.active is False
    own = post(admin, f"/admin/users/{admin.user.id}/disable", token_from="/admin/users/", follow_redirects=True)
    assert "Nie możesz wyłączyć własnego konta" in own.get_data(as_text=True)


def test_users_cli(app, db, runner, factory):
    factory.facts()
    db.session.commit()
    result = runner.invoke(args=["users", "create", "szef", "--name", "Jan Szef", "--role", "administrator",
                                 "--role", "editor", "--department", "wydzial-testowy",
                                 "--password", "bardzo-tajne-1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["users", "create", "szef", "--password", "bardzo-tajne-1"]).exit_code == 1
    assert "już istnieje" in runner.invoke(args=["users", "create", "szef", "--password", "x" * 12]).output
    assert runner.invoke(args=["users", "set-roles", "szef", "publisher", "approver"]).exit_code == 0
    assert runner.invoke(args=["users", "set-roles", "szef", "wizard"]).exit_code == 2
    assert runner.invoke(args=["users", "disable", "szef"]).exit_code == 0
    assert "Nie ma użytkownika" in runner.invoke(args=["users", "disable", "nikt"]).output
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "szef"))
    assert user.roles == {Role.PUBLISHER, Role.APPROVER} and user.active is False
    assert [d.slug for d in user.departments] == ["wydzial-testowy"]


def test_log_in_never_sends_anyone_off_the_back_office(app, make_user):
    """`next` is a back-office path or nothing: no other site, no header injection, no 500."""
    from urllib.parse import quote

    make_user("ewa")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    for target in ["/admin\r\nSet-Cookie: x=1", "/admin/\t/evil.example", "//evil.example/admin", "/\\evil.example",
                   "https://evil.example/admin", "/admin/cards/"]:  # fmt: skip
        client = app.test_client()
        data = {"username": "ewa", "password": PASSWORD, "csrf_token": csrf_token(client)}
        response = client.post(f"/admin/login?next={quote(target)}", data=data)
        assert response.status_code == 302, (target, response.status_code)
        location = response.headers["Location"]
        assert location in ("/admin/", "/admin/cards/") and "evil" not in location, (target, location)
