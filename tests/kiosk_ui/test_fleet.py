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
