"""The back-office freshness dashboard: who may see it, what it lists, CSV, and its one-step actions."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.cards.models import Edition, EditionStatus
from kiosk.clock import frozen, now
from kiosk.extensions import db
from kiosk.facts.models import LegalActStatus
from kiosk.freshness import services
from kiosk.freshness.models import Feedback
from kiosk.search.models import SearchQuery

from .conftest import token_from

URL = "/admin/swiezosc/"


def test_logged_out_goes_to_login_and_other_roles_get_403(client, as_user):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert as_user("okienko", roles=[Role.FRONT_DESK]).get(URL).status_code == 403
    assert as_user("admin", roles=[Role.ADMINISTRATOR]).get(URL).status_code == 200


def test_dashboard_lists_states_flags_feedback_and_chart(factory, as_user, at_now):
    factory.published_card("dowod")
    factory.facts()["act"].status = LegalActStatus.AMENDED
    db.session.commit()
    editor = as_user("redaktor")
    with frozen(at_now + timedelta(days=200)):
        services.take_snapshot()
        db.session.commit()
        html = editor.get(URL).get_data(as_text=True)
    assert 'Po terminie: <span data-count="zalegle">1</span>' in html
    assert "oznaczono jako zmieniony" in html and "co się zmieniło" in html
    assert "<svg" in html and "<polyline" in html and "<script" not in html


def test_every_list_exports_as_csv(factory, as_user, at_now, client):
    card = factory.published_card("dowod")
    db.session.add(Feedback(card=card, message='=HYPERLINK("http://zlo")', contact=""))
    db.session.commit()
    editor = as_user("redaktor")
    for name in ("zalegle", "wkrotce", "flagi", "zgloszenia", "luki", "wydzialy"):
        response = editor.get(f"{URL}{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv", name
    body = editor.get(f"{URL}zgloszenia.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body
    assert editor.get(f"{URL}nieznana.csv").status_code == 404


def test_feedback_is_resolved_with_a_note(factory, as_user, at_now):
    card = factory.published_card("dowod")
    feedback = Feedback(card=card, message="Zły numer pokoju", contact="")
    db.session.add(feedback)
    db.session.commit()
    editor = as_user("redaktor")
    token = token_from(editor, URL)
    response = editor.post(f"{URL}zgloszenia/{feedback.id}/rozwiaz", data={"note": "Poprawiono", "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert feedback.resolved_at is not None and feedback.note == "Poprawiono" and feedback.resolved_by == "Redaktor"
    again = editor.post(f"{URL}zgloszenia/{feedback.id}/rozwiaz", data={"note": "", "csrf_token": token})
    assert again.status_code == 302
    assert "już rozpatrzone" in editor.get(URL).get_data(as_text=True)


def test_confirm_from_the_dashboard(factory, as_user, at_now):
    card = factory.published_card("dowod")
    editor = as_user("redaktor")
    with frozen(at_now + timedelta(days=10)):
        response = editor.post(f"{URL}karty/{card.id}/potwierdz", data={"csrf_token": token_from(editor, URL)})
    assert response.status_code == 302
    db.session.expire_all()
    assert card.last_verified_by == "Redaktor" and card.last_verified_at == at_now + timedelta(days=10)


def test_posts_without_csrf_are_refused(factory, as_user, at_now):
    card = factory.published_card("dowod")
    assert as_user("redaktor").post(f"{URL}karty/{card.id}/potwierdz").status_code == 400


def add_queries(*rows):
    for text, results, opened in rows:
        db.session.add(SearchQuery(text=text, result_count=results, opened_slug=opened, at=now()))
    db.session.commit()


def test_content_gaps_grouped_by_normalised_form(factory, as_user, at_now):
    from kiosk.freshness.gaps import content_gaps

    factory.published_card("dowod")
    add_queries(("Becikowe", 0, None), ("becikowe ", 0, None), ("BECIKOWE", 0, None), ("dowód", 3, "dowod"),
                ("zasiłek  pogrzebowy", 2, None), ("zasilek pogrzebowy", 0, None))  # fmt: skip
    gaps = {g.query: (g.zero_results, g.no_click) for g in content_gaps()}
    assert gaps == {"becikowe": (3, 0), "zasilek pogrzebowy": (1, 1)}
    html = as_user("redaktor").get(URL).get_data(as_text=True)
    assert "becikowe" in html and "Dodaj do karty" in html


def test_gap_attached_to_a_card_as_a_draft_keyword(factory, as_user, at_now):
    card = factory.published_card("dowod")
    editor = as_user("redaktor")
    response = editor.post(f"{URL}luki/karta", data={"query": "Dowodzik  Osobisty", "slug": "dowod",
                                                     "csrf_token": token_from(editor, URL)})  # fmt: skip
    assert response.status_code == 302
    draft = db.session.scalar(select(Edition).where(Edition.card_id == card.id, Edition.status == EditionStatus.DRAFT))
    assert "dowodzik osobisty" in draft.keywords
    data = {"query": "x", "slug": "nie-ma", "csrf_token": token_from(editor, URL)}
    missing = editor.post(f"{URL}luki/karta", data=data)
    assert missing.status_code == 302
    assert "Nie ma karty" in editor.get(URL).get_data(as_text=True)


@pytest.mark.parametrize("words", ["", "urlop macierzyński"])
def test_synonym_action_reports_clearly(app, factory, as_user, at_now, words):
    editor = as_user("redaktor")
    response = editor.post(f"{URL}luki/synonim", data={"query": "macierzynski", "words": words,
                                                       "csrf_token": token_from(editor, URL)})  # fmt: skip
    assert response.status_code == 302
    html = editor.get(URL).get_data(as_text=True)
    synonyms = (Path(app.config["KIOSK_CONTENT_DIR"]) / "synonyms.yaml").read_text(encoding="utf-8")
    if words:
        assert "Dodano synonim „macierzynski”" in html and "macierzynski: [urlop macierzyński]" in synonyms
    else:
        assert "co najmniej jedno słowo" in html and "macierzynski" not in synonyms


def test_owner_sees_and_confirms_their_cards(factory, as_user, at_now):
    card = factory.published_card("dowod")
    other = factory.published_card("paszport")
    other.owner_department = None
    db.session.commit()
    owner = as_user("kierownik", roles=[Role.APPROVER], departments=[card.owner_department])
    assert owner.get(URL).status_code == 403  # the dashboard is for editors
    html = owner.get(f"{URL}moje-karty").get_data(as_text=True)
    assert "/uslugi/dowod" in html and "/uslugi/paszport" not in html
    token = token_from(owner, f"{URL}moje-karty")
    with frozen(at_now + timedelta(days=3)):
        response = owner.post(f"{URL}karty/{card.id}/potwierdz", data={"csrf_token": token, "next": f"{URL}moje-karty"})
    assert response.headers["Location"].endswith("/admin/swiezosc/moje-karty")
    refused = owner.post(f"{URL}karty/{other.id}/potwierdz", data={"csrf_token": token, "next": f"{URL}moje-karty"})
    assert refused.status_code == 403
    assert "właściciel albo redaktor" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert card.last_verified_by == "Kierownik" and other.last_verified_by != "Kierownik"


def test_my_cards_needs_login(client):
    response = client.get(f"{URL}moje-karty")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
