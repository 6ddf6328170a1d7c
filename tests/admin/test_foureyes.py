"""An insider with editor + approver + publisher roles tries every back-office way around four eyes."""

from flask_admin.contrib.sqla import ModelView
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.cards.models import (
    Card,
    CardChange,
    Edition,
    EditionContributor,
    EditionDocument,
    EditionFee,
    EditionForm,
    EditionLegalAct,
    EditionPoint,
    EditionStatus,
)
from kiosk.cards.translation_models import Translation
from kiosk.facts.models import FormFile

from .conftest import post
from .test_cards import draft_of, edit_form, open_draft, save

ALL_CARD_ROLES = [Role.EDITOR, Role.APPROVER, Role.PUBLISHER]
CARD_MODELS = {Card, CardChange, Edition, EditionContributor, EditionDocument, EditionFee, EditionForm,
               EditionLegalAct, EditionPoint, FormFile, Translation}  # fmt: skip


def test_insider_who_edited_someone_elses_draft_cannot_approve_or_publish_it(db, factory, as_user):
    card = factory.published_card("dowod-osobisty")
    editor = as_user("ewa")
    insider = as_user("igor", ALL_CARD_ROLES)
    approver = as_user("anna", [Role.APPROVER])
    open_draft(editor, card)
    assert save(insider, card, summary="Przepisane przez Igora.").status_code == 302
    edition = draft_of(db, card)
    assert post(editor, f"/admin/cards/editions/{edition.id}/submit").status_code == 302
    page = insider.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    assert "/approve" not in page and "Ewa" in page and "Igor" in page
    assert post(insider, f"/admin/cards/editions/{edition.id}/approve").status_code == 403
    assert draft_of(db, card).status == EditionStatus.IN_REVIEW
    assert post(approver, f"/admin/cards/editions/{edition.id}/approve").status_code == 302
    assert "/publish" not in insider.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    assert post(insider, f"/admin/cards/editions/{edition.id}/publish").status_code == 403
    assert draft_of(db, card).status == EditionStatus.APPROVED


def test_insider_who_reverted_cannot_sign_off_the_reverted_edition(db, factory, as_user):
    team = factory.team()
    card = factory.published_card("dowod-osobisty", team=team, title="Pierwsza treść")
    first = card.live_edition
    insider = as_user("igor", ALL_CARD_ROLES)
    open_draft(insider, card)
    save(insider, card, title="Druga treść")
    second = draft_of(db, card)
    post(insider, f"/admin/cards/editions/{second.id}/submit")
    post(as_user("anna", [Role.APPROVER]), f"/admin/cards/editions/{second.id}/approve")
    post(as_user("piotr", [Role.PUBLISHER]), f"/admin/cards/editions/{second.id}/publish")
    response = post(insider, f"/admin/cards/editions/{first.id}/revert")
    assert response.headers["Location"].endswith(f"/admin/cards/{card.id}/edit")
    reverted = draft_of(db, card)
    assert reverted.status == EditionStatus.DRAFT and reverted.reverted_from_id == first.id
    assert db.session.get(Card, card.id).live_edition.title == "Druga treść"
    post(insider, f"/admin/cards/editions/{reverted.id}/submit")
    assert post(insider, f"/admin/cards/editions/{reverted.id}/approve").status_code == 403


def test_no_generic_model_view_reaches_editions_or_their_rows(app, db, factory, as_user):
    admin = app.extensions["admin"][0]
    models = {view.model for view in admin._views if isinstance(view, ModelView)}
    assert not models & CARD_MODELS
    card = factory.published_card("dowod-osobisty")
    edition = card.live_edition
    boss = as_user("boss", [*ALL_CARD_ROLES, Role.ADMINISTRATOR])
    for name in ("edition", "card", "editionform", "editiondocument", "editionfee", "editioncontributor",
                 "formfile", "cardchange"):  # fmt: skip
        for path in (f"/admin/{name}/", f"/admin/{name}/edit/?id={edition.id}", f"/admin/{name}/new/"):
            assert boss.get(path).status_code == 404, path
        assert post(boss, f"/admin/{name}/delete/", {"id": edition.id}).status_code == 404
        assert post(boss, f"/admin/{name}/action/", {"action": "delete", "rowid": edition.id}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).status == EditionStatus.PUBLISHED


def test_form_link_text_of_a_draft_stays_in_the_draft(db, factory, as_user, client):
    url = "https://plock.test/formularze/wniosek.pdf"
    form = {"title": "Wniosek (PDF)", "url": url}
    team = factory.team()
    card_a = factory.published_card("karta-a", team=team, forms=[form])
    factory.published_card("karta-b", team=team, title="Karta B", forms=[form])
    editor = as_user("ewa")
    open_draft(editor, card_a)
    assert save(editor, card_a, **{"forms-0-title": "Wniosek – nowa nazwa"}).status_code == 302
    assert draft_of(db, card_a).forms[0].title == "Wniosek – nowa nazwa"
    assert db.session.scalar(select(FormFile.title).where(FormFile.url == url)) == "Wniosek (PDF)"
    for slug in ("karta-a", "karta-b"):
        html = client.get(f"/uslugi/{slug}").get_data(as_text=True)
        assert "Wniosek (PDF)" in html and "nowa nazwa" not in html
    assert "Wniosek – nowa nazwa" in edit_form(editor, card_a).values()


def test_the_open_data_api_has_no_way_to_write(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_an_administrator_who_changed_a_shared_fact_an_open_edition_shows_cannot_sign_it_off(db, factory, as_user):
    """A legal act, shared fee, service point or department is part of what an edition publishes: whoever
    changes one in the back office is a co-author of every open edition showing it (unchanged saves are not)."""
    from kiosk.facts.models import LegalAct, Location

    from .conftest import admin_form_data

    card = factory.published_card("dowod-osobisty")
    other = factory.published_card("karta-bez-zmian")
    editor, approver = as_user("ewa"), as_user("anna", [Role.APPROVER])
    boss = as_user("boss", [*ALL_CARD_ROLES, Role.ADMINISTRATOR])
    for c in (card, other):
        open_draft(editor, c)
        assert post(editor, f"/admin/cards/editions/{draft_of(db, c).id}/submit").status_code == 302

    def edit_fact(endpoint: str, fact_id: int, **changes) -> None:
        path = f"/admin/{endpoint}/edit/?id={fact_id}"
        data = {**admin_form_data(boss.get(path).get_data(as_text=True)), **changes}
        assert post(boss, path, data, path).status_code == 302

    act = db.session.scalar(select(LegalAct).where(LegalAct.slug == "kpa"))
    edit_fact("legal_acts", act.id)  # saved unchanged: no co-authorship
    assert post(boss, f"/admin/cards/editions/{draft_of(db, other).id}/approve").status_code == 302
    edit_fact("legal_acts", act.id, title="Kodeks postępowania administracyjnego (zmieniony przez szefa)")
    assert post(boss, f"/admin/cards/editions/{draft_of(db, card).id}/approve").status_code == 403
    assert post(approver, f"/admin/cards/editions/{draft_of(db, card).id}/approve").status_code == 302
    point = db.session.scalar(select(Location).where(Location.slug == "bok-test"))
    edit_fact("locations", point.id, address="Stary Rynek 2")
    assert post(boss, f"/admin/cards/editions/{draft_of(db, card).id}/publish").status_code == 403
    assert draft_of(db, card).status == EditionStatus.APPROVED
    assert "Boss" in {c.user.display_name for c in draft_of(db, card).contributors}
