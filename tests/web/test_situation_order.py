"""Life-situation pages list cards in the order a person goes through them, as editors set it."""

from datetime import datetime

import pytest
from sqlalchemy import select

from kiosk import clock
from kiosk.errors import ValidationError
from kiosk.facts import services as facts
from kiosk.facts.models import LifeSituation


@pytest.fixture
def situation(db, factory):
    with clock.frozen(datetime(2026, 5, 13, 8, 0)):
        team = factory.team()
        for slug, title in (("becikowe", "Becikowe"), ("rejestracja-urodzenia", "Rejestracja urodzenia"),
                            ("dowod-dziecka", "Dowód osobisty dla dziecka")):  # fmt: skip
            factory.published_card(slug, team=team, title=title, life_situations=["przeprowadzka"])
    return db.session.scalar(select(LifeSituation).where(LifeSituation.slug == "przeprowadzka"))


def _titles(client, path="/sytuacje/przeprowadzka"):
    html = client.get(path).get_data(as_text=True)
    return sorted(("Becikowe", "Rejestracja urodzenia", "Dowód osobisty dla dziecka"), key=html.index)


def test_cards_follow_the_editors_order_then_title(db, client, situation):
    assert _titles(client) == ["Becikowe", "Dowód osobisty dla dziecka", "Rejestracja urodzenia"]  # by title
    facts.set_life_situation_order(situation, ["rejestracja-urodzenia", "becikowe"])
    db.session.commit()
    assert _titles(client) == ["Rejestracja urodzenia", "Becikowe", "Dowód osobisty dla dziecka"]
    kiosk = _titles(client, "/kiosk/sytuacje/przeprowadzka")  # the kiosk lists them in the same order
    assert kiosk == ["Rejestracja urodzenia", "Becikowe", "Dowód osobisty dla dziecka"]


@pytest.mark.parametrize(
    ("slugs", "message"),
    [(["becikowe", "becikowe"], "dwa razy"), (["Zła Nazwa"], "nie jest identyfikatorem"), (["x" * 5000], "nie jest"),
     (["nie-ma-takiej"], "Nie ma karty")],
)  # fmt: skip
def test_bad_orders_are_refused_with_a_clear_message(db, situation, slugs, message):
    with pytest.raises(ValidationError, match=message):
        facts.set_life_situation_order(situation, slugs, known={"becikowe", "rejestracja-urodzenia"})


def test_shipped_orders_name_existing_cards_and_birth_starts_with_registration():
    from pathlib import Path

    import yaml

    content = Path(__file__).resolve().parents[2] / "content"
    situations = yaml.safe_load((content / "life-situations.yaml").read_text(encoding="utf-8"))
    cards = {path.stem for path in (content / "cards").glob("*.md")}
    orders = {s["slug"]: s.get("order", []) for s in situations}
    assert orders["urodzenie-dziecka"][0] == "rejestracja-urodzenia"
    assert orders["smierc-bliskiej-osoby"][0] == "rejestracja-zgonu"
    for slug, order in orders.items():
        assert set(order) <= cards, slug
