"""Absolute URLs come from KIOSK_PUBLIC_URL; a forged Host or X-Forwarded-Host reaches no page and no cache."""

import re
from xml.etree import ElementTree

import pytest

from kiosk import create_app
from kiosk.settings import load_settings

EVIL = "evil.example"
FORGED = [{"Host": EVIL}, {"X-Forwarded-Host": EVIL}, {"Host": EVIL, "X-Forwarded-Host": EVIL},
          {"Host": f"okienko.plock.eu@{EVIL}"}, {"Forwarded": f"host={EVIL}"}]  # fmt: skip
PUBLIC = "https://okienko.plock.eu"


@pytest.fixture
def public_app(app):
    app.config["KIOSK_PUBLIC_URL"] = PUBLIC
    return app


@pytest.fixture
def card(db, factory):
    return factory.published_card("dowod-test")


PAGES = ["/uslugi/dowod-test", "/uslugi/dowod-test/druk", "/sitemap.xml", "/feed.atom", "/robots.txt",
         "/api/v1/cards", "/api/v1/cards/dowod-test", "/api/v1/openapi.json", "/deklaracja-dostepnosci"]  # fmt: skip


@pytest.mark.parametrize("headers", FORGED)
def test_forged_host_never_reaches_a_page(public_app, card, client, headers):
    for path in PAGES:
        response = client.get(path, headers=headers)
        text = response.get_data(as_text=True)
        assert response.status_code == 200, (path, text[:300])
        assert EVIL not in text, path
        assert PUBLIC in text, path


def test_kiosk_qr_codes_carry_the_public_address(public_app, card, client):
    import segno  # noqa: F401  (the QR image encodes the URL; we read the link it was made from)

    from kiosk.kiosk_ui import qr

    with public_app.test_request_context("/kiosk/uslugi/dowod-test/qr.svg", headers={"Host": EVIL}):
        assert qr.public_url("web.card", slug="dowod-test") == f"{PUBLIC}/uslugi/dowod-test"
    response = client.get("/kiosk/uslugi/dowod-test/qr.svg", headers={"Host": EVIL})
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_a_poisoned_request_does_not_poison_the_page_cache(public_app, card, client):
    poisoned = client.get("/uslugi/dowod-test", headers={"Host": EVIL, "X-Forwarded-Host": EVIL})
    clean = client.get("/uslugi/dowod-test")
    assert poisoned.headers["ETag"] == clean.headers["ETag"]  # same cache entry, served to everyone
    for response in (poisoned, clean):
        html = response.get_data(as_text=True)
        assert EVIL not in html
        assert re.search(rf'<link rel="canonical" href="{PUBLIC}/uslugi/dowod-test">', html)
    feed = client.get("/feed.atom", headers={"Host": EVIL}).data
    assert EVIL.encode() not in client.get("/feed.atom").data and EVIL.encode() not in feed
    urls = ElementTree.fromstring(client.get("/sitemap.xml").data)
    assert all(
        loc.text.startswith(PUBLIC + "/") for loc in urls.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    )


def test_json_ld_and_print_header_use_the_public_address(public_app, card, client):
    html = client.get("/uslugi/dowod-test", headers={"Host": EVIL}).get_data(as_text=True)
    assert f'"@id": "{PUBLIC}/uslugi/dowod-test"' in html or f'"@id":"{PUBLIC}/uslugi/dowod-test"' in html
    printed = client.get("/uslugi/dowod-test/druk", headers={"Host": EVIL}).get_data(as_text=True)
    assert f"{PUBLIC}/uslugi/dowod-test" in printed and EVIL not in printed


@pytest.fixture
def guarded_app(database_url, tmp_path):
    trusted = ["okienko.plock.eu", ".kiosk.local"]
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "KIOSK_PUBLIC_URL": PUBLIC,
                       "KIOSK_INDEX_DIR": str(tmp_path / "i"), "KIOSK_TRUSTED_HOSTS": trusted})  # fmt: skip


@pytest.mark.parametrize("host", [EVIL, "okienko.plock.eu.evil.example", "", "okienko.plock.eu@evil.example",
                                  "okienko.plock.eu:99999", "xn--zzz", "127.0.0.1"])  # fmt: skip
def test_untrusted_hosts_get_a_400(guarded_app, host):
    response = guarded_app.test_client().get("/", headers={"Host": host})
    assert response.status_code == 400
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("host", ["okienko.plock.eu", "OKIENKO.plock.eu:443", "bok-1.kiosk.local:8000"])
def test_trusted_hosts_are_served(guarded_app, host):
    with guarded_app.app_context():
        assert guarded_app.test_client().get("/healthz", headers={"Host": host}).status_code == 200


def test_production_requires_a_public_https_address(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_ENV", "production")
    monkeypatch.setenv("KIOSK_SECRET_KEY", "x" * 40)
    monkeypatch.delenv("KIOSK_PUBLIC_URL", raising=False)
    monkeypatch.delenv("KIOSK_TRUSTED_HOSTS", raising=False)
    with pytest.raises(RuntimeError, match="KIOSK_PUBLIC_URL"):
        load_settings(tmp_path)
    monkeypatch.setenv("KIOSK_PUBLIC_URL", "http://okienko.plock.eu")
    with pytest.raises(RuntimeError, match="https"):
        load_settings(tmp_path)
    monkeypatch.setenv("KIOSK_PUBLIC_URL", "https://Okienko.plock.eu/")
    settings = load_settings(tmp_path)
    assert settings["KIOSK_PUBLIC_URL"] == "https://okienko.plock.eu"
    assert settings["KIOSK_TRUSTED_HOSTS"][0] == "okienko.plock.eu" and settings["KIOSK_HSTS"] is True


@pytest.mark.parametrize("raw", ["okienko.plock.eu", "javascript:alert(1)", "https://", "https://x/?q=1",
                                 "https://user@x", "ftp://x"])  # fmt: skip
def test_a_malformed_public_address_is_refused_at_start(tmp_path, monkeypatch, raw):
    monkeypatch.setenv("KIOSK_PUBLIC_URL", raw)
    with pytest.raises(RuntimeError, match="KIOSK_PUBLIC_URL"):
        load_settings(tmp_path)


def test_development_default_needs_nothing(tmp_path, monkeypatch):
    for name in ("KIOSK_PUBLIC_URL", "KIOSK_ENV", "KIOSK_TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(tmp_path)
    assert settings["KIOSK_PUBLIC_URL"] == "http://localhost:5000" and settings["KIOSK_TRUSTED_HOSTS"] == []


@pytest.mark.parametrize("headers", FORGED)
def test_hreflang_alternates_of_a_translated_card_use_the_public_address(public_app, db, factory, client, headers):
    from kiosk.accounts.models import Role
    from kiosk.cards import translations as tr

    editor, approver, publisher = factory.team()
    card = factory.published_card("dowod-przetlumaczony", team=(editor, approver, publisher))
    translator = factory.user("tlumacz", roles=[Role.EDITOR])
    draft = tr.write_translation(card, "uk", {"title": "Посвідчення особи"}, translator)
    tr.submit_translation(draft, translator)
    tr.approve_translation(draft, approver)
    tr.publish_translation(draft, publisher)
    db.session.commit()
    for path in ("/uslugi/dowod-przetlumaczony?lang=uk", "/uslugi/dowod-przetlumaczony", "/sitemap.xml"):
        text = client.get(path, headers=headers).get_data(as_text=True)
        assert EVIL not in text, path
        assert f'hreflang="uk" href="{PUBLIC}/uslugi/dowod-przetlumaczony?lang=uk"' in text, path
