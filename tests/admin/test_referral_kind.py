"""The back office sets a card's kind: an ordinary service card or a referral to another institution."""

import pytest

from .test_cards import draft_of, edit_form, open_draft, save


@pytest.fixture
def card(factory):
    return factory.published_card("paszport-test")


def test_editor_marks_a_draft_as_a_referral(db, card, as_user):
    client = as_user("ewa")
    open_draft(client, card)
    assert edit_form(client, card)["kind"] == "service"
    assert save(client, card, kind="referral").status_code == 302
    assert draft_of(db, card).kind == "referral"


def test_unknown_kind_is_refused_next_to_the_field(db, card, as_user):
    client = as_user("ewa")
    open_draft(client, card)
    response = save(client, card, kind="<script>")
    assert response.status_code == 200 and "Nieprawidłowy wybór" in response.get_data(as_text=True)
    assert draft_of(db, card).kind == "service"


def test_a_referral_without_a_place_or_online_channel_is_refused(db, card, as_user):
    client = as_user("ewa")
    open_draft(client, card)
    data = {k: v for k, v in edit_form(client, card).items() if not k.startswith("service_points-")}
    response = client.post(f"/admin/cards/{card.id}/edit", data={**data, "kind": "referral", "online_url": "",
                                                                "online_text": ""})  # fmt: skip
    assert response.status_code == 200 and "musi wskazać instytucję" in response.get_data(as_text=True)
    assert draft_of(db, card).kind == "service"
