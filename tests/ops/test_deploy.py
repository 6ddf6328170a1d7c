"""deploy/: nginx accepts the site, and the site in front of the app caches, compresses and bypasses as documented."""

import gzip
import http.client
import shutil
import subprocess
import time

import pytest

from kiosk.ops.assets import fingerprint
from tests.conftest import PG_URL, REPO

from .conftest import sample
from .nginx import Nginx, Proxy, check_config, free_port, render_site

DEPLOY = REPO / "deploy"
# nginx, systemd and the static files behave the same whatever the database: once, in the SQLite leg.
pytestmark = pytest.mark.skipif(bool(PG_URL), reason="database-independent; runs in the SQLite leg")


def test_nginx_accepts_the_site_file(tmp_path):
    conf = render_site(tmp_path, ["127.0.0.1:9"], free_port(), free_port())
    result = check_config(conf)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.fixture
def proxy(live_server, tmp_path, app):
    https_port = free_port()
    conf = render_site(tmp_path, [f"127.0.0.1:{live_server.server_port}"], https_port, free_port())
    nginx = Nginx(conf, https_port)
    yield Proxy(https_port)
    nginx.stop()


def register_case(db, card):
    from kiosk.accounts import services as accounts
    from kiosk.accounts.models import Role
    from kiosk.facts.models import Location
    from kiosk.intake import services as intake

    point = Location(slug="bok-stary-rynek", name="BOK", short_name="BOK", address="Płock", is_service_point=True)
    db.session.add(point)
    desk = accounts.create_user("okienko", "Pani z okienka", "Hasło-do-testów-2026!", [Role.FRONT_DESK])
    case = intake.register_application(card, point, desk, channel="written", delivery="pickup", handed_in=(0,),
                                       applicant_name="Jan Kowalski", applicant_contact="600 100 200")  # fmt: skip
    db.session.commit()
    return case


def test_public_pages_are_cached_and_revalidated_sessions_and_the_back_office_bypass(proxy, factory, db):
    card = factory.published_card("dowod-osobisty")
    first = proxy.get("/uslugi/dowod-osobisty")
    assert first.status == 200, (first.body[:3000], first.headers)
    assert first.getheader("X-Cache-Status") == "MISS"
    second = proxy.get("/uslugi/dowod-osobisty")
    assert second.getheader("X-Cache-Status") == "HIT" and second.body == first.body
    etag = first.getheader("ETag")
    assert proxy.get("/uslugi/dowod-osobisty", **{"If-None-Match": etag}).status == 304
    with_session = proxy.get("/uslugi/dowod-osobisty", Cookie="session=abc")
    assert with_session.getheader("X-Cache-Status") == "BYPASS"
    # personal data (the back office, case status on the web and at the kiosk) is never looked up in the cache
    # and never stored by anyone
    case = register_case(db, card)
    lookup = f"nr={case.number}&kod={case.code}".replace("/", "%2F")
    for path in (f"/sprawa?{lookup}", f"/kiosk/sprawa?{lookup}", "/admin/login", "/admin/", "/sprawa"):
        answers = [proxy.get(path, Cookie="") for _ in range(2)]
        assert [a.getheader("X-Cache-Status") for a in answers] == [None, None], path
        assert all("no-store" in (a.getheader("Cache-Control") or "") for a in answers), path
    assert case.number in proxy.get(f"/sprawa?{lookup}").body.decode()
    assert "Kowalski" not in proxy.get(f"/sprawa?nr={case.number}".replace("/", "%2F")).body.decode()
    assert proxy.get("/metrics").status == 404  # not even from loopback through the proxy
    assert first.getheader("Strict-Transport-Security") == "max-age=63072000"


def revalidations(client) -> float:
    """How many times the app answered nginx's If-None-Match for the card page with 304 (from /metrics)."""
    text = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)
    return sample(text, "okienko_http_requests_total", method="GET", route="/uslugi/<slug>", status="304")


def fetch_when_fresh(proxy, path: str) -> http.client.HTTPResponse:
    """The first answer nginx does not take from a fresh cache entry (its clock ticks in whole seconds);
    after STALE (served while updating in the background) the next answer is the updated one."""
    deadline = time.monotonic() + 5
    response = proxy.get(path)
    while response.getheader("X-Cache-Status") == "HIT" and time.monotonic() < deadline:
        time.sleep(0.2)
        response = proxy.get(path)
    if response.getheader("X-Cache-Status") in {"STALE", "UPDATING"}:
        time.sleep(0.3)
        response = proxy.get(path)
    return response


def test_the_cache_revalidates_with_the_etag_and_a_publish_replaces_the_page(proxy, factory, app, db, client):
    from kiosk.cards import services

    # nginx keeps the page for s-maxage (one second here), not for the browsers' max-age
    app.config.update(WEB_SHARED_MAX_AGE=1, WEB_SHARED_STALE_SECONDS=1, WEB_MAX_AGE=600)
    card = factory.published_card("dowod-osobisty")
    assert proxy.get("/uslugi/dowod-osobisty").getheader("X-Cache-Status") == "MISS"
    before = revalidations(client)
    unchanged = fetch_when_fresh(proxy, "/uslugi/dowod-osobisty")
    assert unchanged.status == 200 and "Dowód" in unchanged.body.decode()
    assert revalidations(client) == before + 1  # nginx asked with If-None-Match, the app said 304
    editor, approver, publisher = factory.team()
    edition = services.open_draft(card, editor, factory.content(title="Dowód osobisty – nowe wydanie"))
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    services.publish_edition(edition, publisher)
    db.session.commit()
    assert "nowe wydanie" in fetch_when_fresh(proxy, "/uslugi/dowod-osobisty").body.decode()


def test_static_files_are_compressed_and_versioned_ones_kept_for_a_year(proxy, client):
    page = client.get("/").get_data(as_text=True)
    version = fingerprint(str(DEPLOY.parent / "kiosk" / "web" / "static"), "site.css")
    assert f"/static/web/site.css?v={version}" in page
    versioned = proxy.get(f"/static/web/site.css?v={version}", **{"Accept-Encoding": "gzip"})
    assert versioned.status == 200
    assert versioned.getheader("Content-Encoding") == "gzip"
    assert b"{" in gzip.decompress(versioned.body)
    assert versioned.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    plain = proxy.get("/static/web/site.css")
    assert plain.getheader("Cache-Control") == "public, max-age=3600"


def test_the_request_id_from_nginx_reaches_the_app_and_comes_back(proxy):
    response = proxy.get("/robots.txt")
    assert len(response.getheader("X-Request-Id", "")) == 32  # nginx's $request_id, echoed by the app


def test_nginx_drops_idle_app_connections_before_gunicorn_does():
    """Otherwise nginx may send a POST down a connection gunicorn is closing, and a POST is never retried."""
    import re
    import runpy

    upstream = re.search(r"upstream okienko_app \{(.*?)\}", (DEPLOY / "nginx" / "okienko.conf").read_text(), re.S)
    nginx_idle = int(re.search(r"keepalive_timeout (\d+)s;", upstream.group(1)).group(1))
    assert nginx_idle < runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["keepalive"]


def test_systemd_units_are_valid(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    units = sorted((DEPLOY / "systemd").glob("okienko*"))
    assert {u.suffix for u in units} == {".service", ".timer"} and len(units) == 16
    for unit in units:  # the release lives in /opt/okienko; here it is this checkout
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/okienko", str(REPO)))
    copies = [str(tmp_path / u.name) for u in units]
    result = subprocess.run([analyze, "verify", "--man=no", *copies], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    for timer in (u for u in units if u.suffix == ".timer"):
        assert (DEPLOY / "systemd" / f"{timer.stem}.service").exists()
