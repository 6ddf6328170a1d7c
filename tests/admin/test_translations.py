"""The translation screen (issue 14): a translator writes side by side with the live Polish text, another person
approves, a third publishes; a Polish edit marks it behind and the screen shows what changed; hostile posts."""

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.cards.translation_models import Translation, TranslationStatus
from tests.factories import UK_TEXTS
from tests.web.helpers import publish_new_edition

from .conftest import post


def form_fields(texts: dict) -> dict:
    """The translation screen's fields for texts in the domain's shape: "documents-1", "fees-1-what", …"""
    fields = {name: texts[name] for name in ("title", "summary", "settle_text", "body") if name in texts}
    for kind in ("documents", "document_notes"):
        fields |= {f"{kind}-{i}": text for i, text in enumerate(texts.get(kind, []))}
    fields |= {f"fees-{i}-{key}": text for i, fee in enumerate(texts.get("fees", [])) for key, text in fee.items()}
    return fields


UK = form_fields(UK_TEXTS)  # the factory card's Ukrainian texts, as the translator types them


@pytest.fixture
def team(factory):
    return factory.team()


@pytest.fixture
def card(db, factory, team):
    card = factory.published_card("dowod-osobisty", team=team)
    db.session.commit()
    return card


def page_of(card, lang="uk", action=""):
    return f"/admin/translations/{card.id}/{lang}/{action}"


def expected_hash(client, card, lang="uk") -> str:
    html = client.get(page_of(card, lang)).get_data(as_text=True)
    return html.split('name="expected_hash" value="', 1)[1].split('"', 1)[0]


def write(client, card, lang="uk", **fields):
    data = {**UK, "expected_hash": expected_hash(client, card, lang), **fields}
    return post(client, page_of(card, lang, "save"), data, token_from=page_of(card, lang))


def step(client, card, action, lang="uk", token_from="/admin/translations/", **data):
    return post(client, page_of(card, lang, action), data, token_from=token_from)


def latest(db, card, lang="uk") -> Translation | None:
    db.session.expire_all()
    query = select(Translation).where(Translation.card_id == card.id, Translation.language == lang)
    return db.session.scalars(query.order_by(Translation.number.desc())).first()


def row_of(client, card, query="") -> str:
    html = client.get(f"/admin/translations/?language=uk{query}").get_data(as_text=True)
    return html.split(f'data-slug="{card.slug}" data-language="uk"', 1)[1].split("</tr>", 1)[0]


def test_a_translator_writes_another_approves_a_third_publishes_then_a_polish_edit_puts_it_behind(
    db, factory, card, team, as_user, client
):
    ola = as_user("ola", [Role.EDITOR, Role.APPROVER])  # holds the approver role, yet never signs her own text
    bob = as_user("bob", [Role.APPROVER, Role.PUBLISHER])
    cara = as_user("cara", [Role.PUBLISHER])
    assert "brak tłumaczenia" in row_of(ola, card)

    page = ola.get(page_of(card)).get_data(as_text=True)
    assert '<td lang="pl">Fotografia 35 × 45 mm' in page and "(kwota: 17,00 zł)" in page  # Polish side, read-only
    assert 'name="fees-1-amount"' not in page and "Stary Rynek 1" in page  # amounts, addresses: never retyped
    assert write(ola, card).status_code == 302
    assert latest(db, card).status == TranslationStatus.DRAFT and "szkic" in row_of(ola, card)
    assert "Zatwierdź tłumaczenie" not in ola.get(page_of(card)).get_data(as_text=True)
    assert step(ola, card, "submit").status_code == 302
    assert step(ola, card, "approve").status_code == 403  # a crafted POST by the translator
    assert latest(db, card).status == TranslationStatus.IN_REVIEW
    assert page_of(card) in bob.get("/admin/inbox/").get_data(as_text=True)
    assert page_of(card) in bob.get("/admin/").get_data(as_text=True)  # the start page lists it too
    assert "Tłumaczenia do podpisu (0)" in ola.get("/admin/inbox/").get_data(as_text=True)

    assert step(bob, card, "approve").status_code == 302
    assert step(bob, card, "publish").status_code == 403  # the approver does not also publish
    assert step(cara, card, "publish").status_code == 302
    tr = latest(db, card)
    assert tr.status == TranslationStatus.PUBLISHED and tr.reviewed and tr.approver.username == "bob"
    assert "Видача посвідчення особи" in client.get("/uslugi/dowod-osobisty?lang=uk").get_data(as_text=True)

    documents = factory.content()["documents"]
    documents[1] = {**documents[1], "name": "Zdjęcie biometryczne"}
    publish_new_edition(db, factory, card, team, documents=documents)
    assert "w tyle za polską kartą" in row_of(ola, card, "&state=behind")
    page = ola.get(page_of(card)).get_data(as_text=True)
    changes = page.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert "<del>Fotografia 35 × 45 mm</del>" in changes and "<ins>Zdjęcie biometryczne</ins>" in changes
    assert 'value="Заява"' in page and 'id="documents-1" name="documents-1" value=""' in page  # changed row: empty

    assert write(ola, card, **{"documents-1": "Біометрична фотографія"}).status_code == 302
    assert "w tyle za polską kartą" in row_of(ola, card) and "szkic" in row_of(ola, card)
    for client_, action in ((ola, "submit"), (bob, "approve"), (cara, "publish")):
        assert step(client_, card, action).status_code == 302
    tr = latest(db, card)
    assert tr.number == 2 and tr.status == TranslationStatus.PUBLISHED and tr.behind_since is None
    assert "opublikowane" in row_of(ola, card) and "w tyle" not in row_of(ola, card)
    assert "Біометрична фотографія" in client.get("/uslugi/dowod-osobisty?lang=uk").get_data(as_text=True)


def test_send_back_voids_the_approval_and_shows_the_reason(db, card, as_user):
    ola, bob = as_user("ola", [Role.EDITOR]), as_user("bob", [Role.APPROVER])
    write(ola, card)
    step(ola, card, "submit")
    step(bob, card, "approve")
    assert step(bob, card, "send-back", comment=" ").status_code == 302
    assert "Podaj powód" in bob.get(page_of(card)).get_data(as_text=True)
    assert latest(db, card).status == TranslationStatus.APPROVED  # no reason: nothing changes
    assert step(bob, card, "send-back", comment="x" * 2001).status_code == 302
    assert "najwyżej 2000 znaków" in bob.get(page_of(card)).get_data(as_text=True)
    assert latest(db, card).status == TranslationStatus.APPROVED
    assert step(bob, card, "send-back", comment="Popraw tytuł.").status_code == 302
    tr = latest(db, card)
    assert tr.status == TranslationStatus.DRAFT and tr.approver_id is None and not tr.approved_hash
    assert "Popraw tytuł." in ola.get(page_of(card)).get_data(as_text=True)


def test_people_without_the_role_are_refused_on_every_post(db, card, as_user):
    desk = as_user("desk", [Role.FRONT_DESK])
    assert desk.get("/admin/translations/").status_code == 403
    for action in ("save", "submit", "approve", "send-back", "publish"):
        assert step(desk, card, action, token_from="/admin/bok/", title="x").status_code == 403, action
    reader = as_user("reader", [Role.APPROVER])  # may see the screen, may not write
    assert "translation-form" not in reader.get(page_of(card)).get_data(as_text=True)
    assert step(reader, card, "save", title="x").status_code == 403
    assert latest(db, card) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "x" * 301}, "najwyżej 300 znaków"),
        ({"summary": "x" * 20_001}, "najwyżej 20 000 znaków"),
        ({"title": "  "}, "musi mieć tytuł"),
    ],
)
def test_bad_text_is_a_message_next_to_the_form_and_nothing_is_saved(db, card, as_user, fields, message):
    ola = as_user("ola", [Role.EDITOR])
    response = write(ola, card, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and 'id="translation-form"' in html
    assert latest(db, card) is None


def test_hostile_addresses_and_fields_never_give_a_500(db, card, as_user):
    ola = as_user("ola", [Role.EDITOR])
    bad = ola.get(f"/admin/translations/{card.id}/de/")
    assert bad.status_code == 400 and "Nieznany język" in bad.get_data(as_text=True)
    assert step(ola, card, "save", lang="de", title="x").status_code == 400
    assert ola.get(f"/admin/translations/{card.id}/{'u' * 500}/").status_code == 400
    assert ola.get("/admin/translations/999999/uk/").status_code == 404
    assert ola.get("/admin/translations/?language=xx&state=<b>&department=abc&q=" + "x" * 500).status_code == 200
    assert step(ola, card, "submit").status_code == 302  # nothing open: a message, not an error
    assert write(ola, card, summary="a\x00b").status_code == 400  # refused before any view (kiosk.requestargs)
    assert ola.post(page_of(card, action="save"), data=UK).status_code == 400  # no CSRF token
    response = write(ola, card, **{"documents-99": "зайвий", "fees-7-what": "зайвий", "summary": " Стисло. "})
    assert response.status_code == 302
    tr = latest(db, card)
    assert tr.summary == "Стисло." and "зайвий" not in str(tr.pairs)


def test_a_save_over_someone_elses_newer_save_shows_theirs_and_overwrites_nothing(db, card, as_user):
    ola, adam = as_user("ola", [Role.EDITOR]), as_user("adam", [Role.EDITOR])
    write(ola, card)
    stale = expected_hash(adam, card)
    write(ola, card, title="Посвідчення особи")
    data = {**UK, "title": "Паспорт громадянина", "expected_hash": stale}
    response = post(adam, page_of(card, action="save"), data, token_from=page_of(card))
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Посвідчення особи" in html.split('id="conflict"', 1)[1]
    assert 'value="Паспорт громадянина"' in html and latest(db, card).title == "Посвідчення особи"
    again = post(adam, page_of(card, action="save"), {**data, "expected_hash": html.split(
        'name="expected_hash" value="', 1)[1].split('"', 1)[0]}, token_from=page_of(card))  # fmt: skip
    assert again.status_code == 302 and latest(db, card).title == "Паспорт громадянина"


def test_the_screen_speaks_the_translators_language_and_marks_each_text_with_its_own(db, card, as_user):
    ola = as_user("ola", [Role.EDITOR])
    html = ola.get(page_of(card) + "?lang=uk").get_data(as_text=True)
    assert '<div lang="uk">' in html and "Зберегти переклад" in html and "Польський текст і переклад" in html
    assert '<td lang="pl">Wydanie dowodu osobistego</td>' in html and 'lang="uk" id="title"' in html
    listing = ola.get("/admin/translations/?lang=en&language=uk").get_data(as_text=True)
    assert "Card translations" in listing and 'data-language="en"' not in listing
