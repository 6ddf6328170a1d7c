"""Kiosk rules without a browser: registry, heartbeat, fleet flags, where to settle, and the screens' HTML."""

from datetime import datetime, timedelta

import pytest

from kiosk.cards.models import CardChange
from kiosk.clock import frozen, now
from kiosk.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from kiosk.kiosk_ui import qr, services


def test_register_kiosk_validates_and_refuses_duplicates(catalogue, db):
    with pytest.raises(ValidationError):
        services.register_kiosk("Zły kod!", "X", None)
    with pytest.raises(ValidationError):
        services.register_kiosk("bok-2", " ", None)
    with pytest.raises(ConflictError):
        services.register_kiosk("bok-1", "Drugi", None)


def test_heartbeat_needs_the_kiosk_token(catalogue, db):
    with pytest.raises(PermissionDenied):
        services.record_heartbeat("bok-1", "wrong", 1)
    with pytest.raises(NotFound):
        services.record_heartbeat("nope", catalogue["token"], 1)
    kiosk = services.record_heartbeat("bok-1", catalogue["token"], 7, "x" * 900)
    assert kiosk.content_version == 7 and len(kiosk.last_error) == services.MAX_ERROR
    assert kiosk.last_heartbeat_at is not None


def test_fleet_flags_silent_and_behind(catalogue, db):
    version = services.content_version()
    assert version == db.session.query(db.func.max(CardChange.id)).scalar() > 0
    [row] = services.fleet_status()
    assert row.silent and not row.behind  # never reported; the changes it lacks are minutes old
    services.record_heartbeat("bok-1", catalogue["token"], version)
    [row] = services.fleet_status()
    assert not row.silent and not row.behind
    services.record_heartbeat("bok-1", catalogue["token"], version - 1)
    assert not services.fleet_status()[0].behind  # the missing change is new: give it time
    with frozen(now() + timedelta(minutes=30)):
        [row] = services.fleet_status()
    assert row.silent and row.behind


def test_place_matter_here_or_elsewhere(catalogue):
    kiosk = catalogue["kiosk"]
    dowod = catalogue["cards"]["dowod"].live_edition
    auto = catalogue["cards"]["auto"].live_edition
    here = services.place_matter(dowod, kiosk)
    assert here.here.room == "pokój 12" and here.elsewhere == []
    away = services.place_matter(auto, kiosk)
    assert away.here is None and away.elsewhere[0].location.slug == "pilsudskiego-6"
    nowhere = services.place_matter(dowod, None)
    assert nowhere.here is None and len(nowhere.elsewhere) == 1


def test_card_screen_says_settle_here_or_go_to(catalogue, client):
    html = client.get("/kiosk/uslugi/dowod-osobisty-wydanie?k=bok-1").get_data(as_text=True)
    assert "Załatwisz to tutaj" in html and "pokój 12, okienko 3" in html
    assert "Wydrukuj kartę" in html  # this kiosk has a printer
    html = client.get("/kiosk/uslugi/rejestracja-pojazdu?k=bok-1").get_data(as_text=True)
    assert "Idź do:" in html and "al. marsz. J. Piłsudskiego 6" in html and "180,50\u00a0zł" in html


def test_kiosk_id_is_remembered_from_the_start_url(catalogue, client):
    response = client.get("/kiosk/?k=bok-1")
    assert "kiosk_id=bok-1" in response.headers["Set-Cookie"]
    html = client.get("/kiosk/uslugi/dowod-osobisty-wydanie").get_data(as_text=True)
    assert "Załatwisz to tutaj" in html


def test_qr_codes_are_svg(catalogue, client):
    response = client.get("/kiosk/uslugi/dowod-osobisty-wydanie/qr.svg")
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data
    assert client.get("/kiosk/uslugi/dowod-osobisty-wydanie/lista.svg?ok=0.1").status_code == 200
    assert client.get("/kiosk/qr.svg?u=javascript:alert(1)").status_code == 400
    assert client.get("/kiosk/uslugi/nie-ma/qr.svg").status_code == 404
    assert qr.parse_ticks("2.0.x") == [] and qr.parse_ticks("2.0") == [0, 2]


def test_checklist_page_for_the_phone(catalogue, client):
    html = client.get("/kiosk/uslugi/dowod-osobisty-wydanie/lista?ok=1").get_data(as_text=True)
    assert 'id="doc-1" checked' in html and 'id="doc-0" checked' not in html


def test_errors_are_friendly_kiosk_screens(catalogue, client):
    response = client.get("/kiosk/uslugi/nie-ma?k=bok-1")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Ekran startowy" in html and 'data-screen="error"' in html


def test_heartbeat_endpoint(catalogue, client, db):
    body = {"kiosk": "bok-1", "version": 3, "error": "boom"}
    assert client.post("/kiosk/heartbeat", json=body).status_code == 403
    response = client.post("/kiosk/heartbeat", json=body, headers={"X-Kiosk-Token": catalogue["token"]})
    assert response.status_code == 200 and response.json["version"] == services.content_version()
    db.session.expire_all()
    assert services.find_kiosk("bok-1").last_error == "boom"


def test_offline_data_and_service_worker(catalogue, client):
    data = client.get("/kiosk/dane.json").json
    assert {c["slug"] for c in data["cards"]} == {"dowod-osobisty-wydanie", "rejestracja-pojazdu",
                                                  "zameldowanie-pobyt-staly"}  # fmt: skip
    sw = client.get("/kiosk/sw.js?k=bok-1&lang=pl")
    assert sw.mimetype == "text/javascript" and b"caches.open" in sw.data


def test_languages(catalogue, client):
    html = client.get("/kiosk/?k=bok-1&lang=en").get_data(as_text=True)
    assert 'lang="en"' in html and "Find your matter" in html
    html = client.get("/kiosk/?k=bok-1&lang=uk").get_data(as_text=True)
    assert "Знайдіть свою справу" in html


def test_a_crash_is_a_friendly_screen_not_a_trace(catalogue, client, monkeypatch):
    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "place_matter", broken)
    response = client.get("/kiosk/uslugi/dowod-osobisty-wydanie?k=bok-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Spróbuj ponownie" in html and "RuntimeError" not in html


def test_kiosk_card_offers_the_feedback_form_as_a_qr_code(db, factory, client):
    factory.published_card("dowod-kiosk")
    html = client.get("/kiosk/uslugi/dowod-kiosk").get_data(as_text=True)
    assert "/kiosk/uslugi/dowod-kiosk/zgloszenie.svg" in html
    svg = client.get("/kiosk/uslugi/dowod-kiosk/zgloszenie.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert client.get("/kiosk/uslugi/nie-ma/zgloszenie.svg").status_code == 404


def test_edit_retire_and_reissue_are_rules_not_forms(catalogue, db, factory):
    kiosk, old = catalogue["kiosk"], catalogue["token"]
    office = factory.facts()["location"]
    with pytest.raises(ValidationError):
        services.edit_kiosk(kiosk, "", None, False, None)
    not_a_point = type(office)(slug="archiwum", name="Archiwum", address="x", is_service_point=False)
    with pytest.raises(ValidationError):
        services.edit_kiosk(kiosk, "BOK", not_a_point, False, None)
    services.edit_kiosk(kiosk, "BOK – parter", office, False, None)
    assert kiosk.name == "BOK – parter" and not kiosk.has_printer
    new = services.reissue_kiosk_token(kiosk, None)
    with pytest.raises(PermissionDenied):
        services.record_heartbeat("bok-1", old, 1)
    services.record_heartbeat("bok-1", new, 1)
    services.retire_kiosk(kiosk, None, "zepsuty")
    assert services.find_kiosk("bok-1") is None and services.get_kiosk("bok-1") is kiosk
    with pytest.raises(NotFound):
        services.record_heartbeat("bok-1", new, 1)
    with pytest.raises(ValidationError):
        services.edit_kiosk(kiosk, "X", None, False, None)
    with pytest.raises(ValidationError):
        services.reissue_kiosk_token(kiosk, None)
    with pytest.raises(ValidationError):
        services.retire_kiosk(kiosk, None)
    [row] = services.fleet_status()
    assert not row.silent and not row.behind
    with pytest.raises(ConflictError):  # a retired id is not handed out again: old start URLs must not come back
        services.register_kiosk("bok-1", "Nowy", None)


def test_suggestions_forgive_typos_like_the_full_search(catalogue, client):
    assert services.suggest_cards("dowud")[0]["slug"] == "dowod-osobisty-wydanie"
    assert services.suggest_cards("rejestr")[0]["slug"] == "rejestracja-pojazdu"  # completions still come first
    response = client.get("/kiosk/podpowiedzi?q=dowud")
    assert response.status_code == 200 and response.json["completions"][0]["slug"] == "dowod-osobisty-wydanie"
    assert response.cache_control.no_store
    assert client.get("/kiosk/podpowiedzi", query_string={"q": "x" * 5000}).status_code < 500
    for hostile in ("", "a", "x" * 300, "\x00\x01<script>", "zzzzqqqq"):
        assert client.get("/kiosk/podpowiedzi", query_string={"q": hostile, "limit": "-3"}).json["completions"] == []


def test_case_status_at_the_kiosk_uses_the_rate_limited_lookup(case, client, app, db):
    from kiosk.ratelimit import Attempt

    number, code = case
    html = client.get("/kiosk/?k=bok-1").get_data(as_text=True)
    assert "/kiosk/sprawa?k=bok-1" in html
    html = client.get("/kiosk/sprawa?k=bok-1").get_data(as_text=True)
    assert 'data-key="BOK/"' in html and 'data-key="/"' in html and 'id="kod"' in html
    response = client.get("/kiosk/sprawa", query_string={"k": "bok-1", "nr": number.lower(), "kod": code})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and number in html and "Wydanie dowodu osobistego" in html
    assert "Kowalski" not in html and "600 100 200" not in html and code not in html  # nothing personal, no code
    assert response.cache_control.no_store
    response = client.get("/kiosk/sprawa", query_string={"k": "bok-1", "nr": number, "kod": "ZLYKOD12"})
    assert response.status_code == 404 and "Nie znaleźliśmy sprawy" in response.get_data(as_text=True)
    app.config["INTAKE_LOOKUP_MAX_PER_NUMBER"] = 2
    client.get("/kiosk/sprawa", query_string={"nr": number, "kod": "X"})
    response = client.get("/kiosk/sprawa", query_string={"nr": number, "kod": code})  # locked even when right
    assert response.status_code == 429 and "Zbyt wiele nieudanych prób" in response.get_data(as_text=True)
    assert db.session.query(Attempt).filter_by(scope="status", success=False).count() == 2  # as /sprawa
    response = client.get("/kiosk/sprawa", query_string={"nr": "\x00" * 99, "kod": "<b>"})
    assert response.status_code in (400, 404, 429) and "<b>" not in response.get_data(as_text=True)


def test_print_slip_names_every_point_with_todays_hours(catalogue, client):
    with frozen(datetime(2026, 11, 30, 10, 0)):  # a Monday
        html = client.get("/kiosk/uslugi/zameldowanie-pobyt-staly/druk?k=bok-1").get_data(as_text=True)
    assert "Urząd Miasta Płocka" in html and "tel. 24 364 55 55" in html
    assert "Stanowiska Obsługi Klienta, al. Piłsudskiego 6" in html and "Dziś: 08:00–15:00" in html
    assert catalogue["kiosk"].location.name in html and "Dziś: 00:00–23:59" in html
    assert "Teraz zamknięte" not in html and "Otwarte teraz" not in html


def test_keyboard_layouts_and_offline_screens(catalogue, client):
    html = client.get("/kiosk/?k=bok-1&lang=uk").get_data(as_text=True)
    assert 'class="layout" data-layout="uk" lang="uk"' in html and 'data-key="й"' in html
    assert 'class="layout off" data-layout="pl"' in html and 'data-key="7"' in html
    html = client.get("/kiosk/?k=bok-1&lang=pl").get_data(as_text=True)
    assert 'class="layout" data-layout="pl"' in html
    data = client.get("/kiosk/dane.json").json
    assert data["categories"] == ["dokumenty"] or "dokumenty" in data["categories"]
    assert catalogue["situation"].slug in data["situations"]
    sw = client.get("/kiosk/sw.js?k=bok-1&lang=pl").get_data(as_text=True)
    assert '"/kiosk/tutaj"' in sw and '"/kiosk/sprawa"' in sw and '["pl", "en", "uk"]' in sw


def test_new_screens_are_translated(catalogue, client):
    html = client.get("/kiosk/sprawa?k=bok-1&lang=en").get_data(as_text=True)
    assert "Check the status of your case" in html and "No connection – showing information from" in html
    html = client.get("/kiosk/?k=bok-1&lang=uk").get_data(as_text=True)
    assert "показуємо дані станом на" in html and "Українські літери" in html
    assert "Перевірте статус своєї справи" in html


def test_kiosk_screens_stay_light(catalogue, client):
    """docs/benchmarks.md: the heaviest screen with everything transferred stays within 100 KB."""
    assets = 0
    for name in ("kiosk.js", "kiosk.css"):
        with client.get(f"/kiosk/static/{name}") as response:
            assets += len(response.data)
    for path in ("/kiosk/?k=bok-1&lang=uk", "/kiosk/sprawa?k=bok-1", "/kiosk/uslugi/dowod-osobisty-wydanie?k=bok-1"):
        assert len(client.get(path).data) + assets <= 60_000, path


def test_a_database_error_is_a_friendly_screen(catalogue, client, monkeypatch):
    from sqlalchemy.exc import DataError

    def broken(*args):
        raise DataError("SELECT", {}, Exception("NUL"))  # its `code` attribute is a string

    monkeypatch.setattr(services, "place_matter", broken)
    response = client.get("/kiosk/uslugi/dowod-osobisty-wydanie?k=bok-1")
    assert response.status_code == 500 and "Spróbuj ponownie" in response.get_data(as_text=True)


def test_kiosk_status_tells_a_posted_case_the_truth_in_every_language(case, client, db):
    """The same sentence per (state, delivery method) as /sprawa, translated, with the dispatch reference."""
    from sqlalchemy import select

    from kiosk.accounts import services as accounts
    from kiosk.accounts.models import Role, User
    from kiosk.intake import services as intake
    from kiosk.intake.models import Case

    number, code = case
    registered = db.session.scalar(select(Case).where(Case.number == number))
    clerk = db.session.scalar(select(User).where(User.username == "okienko"))  # who registered it (fixture)
    intake.correct_registration(registered, clerk, "Wnioskodawca chce dostać dokument pocztą", delivery="post")
    staff = accounts.create_user("wydzial", "Pan z wydziału", "hasło-bardzo-długie-2", [Role.DEPARTMENT_STAFF],
                                 departments=[registered.card.owner_department])  # fmt: skip
    intake.hand_over(registered, staff)
    intake.mark_ready(registered, staff)
    intake.deliver(registered, clerk, "post", "RR123456789PL")
    db.session.commit()
    expected = {"pl": ("Dokument wysłany pocztą.", "Numer nadania"),
                "en": ("Document sent by post.", "Postal tracking number"),
                "uk": ("Документ надіслано поштою.", "Номер відправлення")}  # fmt: skip
    for lang, (sentence, label) in expected.items():
        html = client.get("/kiosk/sprawa", query_string={"k": "bok-1", "nr": number, "kod": code, "lang": lang})
        html = html.get_data(as_text=True)
        assert sentence in html and label in html and "RR123456789PL" in html, lang
        assert "do odbioru" not in html and "gotowy" not in html, lang
