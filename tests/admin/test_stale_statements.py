"""Saving a draft warns the editor when the text still states a fee the draft changed (issue 12)."""

import pytest

from .conftest import form_data, post


@pytest.fixture
def card(factory):
    return factory.published_card("dowod-osobisty")


def test_saving_a_changed_fee_warns_about_the_old_amount_in_the_summary(db, card, as_user):
    client = as_user("ewa")
    assert post(client, f"/admin/cards/{card.id}/open-draft").status_code == 302
    data = form_data(client.get(f"/admin/cards/{card.id}/edit").get_data(as_text=True))
    assert data["fees-1-amount"] == "17,00"
    data.update({"fees-1-amount": "18,00", "summary": "Pełnomocnictwo kosztuje 17,00 zł."})
    response = client.post(f"/admin/cards/{card.id}/edit", data=data, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Szkic zapisany." in html
    assert "Streszczenie nadal podaje dawną wartość: „Pełnomocnictwo kosztuje 17,00 zł.”" in html
    assert "wynosi teraz 18,00 zł" in html
    data = form_data(html)
    data["summary"] = "Pełnomocnictwo kosztuje 18 zł."
    html = client.post(f"/admin/cards/{card.id}/edit", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Szkic zapisany." in html and "dawną wartość" not in html
