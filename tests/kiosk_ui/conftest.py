"""Kiosk fixtures: a small published catalogue, a registered kiosk, and a browser at both screen sizes."""

from decimal import Decimal

import pytest

from kiosk.facts.models import Location
from kiosk.kiosk_ui import services
from kiosk.search import services as search

from ..conftest import docs_shot, serve

SIZES = {"portrait": {"width": 1080, "height": 1920}, "landscape": {"width": 1920, "height": 1080}}
# Suggestions on a loaded machine: the server's answer may take its whole 2.5 s budget, then the kiosk falls back
# to its offline data; wait for either rather than for the 5 s default (what is asserted does not change).
SUGGEST_WAIT = 15_000
HOURS = {day: ["00:00-23:59"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def shot(page, name: str, full_page: bool = True) -> None:
    """kiosk-<name>-<size>.png for docs/img (see `docs_shot`: only when bench/screenshots.py asks for it)."""
    docs_shot(page, f"kiosk-{name}-{page.size_name}", full_page=full_page)


@pytest.fixture
def live_server(app):
    server = serve(app)
    yield server
    server.shutdown()


@pytest.fixture
def catalogue(app, db, factory):
    """Three published cards: one settled at the kiosk's point, one elsewhere, one in both."""
    search.rebuild()
    facts = factory.facts()
    facts["location"].opening_hours = HOURS
    pil = Location(slug="pilsudskiego-6", name="Stanowiska Obsługi Klienta, al. Piłsudskiego 6",
                   address="al. marsz. J. Piłsudskiego 6, 09-400 Płock", is_service_point=True, position=2,
                   opening_hours={"mon": ["08:00-15:00"], "tue": ["08:00-15:00"]})  # fmt: skip
    db.session.add(pil)
    db.session.flush()
    team = factory.team()
    cards = {
        "dowod": factory.published_card(
            "dowod-osobisty-wydanie",
            team=team,
            service_points=[{"point": "bok-test", "room": "pokój 12", "window": "3", "note": ""}],
            online_url="https://www.gov.pl/web/gov/uzyskaj-dowod-osobisty",
            online_channel="gov.pl",
            body="## Przez internet\n\nWniosek złożysz na [gov.pl](https://www.gov.pl/web/gov/dowod).",
        ),
        "auto": factory.published_card(
            "rejestracja-pojazdu",
            team=team,
            title="Rejestracja pojazdu sprowadzonego z zagranicy",
            summary="Samochód sprowadzony z zagranicy zarejestrujesz w ciągu 30 dni.",
            keywords=["auto"],
            service_points=[{"point": "pilsudskiego-6", "room": "sala obsługi", "window": "", "note": ""}],
            fees=[
                {
                    "what": "Rejestracja z tablicami",
                    "amount": Decimal("180.50"),
                    "how_to_pay": "kartą",
                    "exemptions": "",
                    "shared": None,
                }
            ],
        ),
        "meldunek": factory.published_card(
            "zameldowanie-pobyt-staly",
            team=team,
            title="Zameldowanie na pobyt stały",
            summary="Zameldujesz się w urzędzie lub przez internet.",
            keywords=["meldunek", "przeprowadzka"],
            service_points=[
                {"point": "bok-test", "room": "stanowisko 2", "window": "", "note": ""},
                {"point": "pilsudskiego-6", "room": "", "window": "", "note": ""},
            ],
        ),
    }
    kiosk, token = services.register_kiosk("bok-1", "BOK – hol", facts["location"], has_printer=True)
    db.session.commit()
    return {"cards": cards, "kiosk": kiosk, "token": token, "category": facts["category"],
            "situation": facts["situation"]}  # fmt: skip


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def screen(request, browser):
    """A fresh touch-screen browser context at one of the kiosk's screen sizes."""
    context = browser.new_context(locale="pl-PL", viewport=SIZES[request.param], has_touch=True)
    page = context.new_page()
    page.size_name = request.param
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def case(app, db, catalogue):
    """An application registered at the kiosk's point for the ID card: (number, code)."""
    from kiosk.accounts import services as accounts
    from kiosk.accounts.models import Role
    from kiosk.intake import services as intake

    clerk = accounts.create_user("okienko", "Pani z okienka", "hasło-bardzo-długie-1", [Role.FRONT_DESK])
    card = catalogue["cards"]["dowod"]
    handed_in = range(len(card.live_edition.documents))
    registered = intake.register_application(card, catalogue["kiosk"].location, clerk, channel="written",
                                             delivery="pickup", applicant_name="Jan Kowalski",
                                             applicant_contact="600 100 200", handed_in=handed_in)  # fmt: skip
    db.session.commit()
    return registered.number, registered.code
