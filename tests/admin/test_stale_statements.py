"""Saving a draft in the back office: warnings for values the draft changed, sources checked (issue 12)."""

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


def test_saving_a_changed_deadline_warns_about_the_old_days_in_the_body(db, factory, as_user):
    card = factory.published_card("meldunek", settle_days=30, body="Sprawę załatwimy w ciągu 30 dni.")
    client = as_user("ewa")
    assert post(client, f"/admin/cards/{card.id}/open-draft").status_code == 302
    data = form_data(client.get(f"/admin/cards/{card.id}/edit").get_data(as_text=True))
    assert data["settle_days"] == "30"
    data["settle_days"] = "14"
    html = client.post(f"/admin/cards/{card.id}/edit", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Szkic zapisany." in html
    assert "Opis nadal podaje dawną wartość: „Sprawę załatwimy w ciągu 30 dni.”" in html
    assert "termin załatwienia to teraz 14 dni" in html


def test_an_insecure_source_is_refused_by_the_service_not_only_by_the_file_reader(db, card, as_user):
    client = as_user("ewa")
    assert post(client, f"/admin/cards/{card.id}/open-draft").status_code == 302
    data = form_data(client.get(f"/admin/cards/{card.id}/edit").get_data(as_text=True))
    data.update({"fees-0-source": "http://example.com/taryfa", "settle_unverified": "termin z 2019 r."})
    html = client.post(f"/admin/cards/{card.id}/edit", data=data).get_data(as_text=True)
    assert "fees[0].source: adres źródła musi zaczynać się od https://" in html
    data["fees-0-source"] = "https://example.com/taryfa"
    assert client.post(f"/admin/cards/{card.id}/edit", data=data).status_code == 302
    draft = card.editions[-1]
    db.session.refresh(draft)
    assert draft.fees[0].source == "https://example.com/taryfa" and draft.settle_unverified == "termin z 2019 r."
