"""Translations: four-eyes workflow, the behind flag through a Polish edit, honest card pages in en/uk."""

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.audit import AuditRecord
from kiosk.cards import translations as tr_services
from kiosk.cards.translation_models import TranslationStatus
from kiosk.errors import ConflictError, InvalidTransition, PermissionDenied, ValidationError
from kiosk.facts.models import Department
from tests.factories import UK_TEXTS as UK
from tests.web.helpers import publish_new_edition


@pytest.fixture
def team(factory):
    return factory.team()


@pytest.fixture
def card(db, factory, team):
    card = factory.published_card("dowod-osobisty-wydanie", team=team)
    db.session.commit()
    return card


def test_translator_can_neither_approve_nor_publish_and_the_approver_does_not_publish(db, factory, card, team):
    _, _approver, publisher = team
    insider = factory.user("insider", roles=[Role.EDITOR, Role.APPROVER, Role.PUBLISHER])
    tr = tr_services.write_translation(card, "uk", UK, insider)
    tr_services.submit_translation(tr, insider)
    with pytest.raises(PermissionDenied, match="czterech oczu"):
        tr_services.approve_translation(tr, insider)
    boss = factory.user("boss", roles=[Role.APPROVER, Role.PUBLISHER])
    tr_services.approve_translation(tr, boss)
    with pytest.raises(PermissionDenied, match="czterech oczu"):
        tr_services.publish_translation(tr, insider)
    with pytest.raises(PermissionDenied, match="inna osoba"):
        tr_services.publish_translation(tr, boss)
    tr_services.publish_translation(tr, publisher)
    assert tr.status == TranslationStatus.PUBLISHED and tr.reviewed and tr.behind_since is None
    actions = db.session.scalars(select(AuditRecord.action).where(AuditRecord.object_type == "translation"))
    assert list(actions) == ["write_translation", "submit_translation", "approve_translation", "publish_translation"]


def test_a_whole_edit_by_a_second_translator_makes_them_a_contributor_too(db, factory, card, team):
    editor, _approver, _ = team
    other = factory.user("other", roles=[Role.EDITOR, Role.APPROVER])
    tr = tr_services.write_translation(card, "en", {"title": "Getting an ID card"}, editor)
    tr_services.write_translation(card, "en", {"title": "Getting your ID card"}, other)
    tr_services.submit_translation(tr, editor)
    with pytest.raises(PermissionDenied):
        tr_services.approve_translation(tr, other)
    with pytest.raises(InvalidTransition, match="w przeglądzie"):
        tr_services.write_translation(card, "en", {"title": "Changed in review"}, editor)


@pytest.mark.parametrize(
    ("language", "texts", "message"),
    [
        ("de", {"title": "Ausweis"}, "Nieznany język"),
        ("uk", {"summary": "без назви"}, "tytuł"),
        ("uk", {"title": "x", "documents": ["a", "b", "c"]}, "więcej pozycji"),
        ("uk", {"title": "x" * 20_001}, "za długi"),
    ],
)
def test_bad_translations_are_refused_with_a_message(db, card, team, language, texts, message):
    with pytest.raises(ValidationError, match=message):
        tr_services.write_translation(card, language, texts, team[0])


def test_a_polish_edit_of_a_translated_field_marks_the_translation_behind(db, factory, card, team):
    tr = factory.published_translation(card, "uk", team)
    publish_new_edition(db, factory, card, team, appeal="Nowy tryb odwoławczy.")  # not a translated field
    db.session.refresh(tr)
    assert tr.behind_since is None
    documents = factory.content()["documents"]
    documents[1] = {**documents[1], "name": "Fotografia 35 × 45 mm, kolorowa, aktualna"}
    publish_new_edition(db, factory, card, team, documents=documents)
    db.session.refresh(tr)
    assert tr.behind_since is not None
    assert [t.id for t in tr_services.translations_behind()] == [tr.id]
    audit = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "translation_behind"))
    assert audit.detail["language"] == "uk"


def test_behind_page_shows_live_polish_text_for_the_changed_row_with_a_notice(db, client, factory, card, team):
    factory.published_translation(card, "uk", team)
    documents = factory.content()["documents"]
    documents[1] = {**documents[1], "name": "Zdjęcie biometryczne"}
    publish_new_edition(db, factory, card, team, documents=documents)
    page = client.get("/uslugi/dowod-osobisty-wydanie?lang=uk")
    html = page.get_data(as_text=True)
    assert page.headers["Content-Language"] == "uk"
    assert "Видача посвідчення особи" in html and "Заява" in html
    assert "Фотографія 35 × 45 мм" not in html  # the translation of the old text is never shown
    assert '<span lang="pl">Zdjęcie biometryczne</span>' in html
    assert "Переклад оновлюється" in html


def test_reviewed_translation_has_no_notice_and_hreflang_alternates(db, client, factory, card, team):
    texts = {**UK, "body": "## Хто подає\n\nЗаяву подаєте особисто."}
    factory.published_translation(card, "uk", team, texts)
    html = client.get("/uslugi/dowod-osobisty-wydanie?lang=uk").get_data(as_text=True)
    assert "translation-notice" not in html
    assert '<article class="card" lang="uk">' in html
    assert 'hreflang="uk" href="http://localhost/uslugi/dowod-osobisty-wydanie?lang=uk"' in html
    assert 'hreflang="en"' not in html.split("<body")[0]
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert 'hreflang="uk" href="http://localhost/uslugi/dowod-osobisty-wydanie?lang=uk"' in sitemap


def test_card_without_translation_says_polish_only_in_the_readers_language(db, client, card):
    page = client.get("/uslugi/dowod-osobisty-wydanie?lang=en")
    html = page.get_data(as_text=True)
    assert page.headers["Content-Language"] == "pl, en"
    assert "This card is available in Polish only" in html
    assert '<article class="card" lang="pl">' in html and ">Where to go<" in html
    polish = client.get("/uslugi/dowod-osobisty-wydanie?lang=pl")
    assert polish.headers["Content-Language"] == "pl" and "translation-notice" not in polish.get_data(as_text=True)


def test_publishing_a_translation_changes_the_cached_page(db, client, factory, card, team):
    assert "Polish only" in client.get("/uslugi/dowod-osobisty-wydanie?lang=en").get_data(as_text=True)
    factory.published_translation(card, "en", team, {"title": "Getting an ID card"}, translator=team[0])
    html = client.get("/uslugi/dowod-osobisty-wydanie?lang=en").get_data(as_text=True)
    assert "Getting an ID card" in html and "not yet translated are shown in Polish" in html


def test_translated_and_polish_texts_are_escaped(db, client, factory, card, team):
    hostile = {**UK, "title": "<script>alert(1)</script>", "documents": ['<img src=x onerror="alert(1)">']}
    factory.published_translation(card, "uk", team, hostile)
    documents = factory.content()["documents"]
    documents[1] = {**documents[1], "name": "<b>Zdjęcie</b>"}
    publish_new_edition(db, factory, card, team, documents=documents)
    html = client.get("/uslugi/dowod-osobisty-wydanie?lang=uk").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Zdjęcie" not in html
    assert '<span lang="pl">&lt;b&gt;Zdjęcie&lt;/b&gt;</span>' in html


def test_the_cli_lists_behind_translations_and_runs_the_same_four_eyes_steps(db, factory, runner, card, team):
    translator = factory.user("tlumacz", roles=[Role.EDITOR, Role.APPROVER])
    factory.user("boss", roles=[Role.APPROVER, Role.PUBLISHER])
    tr_services.write_translation(card, "uk", UK, translator)
    db.session.commit()
    steps = (("submit", "tlumacz"), ("approve", "tlumacz"), ("approve", "boss"), ("publish", "boss"),
             ("publish", team[2].username))  # fmt: skip
    results = [runner.invoke(args=["translations", name, card.slug, "uk", "--user", user]) for name, user in steps]
    assert [r.exit_code for r in results] == [0, 1, 0, 1, 0]
    assert "czterech oczu" in results[1].output and "inna osoba" in results[3].output
    listed = runner.invoke(args=["translations", "list", "--lang", "uk"])
    assert f"{card.slug}\tuk\tpublished\t" in listed.output
    assert runner.invoke(args=["translations", "list", "--behind"]).output.strip() == "Razem: 0."

    documents = factory.content()["documents"]
    documents[0] = {**documents[0], "name": "Wniosek o wydanie dowodu"}
    publish_new_edition(db, factory, card, team, documents=documents)
    behind = runner.invoke(args=["translations", "list", "--lang", "uk", "--behind"])
    assert behind.output.startswith(f"{card.slug}\tuk\tbehind\t")
    changes = runner.invoke(args=["translations", "changes", card.slug, "uk"])
    assert "document 1: 'Wniosek' → 'Wniosek o wydanie dowodu'" in changes.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["submit", "dowod-osobisty-wydanie", "uk", "--user", "nobody"], "Nie ma użytkownika"),
        (["submit", "no-such-card", "uk", "--user", "tlumacz"], "Nie ma karty"),
        (["submit", "dowod-osobisty-wydanie", "uk", "--user", "tlumacz"], "nie ma otwartego tłumaczenia"),
        (["submit", "dowod-osobisty-wydanie", "de", "--user", "tlumacz"], "'de' is not one of"),
        (["send-back", "dowod-osobisty-wydanie", "uk", "--user", "tlumacz"], "--comment"),
    ],
)
def test_cli_mistakes_are_messages(db, factory, runner, card, args, message):
    factory.user("tlumacz", roles=[Role.EDITOR])
    db.session.commit()
    result = runner.invoke(args=["translations", *args])
    assert result.exit_code != 0 and message in result.output


def test_a_stale_save_is_refused_and_send_back_stays_within_the_approvers_departments(db, factory, card, team):
    editor, _, _ = team
    first = tr_services.write_translation(card, "en", {"title": "ID card"}, editor, expected_hash="")
    seen = first.content_hash
    tr_services.write_translation(card, "en", {"title": "Identity card"}, editor, expected_hash=seen)
    with pytest.raises(ConflictError):
        tr_services.write_translation(card, "en", {"title": "Old view"}, editor, expected_hash=seen)
    with pytest.raises(ValidationError, match="najwyżej 300"):
        tr_services.write_translation(card, "en", {"title": "x" * 301}, editor)
    tr_services.submit_translation(first, editor)
    other = Department(slug="inny", name="Inny wydział")
    outsider = factory.user("outsider", roles=[Role.APPROVER], departments=[other])
    with pytest.raises(PermissionDenied, match="swoich wydziałów"):
        tr_services.send_back_translation(first, outsider, "Nie mój wydział")
    assert tr_services.translations_awaiting(outsider) == []
    assert tr_services.translations_awaiting(team[1]) == [first]
    assert tr_services.translations_awaiting(editor) == []
