"""Picking the matter at the counter: titles from the search suggestions (typos forgiven), never a slug or a
400 page; an unknown or empty choice keeps what the clerk typed."""

import pytest
from sqlalchemy import func, select

from kiosk.errors import ValidationError
from kiosk.intake import picker
from kiosk.intake.models import Case
from kiosk.search import services as search

from .conftest import csrf_token, login

TITLE = "Wydanie dowodu osobistego"


@pytest.fixture
def indexed(factory, card):
    # Its own words: with the factory's default keywords ("dowód") it would tie with the ID card for "dowud".
    factory.published_card("paszport", title="Wydanie paszportu", summary="Paszport wyrobisz w urzędzie.",
                           keywords=["paszport"])  # fmt: skip
    search.rebuild()
    return card


@pytest.mark.parametrize("typed", ["dowod", "dowód", "wydanie dowo", "dowud osobisty", "DOWODU"])
def test_suggestions_forgive_case_diacritics_and_typos(db, indexed, typed):
    assert TITLE in picker.suggest_cards(typed)


@pytest.mark.parametrize("typed", ["", "d", "\x00\x01", "zzzzqqq"])
def test_no_suggestions_for_nothing_useful(db, indexed, typed):
    assert picker.suggest_cards(typed) == []


def test_suggestions_work_without_a_search_index(db, card):
    assert picker.suggest_cards("dowodu") == [TITLE]  # the index was never built: database fallback


def test_resolve_by_title_folded_or_by_old_slug_links(db, card):
    assert picker.resolve_card("wydanie  dowodu OSOBISTEGO").id == card.id
    assert picker.resolve_card("dowod-osobisty").id == card.id
    cases = (("", "Wybierz sprawę"), ("dowód", "Nie znaleziono sprawy „dowód”"), ("x" * 5000, "Nie znaleziono"))
    for typed, message in cases:
        with pytest.raises(ValidationError, match=message):
            picker.resolve_card(typed)


def test_suggest_endpoint_is_for_the_desk_only(app, db, indexed, desk_user, dept_user):
    client = login(app, "okienko")
    assert client.get("/admin/bok/podpowiedzi?q=dowud").get_json()["titles"][0] == TITLE
    assert client.get("/admin/bok/podpowiedzi?q=" + "ą" * 300).status_code == 200  # beyond the field
    assert client.get("/admin/bok/podpowiedzi").get_json() == {"titles": []}
    assert login(app, "wydzial").get("/admin/bok/podpowiedzi?q=dowod").status_code == 403
    assert app.test_client().get("/admin/bok/podpowiedzi?q=dowod").status_code == 302


def test_unknown_choice_in_a_link_is_the_form_with_a_message(app, db, indexed, desk_user):
    client = login(app, "okienko")
    response = client.get("/admin/bok/?card=dowud")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nie znaleziono sprawy „dowud”" in body and 'value="dowud"' in body
    assert f'name="pick" value="{TITLE}"' in body and "dowod-osobisty" not in body  # a suggestion, no slug


def _form(points, **overrides):
    return {"point": str(points["bok-stary-rynek"].id), "channel": "written", "delivery": "pickup",
            "applicant_name": "Jan Kowalski", "applicant_contact": "600 100 200", "mdok_ref": "MD/7",
            **overrides}  # fmt: skip


@pytest.mark.parametrize(("typed", "message"), [("", "Wybierz sprawę"), ("dowód osob", "Nie znaleziono sprawy")])
def test_unknown_or_empty_choice_keeps_the_typed_data(app, db, points, card, desk_user, typed, message):
    client = login(app, "okienko")
    token = csrf_token(client, "/admin/bok/")
    response = client.post("/admin/bok/", data={**_form(points, card=typed, checklist_for=""), "csrf_token": token})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body
    assert 'value="Jan Kowalski"' in body and 'value="600 100 200"' in body and 'value="MD/7"' in body
    assert f'value="{typed}"' in body and "<h1>Przyjęcie wniosku</h1>" in body
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_choosing_shows_the_documents_and_a_changed_choice_never_registers(app, db, factory, points, card,
                                                                            desk_user):  # fmt: skip
    other = factory.published_card("paszport", title="Wydanie paszportu")
    client = login(app, "okienko")
    token = csrf_token(client, "/admin/bok/")
    data = {**_form(points, card=TITLE, checklist_for=""), "csrf_token": token}
    picked = client.post("/admin/bok/", data={**data, "step": "pick"}).get_data(as_text=True)
    assert "Fotografia 35 × 45 mm" in picked and 'value="Jan Kowalski"' in picked
    assert f'name="checklist_for" value="{card.id}"' in picked
    # the clerk ticked this card's documents, then typed another matter: show its list, register nothing
    changed = client.post("/admin/bok/", data={**data, "card": "wydanie paszportu", "checklist_for": str(card.id),
                                               "doc": ["0", "1"], "step": "register"})  # fmt: skip
    assert changed.status_code == 200 and f'name="checklist_for" value="{other.id}"' in changed.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Case.id))) == 0
    done = client.post("/admin/bok/", data={**data, "checklist_for": str(card.id), "doc": ["0", "1"],
                                            "step": "register"})  # fmt: skip
    assert done.status_code == 302
    assert db.session.scalar(select(Case.card_id)) == card.id
