"""Search fixtures: a real (small) index in the test's tmp dir, kept in step by the commit hook."""

import pytest

from kiosk.search import services


@pytest.fixture
def index(app, db):
    """An empty index built from the (empty) database; published cards then flow in on commit."""
    services.rebuild()
    return services


@pytest.fixture
def cards(index, factory):
    """A few published cards with distinct words in title, keywords, summary and body."""
    team = factory.team()
    made = {
        "dowod": factory.published_card("dowod-osobisty-wydanie", team=team),
        "meldunek": factory.published_card(
            "zameldowanie-pobyt-staly", team=team, title="Zameldowanie na pobyt stały",
            summary="Zameldujesz się w urzędzie lub przez internet.", keywords=["meldunek", "przeprowadzka"],
            body="Zabierz tytuł prawny do lokalu.",
        ),
        "auto": factory.published_card(
            "rejestracja-pojazdu", team=team, title="Rejestracja pojazdu sprowadzonego z zagranicy",
            summary="Samochód sprowadzony z Niemiec zarejestrujesz w ciągu 30 dni.", keywords=["auto z zagranicy"],
            body="Przygotuj tłumaczenia dokumentów pojazdu.",
        ),
        "body-only": factory.published_card(
            "karta-z-pojazdem-w-tresci", team=team, title="Zaświadczenie o niezaleganiu",
            summary="Zaświadczenie wydaje wydział podatków.", keywords=["niezaleganie"],
            body="Dotyczy też podatku od pojazdu ciężarowego.",
        ),
    }  # fmt: skip
    return made
