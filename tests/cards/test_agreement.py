"""Summary and facts agree: a draft that changes a fee, the deadline or a point is checked for old values."""

from decimal import Decimal

import pytest

from kiosk.cards import services
from kiosk.cards.agreement import find_stale_statements, stale_statements
from kiosk.facts.models import Location

PILSUDSKIEGO = Location(
    slug="pilsudskiego-6",
    name="Stanowiska Obsługi Klienta, al. marsz. J. Piłsudskiego 6",
    short_name="al. Piłsudskiego 6",
    address="al. marsz. J. Piłsudskiego 6, 09-400 Płock",
)


def content(summary="", body="", amount="17.00", days=30, points=("pilsudskiego-6",), **extra) -> dict:
    return {
        "summary": summary,
        "body": body,
        "settle_text": extra.get("settle_text", ""),
        "settle_days": days,
        "fees": [{"what": "Opłata skarbowa", "amount": None if amount is None else Decimal(amount)}],
        "service_points": [{"point": p} for p in points],
    }


def warnings(before: dict, after: dict) -> list[str]:
    return stale_statements(before, after, {"pilsudskiego-6": PILSUDSKIEGO})


@pytest.mark.parametrize(
    "text",
    ["Wydanie kosztuje 17 zł.", "Opłata: 17,00 zł", "Zapłacisz 17 złotych.", "17.00 zł", "17\u00a0zł", "17zł",
     "(17,00 PLN)", "Opłata 17,0 zł"],
)  # fmt: skip
def test_a_changed_fee_still_stated_in_the_summary_is_warned(text):
    found = warnings(content(summary=text), content(summary=text, amount="18.00"))
    assert len(found) == 1
    assert found[0].startswith("Streszczenie nadal podaje dawną wartość:")
    assert "„Opłata skarbowa” wynosi teraz 18,00 zł" in found[0]


@pytest.mark.parametrize("text", ["Kosztuje 117 zł.", "Kosztuje 17,50 zł.", "Kosztuje 1,17 zł.", "Kosztuje 18 zł.",
                                  "Termin 17 dni.", "17 sierpnia"])  # fmt: skip
def test_other_numbers_are_not_the_old_fee(text):
    assert warnings(content(summary=text), content(summary=text, amount="18.00")) == []


def test_an_unchanged_amount_or_one_still_used_by_another_fee_is_no_warning():
    text = "Kosztuje 17 zł."
    assert warnings(content(summary=text), content(summary=text)) == []
    after = content(summary=text, amount="18.00")
    after["fees"].append({"what": "Pełnomocnictwo", "amount": Decimal("17.00")})
    assert warnings(content(summary=text), after) == []


def test_thousands_and_grosze():
    before, after = content(body="Opłata wynosi 1 234,50 zł.", amount="1234.50"), content(amount="1300.00")
    after["body"] = before["body"]
    assert [w.split(":")[0] for w in warnings(before, after)] == ["Opis nadal podaje dawną wartość"]


def test_a_removed_fee_still_stated_is_warned():
    before = content(summary="Kosztuje 17 zł.")
    after = {**before, "fees": []}
    assert "zmieniła się" in warnings(before, after)[0]


def test_a_changed_deadline_still_stated_is_warned():
    before = content(body="Sprawę załatwimy w ciągu 30 dni.", settle_text="Zwykle do 30 dni.")
    after = content(body=before["body"], settle_text=before["settle_text"], days=14)
    found = warnings(before, after)
    assert [w.split(" nadal")[0] for w in found] == ["Opis", "Czas załatwienia"]
    assert "termin załatwienia to teraz 14 dni" in found[0] and "„Sprawę załatwimy w ciągu 30 dni.”" in found[0]
    assert warnings(content(body="Masz 130 dni."), content(body="Masz 130 dni.", days=14)) == []


def test_a_service_point_no_longer_on_the_card_is_warned():
    text = "Wniosek złożysz przy al. Piłsudskiego 6."
    found = warnings(content(summary=text), content(summary=text, points=("bok",)))
    assert len(found) == 1 and "nie kieruje już do punktu „al. Piłsudskiego 6”" in found[0]
    assert warnings(content(summary=text), content(summary=text, points=("pilsudskiego-6", "bok"))) == []


def test_a_long_text_is_quoted_short():
    body = "x " * 200 + "Opłata kosztuje 17 zł i płacisz ją przelewem." + " y" * 200
    found = warnings(content(body=body), content(body=body, amount="18.00"))
    assert "„…x x x x x x x Opłata kosztuje 17 zł i płacisz ją przelewem. y y y…”" in found[0]


def test_a_draft_is_compared_with_the_live_edition(db, factory):
    editor, _, _ = team = factory.team()
    card = factory.published_card("dowod", team=team, summary="Pełnomocnictwo kosztuje 17 zł.")
    fees = factory.content()["fees"]
    fees[1] = {**fees[1], "amount": Decimal("18.00")}
    draft = services.open_draft(card, editor, factory.content(summary="Pełnomocnictwo kosztuje 17 zł.", fees=fees))
    assert find_stale_statements(draft) == [
        "Streszczenie nadal podaje dawną wartość: „Pełnomocnictwo kosztuje 17 zł.” – opłata „Pełnomocnictwo” "
        "wynosi teraz 18,00 zł. Sprawdź tekst."
    ]
    new_card = factory.card("nowa", editor)
    assert find_stale_statements(services.open_draft(new_card, editor, factory.content())) == []
