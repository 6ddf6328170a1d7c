"""Only "Informacja zweryfikowana" when the owner confirmed the live edition and no fact is doubtful."""

import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.cards import services as cards
from kiosk.cards.models import Card
from kiosk.clock import frozen
from kiosk.content.services import card_paths, import_content
from kiosk.facts.models import Department, LegalAct, Location, SharedFee
from kiosk.freshness import services
from kiosk.freshness.verification import label_for, open_doubts, verification_status

CLAIM = "Informacja zweryfikowana"
# The claim and the calm "still being confirmed" line, as each language's pages print them.
CLAIMS = {
    "pl": (CLAIM, "Trwa potwierdzanie"),
    "en": ("Information verified", "Being confirmed:"),
    "uk": ("Інформацію перевірено", "Триває підтвердження:"),
}


def _owner(factory, card, name="wlasciciel"):
    # A department makes its members owners only with a card role (kiosk.accounts.access.card_department_ids).
    return factory.user(name, roles=[Role.APPROVER], departments=[card.owner_department])


def _card(factory, **overrides):
    card = factory.published_card("dowod", **overrides)
    card.owner_name = "Kierownik Wydziału Testowego"
    return card


def test_a_confirmed_card_without_doubts_is_verified_by_its_owner_role(db, factory, at_now):
    card = _card(factory)
    assert not verification_status(card).verified  # published by the workflow, not confirmed by the owner
    with frozen(at_now + timedelta(days=3)):
        services.confirm_card_accurate(card, _owner(factory, card))
    status = verification_status(card)
    assert status.verified and status.verified_at == at_now + timedelta(days=3)
    assert status.verified_by == "Kierownik Wydziału Testowego" and status.labels == []


def test_an_editor_confirming_restarts_the_review_but_is_no_verification(db, factory, at_now):
    card = _card(factory)
    services.confirm_card_accurate(card, factory.user("redaktor", roles=[Role.EDITOR]))
    assert card.last_verified_by == "Redaktor"
    assert not verification_status(card).verified


def test_a_new_edition_needs_a_new_confirmation(db, factory, at_now):
    team = factory.team()
    card = factory.published_card("dowod", team=team)
    services.confirm_card_accurate(card, _owner(factory, card))
    assert verification_status(card).verified
    editor, approver, publisher = team
    draft = cards.open_draft(card, editor, factory.content(title="Nowy tytuł"))
    cards.submit_edition(draft, editor)
    cards.approve_edition(draft, approver)
    cards.publish_edition(draft, publisher)
    status = verification_status(card)
    assert not status.verified and status.verified_at is None and status.labels == ["aktualność karty"]


def _fee(factory, **notes):
    fee = dict(factory.content()["fees"][0], **notes)
    return [fee]


@pytest.mark.parametrize(
    ("make", "label"),
    [
        (lambda f: {"unverified": ["aktualna nazwa wydziału"]}, "dane wydziału"),
        (lambda f: {"fees": _fee(f, unverified="kwota z 2020 r.")}, "wysokość opłaty"),
        (lambda f: {"settle_unverified": "termin z karty z 2019 r."}, "termin załatwienia"),
        (lambda f: {"legal_acts": [{"act": "kpa", "detail": "", "unverified": "tekst jednolity"}]}, "podstawa prawna"),
        (lambda f: {"forms": [{"title": "Wniosek", "url": "/w.pdf", "unverified": "wersja"}]}, "formularz"),
        (lambda f: {"online_unverified": "adres usługi"}, "usługa online"),
    ],
)
def test_each_kind_of_card_doubt_blocks_the_claim_with_a_short_label(db, factory, at_now, make, label):
    card = _card(factory, **make(factory))
    services.confirm_card_accurate(card, _owner(factory, card))
    status = verification_status(card)
    assert not status.verified and status.verified_at is None and status.verified_by == ""
    assert status.labels == [label]


@pytest.mark.parametrize(
    ("model", "slug", "value", "label"),
    [
        (Location, "bok-test", ["godziny pracy samego BOK w soboty"], "godziny otwarcia punktu"),
        (Location, "bok-test", ["coś innego"], "informacje o punkcie obsługi"),
        (LegalAct, "kpa", "numer tekstu jednolitego", "podstawa prawna"),
        (SharedFee, "pelnomocnictwo", "kwota", "wysokość opłaty"),
    ],
)
def test_a_doubt_on_a_shared_fact_blocks_every_card_naming_it(db, factory, at_now, model, slug, value, label):
    fees = _fee(factory, shared="pelnomocnictwo")
    card = _card(factory, fees=fees)
    services.confirm_card_accurate(card, _owner(factory, card))
    assert verification_status(card).verified
    db.session.scalar(select(model).where(model.slug == slug)).unverified = value
    status = verification_status(card)
    assert not status.verified and status.labels == [label]
    assert [d.note for d in open_doubts(card)] == (value if isinstance(value, list) else [value])


def test_a_department_doubt_is_not_a_card_fact(db, factory, at_now):
    # Only locations, legal acts and shared fees are shared facts of a card (docs/freshness.md).
    card = _card(factory)
    services.confirm_card_accurate(card, _owner(factory, card))
    card.owner_department.unverified = ["telefon"]
    assert verification_status(card).verified


@pytest.mark.parametrize(
    ("note", "label"),
    [
        ("BOK czynny w drugie soboty miesiąca", "godziny otwarcia punktu"),
        ("opłata 17 zł z 2020 r.", "wysokość opłaty"),
        ("numer uchwały", "podstawa prawna"),
        ("link do e-budownictwo", "usługa online"),
        ("", "szczegóły sprawy"),
    ],
)
def test_free_text_doubts_get_short_labels(note, label):
    assert label_for(note) == label


def test_web_kiosk_print_and_api_say_the_same(db, factory, client, at_now):
    card = _card(factory, settle_unverified="termin")
    services.confirm_card_accurate(card, _owner(factory, card))
    db.session.commit()
    for url in ("/uslugi/dowod", "/uslugi/dowod/druk", "/kiosk/uslugi/dowod", "/kiosk/uslugi/dowod/druk"):
        html = client.get(url).get_data(as_text=True)
        assert CLAIM not in html and "Trwa potwierdzanie: termin załatwienia" in html, url
        assert "ostatnia zmiana karty:</span> 12.05.2026" in html, url
    data = client.get("/api/v1/cards/dowod").get_json()
    assert data["verified_at"] is None and data["verified_by"] is None
    assert data["unverified"] == ["termin załatwienia"] and data["last_changed_on"] == "2026-05-12"
    assert "last_verified_at" not in data


def test_a_verified_card_says_so_everywhere(db, factory, client, at_now):
    card = _card(factory)
    services.confirm_card_accurate(card, _owner(factory, card))
    db.session.commit()
    for url in ("/uslugi/dowod", "/uslugi/dowod/druk", "/kiosk/uslugi/dowod", "/kiosk/uslugi/dowod/druk"):
        html = client.get(url).get_data(as_text=True)
        assert f"{CLAIM}</span> 12.05.2026 <span>przez</span> Kierownik Wydziału Testowego" in html, url
        assert "Trwa potwierdzanie" not in html, url
    data = client.get("/api/v1/cards/dowod").get_json()
    assert data["verified_at"].startswith("2026-05-12") and data["unverified"] == []
    assert data["verified_by"] == "Kierownik Wydziału Testowego"


CLEAN_CARD = """---
title: Karta bez wątpliwości
summary: Wszystko potwierdzone.
category: {category}
department: {department}
service_points:
  - point: punkt-bez-watpliwosci
settle:
  days: 30
  source: https://isap.sejm.gov.pl/
---

Treść.
"""
CLEAN_POINT = "- {slug: punkt-bez-watpliwosci, name: Punkt, address: ul. Testowa 1, source: plock.eu 2026-11}\n"


def test_no_page_calls_any_real_card_with_an_open_doubt_verified(db, client, factory, content_dir, tmp_path):
    """All cards of content/, each confirmed by its owner: the claim appears exactly on the doubt-free ones,
    on the web, print view and kiosk in Polish, English and Ukrainian, and in the API."""
    work = tmp_path / "content"
    shutil.copytree(content_dir, work)
    locations = work / "locations.yaml"
    locations.write_text(locations.read_text(encoding="utf-8") + CLEAN_POINT, encoding="utf-8")
    import_content(work)
    category = db.session.scalar(select(Card)).live_edition.category.slug
    department = db.session.scalars(select(Department)).first().slug
    clean = CLEAN_CARD.format(category=category, department=department)
    (work / "cards" / "zz-karta-bez-watpliwosci.md").write_text(clean, encoding="utf-8")
    import_content(work)
    owner = factory.user("wlasciciel", roles=[Role.APPROVER], departments=db.session.scalars(select(Department)).all())
    all_cards = db.session.scalars(select(Card).where(Card.live_edition_id.is_not(None))).all()
    assert len(all_cards) == len(card_paths(work))
    for card in all_cards:
        if services.may_confirm(card, owner):
            services.confirm_card_accurate(card, owner)
    db.session.commit()
    doubtful = {card.slug: bool(open_doubts(card)) for card in all_cards}
    for slug, has_doubts in doubtful.items():
        for lang, (claim, confirming) in CLAIMS.items():
            for path in (
                f"/uslugi/{slug}",
                f"/uslugi/{slug}/druk",
                f"/kiosk/uslugi/{slug}",
                f"/kiosk/uslugi/{slug}/druk",
            ):
                url = f"{path}?lang={lang}"
                response = client.get(url)
                assert response.status_code == 200, url
                html = response.get_data(as_text=True)
                assert (claim in html) is not has_doubts, url
                assert (confirming in html) is has_doubts, url
                assert lang == "pl" or CLAIM not in html, url  # never the Polish claim on a translated page
            data = client.get(f"/api/v1/cards/{slug}?lang={lang}").get_json()
            assert (data["verified_at"] is None) is has_doubts, (slug, lang)
            assert bool(data["unverified"]) is has_doubts, (slug, lang)
    assert doubtful["zz-karta-bez-watpliwosci"] is False
    assert any(doubtful.values())


def test_the_back_office_shows_editors_what_blocks_the_claim(db, factory, as_user, at_now):
    card = _card(factory, online_unverified="adres usługi na gov.pl")
    db.session.commit()
    client = as_user("redaktor", [Role.EDITOR])
    html = client.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    assert "„Trwa potwierdzanie: usługa online”" in html
    assert "właściciel nie potwierdził jeszcze tego wydania" in html
    assert "usługa online: adres usługi na gov.pl" in html  # the internal note, for editors only


def test_the_nightly_check_flags_every_open_doubt_for_the_owner(db, factory, at_now):
    from kiosk.freshness import checks
    from kiosk.freshness.models import ReviewFlag

    card = _card(factory, settle_unverified="termin z 2019 r.", unverified=["nazwa wydziału"])
    db.session.scalar(select(Location).where(Location.slug == "bok-test")).unverified = ["godziny kasy"]
    checks.run_checks()
    notes = db.session.scalars(
        select(ReviewFlag.detail).where(ReviewFlag.card_id == card.id, ReviewFlag.code == "unverified")
    ).all()
    assert sorted(notes) == ["godziny kasy", "nazwa wydziału", "termin z 2019 r."]
