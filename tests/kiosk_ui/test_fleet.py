"""The kiosk fleet in the back office: administrators only; register a kiosk; silent and behind flags."""

import re

from kiosk.accounts.models import Role

from ..admin import conftest as admin

csrf_token, login = admin.csrf_token, admin.login
fresh_context_client, make_user = admin.fresh_context_client, admin.make_user  # the back office's fixtures


def test_fleet_needs_an_administrator(catalogue, client, make_user):
    assert client.get("/admin/kioski/").status_code == 302
    make_user("redaktor", roles=[Role.EDITOR])
    login(client, "redaktor")
    assert client.get("/admin/kioski/").status_code == 403


def test_administrator_registers_a_kiosk_and_sees_flags(catalogue, client, make_user):
    make_user("admin", roles=[Role.ADMINISTRATOR])
    login(client, "admin")
    html = client.get("/admin/kioski/").get_data(as_text=True)
    assert "bok-1" in html and "milczy" in html
    token = csrf_token(client, "/admin/kioski/")
    response = client.post("/admin/kioski/", data={"code": "miodowa-1", "name": "Miodowa", "location": "0",
                                                   "csrf_token": token}, follow_redirects=True)  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "miodowa-1" in html
    assert re.search(r"/kiosk/\?k=miodowa-1&amp;t=[\w-]+", html)


def _audit(action: str) -> list:
    from sqlalchemy import select

    from kiosk.audit import AuditRecord
    from kiosk.extensions import db

    return db.session.scalars(select(AuditRecord).where(AuditRecord.action == action)).all()


def test_administrator_edits_a_kiosk(catalogue, client, make_user, db):
    make_user("admin", roles=[Role.ADMINISTRATOR])
    login(client, "admin")
    html = client.get("/admin/kioski/").get_data(as_text=True)
    assert 'href="/admin/kioski/bok-1"' in html
    token = csrf_token(client, "/admin/kioski/bok-1")
    response = client.post("/admin/kioski/bok-1", data={"name": "BOK – parter", "location": "0", "csrf_token": token})
    assert response.status_code == 302
    kiosk = catalogue["kiosk"]
    db.session.refresh(kiosk)
    assert kiosk.name == "BOK – parter" and kiosk.location is None and not kiosk.has_printer
    [row] = _audit("edit_kiosk")
    assert row.actor_name and row.detail["changed"]["name"] == ["BOK – hol", "BOK – parter"]
    token = csrf_token(client, "/admin/kioski/bok-1")
    html = client.post("/admin/kioski/bok-1", data={"name": "  ", "location": "0", "csrf_token": token}).get_data(
        as_text=True
    )
    assert "Podaj nazwę kiosku" in html
    assert client.get("/admin/kioski/nie-ma").status_code == 404


def test_reissued_token_replaces_the_old_one(catalogue, client, make_user, db):
    make_user("admin", roles=[Role.ADMINISTRATOR])
    login(client, "admin")
    token = csrf_token(client, "/admin/kioski/bok-1")
    assert client.post("/admin/kioski/bok-1/token").status_code == 400  # no CSRF token, no new token
    html = client.post("/admin/kioski/bok-1/token", data={"csrf_token": token}, follow_redirects=True).get_data(
        as_text=True
    )
    new = re.search(r"/kiosk/\?k=bok-1&amp;t=([\w-]+)", html).group(1)
    assert new != catalogue["token"] and len(_audit("reissue_kiosk_token")) == 1
    beat = {"kiosk": "bok-1", "version": 1}
    assert client.post("/kiosk/heartbeat", json=beat, headers={"X-Kiosk-Token": catalogue["token"]}).status_code == 403
    assert client.post("/kiosk/heartbeat", json=beat, headers={"X-Kiosk-Token": new}).status_code == 200


def test_retired_kiosk_stops_working_and_cannot_be_changed(catalogue, client, make_user, db):
    make_user("admin", roles=[Role.ADMINISTRATOR])
    login(client, "admin")
    token = csrf_token(client, "/admin/kioski/bok-1")
    response = client.post("/admin/kioski/bok-1/wycofaj", data={"reason": "Wymiana ekranu", "csrf_token": token})
    assert response.status_code == 302
    [row] = _audit("retire_kiosk")
    assert row.comment == "Wymiana ekranu"
    html = client.get("/admin/kioski/").get_data(as_text=True)
    assert "wycofany" in html and 'href="/admin/kioski/bok-1"' not in html
    beat = {"kiosk": "bok-1", "version": 1}
    assert client.post("/kiosk/heartbeat", json=beat, headers={"X-Kiosk-Token": catalogue["token"]}).status_code == 404
    html = client.get("/kiosk/?k=bok-1").get_data(as_text=True)
    assert "Sprawy załatwiane w tym punkcie" not in html  # the screen no longer knows the retired kiosk's point
    token = csrf_token(client, "/admin/kioski/")
    html = client.post("/admin/kioski/bok-1/token", data={"csrf_token": token}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "nie można go już zmieniać" in html and len(_audit("reissue_kiosk_token")) == 0


def test_only_administrators_change_the_fleet(catalogue, client, make_user):
    make_user("redaktor", roles=[Role.EDITOR])
    login(client, "redaktor")
    for path in ("/admin/kioski/bok-1", "/admin/kioski/bok-1/wycofaj", "/admin/kioski/bok-1/token"):
        assert client.post(path, data={"name": "x"}).status_code in (400, 403)
    assert client.get("/admin/kioski/bok-1").status_code == 403
