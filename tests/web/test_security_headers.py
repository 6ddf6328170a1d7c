"""Security headers on every response, over real HTTP against gunicorn in production mode."""

import http.client
import json
import re

import pytest

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.facts.models import Location
from kiosk.intake import services as intake
from tests.admin.conftest import login
from tests.backoffice import PASSWORD, FreshContextClient

from .gunicorn_server import PUBLIC, Gunicorn


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    base = tmp_path_factory.mktemp("gunicorn")
    instance = Gunicorn(database_url, base / "index").start(base / "gunicorn.log")
    yield instance
    instance.stop()


def fetch(server, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Host": "okienko.example", **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture
def card(db, factory):
    return factory.published_card("dowod-test")


PUBLIC_PATHS = ["/", "/uslugi/dowod-test", "/uslugi/dowod-test/druk", "/uslugi", "/feed.atom", "/sitemap.xml",
                "/robots.txt", "/api/v1/cards", "/api/v1/openapi.json", "/static/web/site.css", "/szukaj?q=dowod",
                "/kiosk/", "/kiosk/uslugi/dowod-test", "/nie-ma-takiej-strony", "/uslugi?page=abc", "/healthz",
                "/readyz", "/admin/login", "/admin/", "/sprawa", "/kiosk/sw.js"]  # fmt: skip


def script_sources(csp: str) -> str:
    return re.search(r"script-src ([^;]*)", csp).group(1)


def test_every_response_carries_the_security_headers(server, card):
    for path in PUBLIC_PATHS:
        status, headers, _ = fetch(server, path)
        assert status < 500 or path == "/readyz", path  # no index was built for this server: 503, headers too
        csp = headers["content-security-policy"]
        assert "'unsafe-inline'" not in script_sources(csp) and "'unsafe-eval'" not in csp, path
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert headers["strict-transport-security"].startswith("max-age=31536000"), path


def test_a_post_error_and_a_forged_host_carry_them_too(server, card):
    status, headers, body = fetch(server, "/kiosk/heartbeat", "POST", {"Content-Type": "application/json"}, b"[1]")
    assert status == 400 and headers["content-type"].startswith("application/json")
    assert headers["x-frame-options"] == "DENY"
    status, headers, _ = fetch(server, "/", headers={"Host": "evil.example"})
    assert status == 400 and headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    status, _, body = fetch(server, "/uslugi/dowod-test", headers={"X-Forwarded-Host": "evil.example"})
    assert status == 200 and b"evil.example" not in body and PUBLIC.encode() in body


@pytest.fixture
def case(db, factory):
    point = Location(slug="bok-stary-rynek", name="BOK", short_name="BOK", address="Płock", is_service_point=True)
    db.session.add(point)
    card = factory.published_card("dowod-osobisty")
    desk = accounts.create_user("okienko", "Pani z okienka", PASSWORD, [Role.FRONT_DESK])
    case = intake.register_application(card, point, desk, channel="written", delivery="pickup", handed_in=(0, 1),
                                       applicant_name="Jan Kowalski", applicant_contact="600 100 200")  # fmt: skip
    db.session.commit()
    return case


def no_store(headers) -> bool:
    headers = {k.lower(): v for k, v in dict(headers).items()}
    cache = {part.strip().lower() for part in headers.get("cache-control", "").split(",")}
    return {"no-store", "private"} <= cache and "public" not in cache and "etag" not in headers


def test_pages_with_personal_data_are_never_stored(server, case):
    paths = ["/admin/login", "/admin/", "/admin/bok/", f"/admin/bok/sprawy/{case.id}/potwierdzenie", "/sprawa",
             f"/sprawa?nr={case.number}&kod={case.code}", "/sprawa?nr=BOK/2026/000001&kod=ABCDEFGH"]  # fmt: skip
    for path in paths:
        status, headers, _ = fetch(server, path)
        assert no_store(headers), (path, status, headers.get("cache-control"))


def test_signed_in_back_office_and_receipts_are_never_stored(app, case):
    app.test_client_class = FreshContextClient
    client = app.test_client()
    assert login(client, "okienko").status_code == 302
    for path in ("/admin/bok/", f"/admin/bok/sprawy/{case.id}", f"/admin/bok/sprawy/{case.id}/potwierdzenie"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert path == "/admin/bok/" or case.number in response.get_data(as_text=True)
        assert no_store(response.headers), (path, response.headers.get("Cache-Control"))
    status = client.get(f"/sprawa?nr={case.number}&kod={case.code}")
    assert status.status_code == 200 and no_store(status.headers)


def test_answers_to_forms_are_never_stored(server, card):
    body = b"message=Zla+godzina&contact=jan%40example.com"
    status, headers, _ = fetch(server, "/uslugi/dowod-test/zgloszenie", "POST",
                               {"Content-Type": "application/x-www-form-urlencoded"}, body)  # fmt: skip
    assert status < 500 and no_store(headers), (status, headers.get("cache-control"))


def test_public_pages_stay_cacheable(server, card):
    status, headers, _ = fetch(server, "/uslugi/dowod-test")
    assert status == 200 and "public" in headers["cache-control"] and "etag" in headers


def test_healthz_and_readyz_over_http(server, card):
    status, headers, body = fetch(server, "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    assert "no-store" in headers["cache-control"]
    status, _, body = fetch(server, "/readyz")
    assert json.loads(body)["checks"]["database"] == "ok"
