"""Editing drafts and moving them through the workflow from the back office."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.audit import AuditRecord
from kiosk.cards import services
from kiosk.cards.models import Card, Edition, EditionStatus
from kiosk.clock import today

from .conftest import csrf_token, form_data, login, post

ALL_CARD_ROLES = [Role.EDITOR, Role.APPROVER, Role.PUBLISHER]


@pytest.fixture
def card(factory):
    return factory.published_card("dowod-osobisty")


def open_draft(client, card):
    response = post(client, f"/admin/cards/{card.id}/open-draft")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/cards/{card.id}/edit")


def edit_form(client, card) -> dict:
    response = client.get(f"/admin/cards/{card.id}/edit")
    assert response.status_code == 200
    return form_data(response.get_data(as_text=True))


def save(client, card, **changes):
    data = {**edit_form(client, card), **changes}
    return client.post(f"/admin/cards/{card.id}/edit", data=data)


def draft_of(db, card) -> Edition:
    db.session.expire_all()
    return db.session.scalar(select(Edition).where(Edition.card_id == card.id).order_by(Edition.number.desc()))


def test_card_list_shows_status_department_and_filters(db, card, factory, as_user):
    factory.published_card("karta-parkingowa", title="Karta parkingowa")
    client = as_user("ewa", ALL_CARD_ROLES)
    html = client.get("/admin/cards/").get_data(as_text=True)
    assert "Wydanie dowodu osobistego" in html and "Karta parkingowa" in html
    assert "opublikowane" in html and "Wydział Testowy" in html
    filtered = client.get("/admin/cards/?q=parking").get_data(as_text=True)
    assert "Karta parkingowa" in filtered and "dowod-osobisty" not in filtered
    assert "Brak kart" in client.get("/admin/cards/?status=draft").get_data(as_text=True)
    assert client.get("/admin/cards/?q=%25%27%22<script>&page=abc&department=x").status_code == 200


def test_editor_saves_fees_documents_and_rows_in_order(db, card, as_user):
    client = as_user("ewa")
    open_draft(client, card)
    data = edit_form(client, card)
    data.update({"fees-0-amount": "30,50", "documents-1-name": "Zdjęcie 35 × 45 mm",
                 "documents-2-name": "Stary dowód", "documents-2-form": "to_show", "documents-2-note": "",
                 "service_points-0-room": "pokój 12", "service_points-0-window": "okienko 4"})  # fmt: skip
    # Reorder: the new document first (indices decide the order, as the page's script renumbers them).
    data = {k.replace("documents-2-", "documents-x-").replace("documents-0-", "documents-2-")
             .replace("documents-x-", "documents-0-"): v for k, v in data.items()}  # fmt: skip
    response = client.post(f"/admin/cards/{card.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    draft = draft_of(db, card)
    assert [d.name for d in draft.documents] == ["Stary dowód", "Zdjęcie 35 × 45 mm", "Wniosek"]
    assert draft.documents[0].required is False  # unchecked box on a new row
    assert draft.fees[0].amount == Decimal("30.50")
    assert (draft.points[0].room, draft.points[0].window) == ("pokój 12", "okienko 4")
    assert draft.status == EditionStatus.DRAFT and draft.lock_version == 2


def test_removing_a_row_removes_it(db, card, as_user):
    client = as_user("ewa")
    open_draft(client, card)
    data = {k: v for k, v in edit_form(client, card).items() if not k.startswith("fees-1-")}
    assert client.post(f"/admin/cards/{card.id}/edit", data=data).status_code == 302
    assert [f.what for f in draft_of(db, card).fees] == ["Wydanie dowodu"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fees-0-amount", "abc", "Kwota musi być liczbą"),
        ("fees-0-amount", "-5", "Kwota nie może być ujemna"),
        ("fees-0-amount", "1e400", "Kwota może mieć najwyżej"),
        ("fees-0-amount", "100 000 000", "do 99 999 999,99 zł"),
        ("title", "   ", "Tytuł jest wymagany"),
        ("body", "x" * 1_000_000, "Opis może mieć najwyżej"),
        ("settle_days", "dużo", "Nieprawidłowa"),
        ("online_url", "javascript:alert(1)", "Podaj pełny adres"),
        ("service_points-0-room", "r" * 121, "Najwyżej 120 znaków"),
        ("legal_acts-0-act", "nie-ma-takiego", "Nieprawidłowy wybór"),
        ("documents-0-form", "<b>", "Nieprawidłowy wybór"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(db, card, as_user, field, value, message):
    client = as_user("ewa")
    open_draft(client, card)
    before = draft_of(db, card).lock_version
    response = save(client, card, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert draft_of(db, card).lock_version == before


def test_html_and_script_are_stored_as_text_and_never_rendered(db, card, as_user, client):
    client_ed = as_user("ewa", ALL_CARD_ROLES[:1])
    open_draft(client_ed, card)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert save(client_ed, card, title=f"Dowód {evil}", body=f"Tekst {evil} [a](javascript:alert(1))",
                **{"documents-0-name": evil}).status_code == 302  # fmt: skip
    html = client_ed.get(f"/admin/cards/{card.id}/edit").get_data(as_text=True)
    assert "<script>alert" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    preview = post(client_ed, "/admin/cards/preview", {"body": evil + "\n\n**ok**"})
    assert "<script" not in preview.get_data(as_text=True) and "<strong>ok</strong>" in preview.get_data(as_text=True)


def test_opening_a_draft_and_saving_it_keeps_the_effective_date(db, factory, as_user):
    card = factory.published_card("dowod-osobisty", effective_date=date(2026, 7, 1))
    client = as_user("ewa")
    open_draft(client, card)
    form = edit_form(client, card)
    assert form["effective_date"] == "2026-07-01"  # shown in the form as the live edition has it
    assert save(client, card, summary="Nowe streszczenie.").status_code == 302
    assert draft_of(db, card).effective_date == date(2026, 7, 1)  # an untouched date is not reset on save


def test_an_untouched_text_sent_with_browser_line_breaks_is_no_change(db, card, as_user):
    client = as_user("ewa")
    open_draft(client, card)
    body = card.live_edition.body + "\n\nDrugi akapit."
    assert save(client, card, body=body.replace("\n", "\r\n")).status_code == 302  # as a browser sends it
    assert draft_of(db, card).body == body
    assert save(client, card, body=body.replace("\n", "\r\n"), summary="Nowe.").status_code == 302
    changes = services.changes_against_live(draft_of(db, card))
    [words] = [c.words for c in changes if c.field == "body"]
    assert {c.field for c in changes} == {"summary", "body"}
    assert "".join(w for op, w in words if op == "+").strip() == "Drugi akapit."  # only the new paragraph marked
    assert not [w for op, w in words if op == "-"]


def test_stale_save_is_refused_with_a_diff_of_what_the_other_saved(db, card, app, as_user):
    first, second = as_user("ewa"), as_user("adam")
    open_draft(first, card)
    form_first, form_second = edit_form(first, card), edit_form(second, card)
    assert first.post(f"/admin/cards/{card.id}/edit",
                      data={**form_first, "fees-0-amount": "40,00"}).status_code == 302  # fmt: skip
    response = second.post(f"/admin/cards/{card.id}/edit", data={**form_second, "title": "Tytuł Adama"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "zapisał w międzyczasie inny redaktor" in html
    assert 'id="conflict"' in html and "Opłaty" in html and "40,00 zł" in html
    draft = draft_of(db, card)
    assert draft.title == "Wydanie dowodu osobistego" and draft.fees[0].amount == Decimal("40.00")
    assert "ostatnio: Ewa" in html and "Wersja zapisana (Ewa)" in html
    # Saving the same form again never silently reverts Ewa's fee: every differing field needs a choice.
    again = {**form_data(html), "title": "Tytuł Adama"}
    assert again["theirs_version"] == str(draft.lock_version) and again["expected_version"] != again["theirs_version"]
    refused = second.post(f"/admin/cards/{card.id}/edit", data=again).get_data(as_text=True)
    assert "Wybierz, którą wersję zachować, dla pól: Tytuł, Opłaty." in refused
    assert draft_of(db, card).fees[0].amount == Decimal("40.00")
    chosen = {**form_data(refused), "title": "Tytuł Adama", "resolve-title": "mine", "resolve-fees": "theirs"}
    assert second.post(f"/admin/cards/{card.id}/edit", data=chosen).status_code == 302
    draft = draft_of(db, card)
    assert draft.title == "Tytuł Adama" and draft.fees[0].amount == Decimal("40.00")


def test_conflict_names_who_saved_last_not_who_opened_the_draft(db, card, as_user):
    ewa, ola, adam = as_user("ewa"), as_user("ola"), as_user("adam")
    open_draft(ewa, card)  # Ewa opened the draft; Adam loads it, then Ola saves first
    form_adam = edit_form(adam, card)
    assert save(ola, card, summary="Streszczenie Oli.").status_code == 302
    html = adam.post(f"/admin/cards/{card.id}/edit", data={**form_adam, "title": "Tytuł Adama"}).get_data(as_text=True)
    problem = html.split('id="problem">', 1)[1].split("</div>", 1)[0]
    assert "ostatnio: Ola" in problem and "Ewa" not in problem and "Wersja zapisana (Ola)" in html


def test_conflict_choice_is_refused_when_someone_saved_again_meanwhile(db, card, as_user):
    first, second = as_user("ewa"), as_user("adam")
    open_draft(first, card)
    form_second = edit_form(second, card)
    save(first, card, summary="Streszczenie Ewy")
    html = second.post(f"/admin/cards/{card.id}/edit", data={**form_second, "title": "Tytuł Adama"}).get_data(
        as_text=True
    )
    save(first, card, summary="Drugie streszczenie Ewy")
    chosen = {**form_data(html), "resolve-title": "mine", "resolve-summary": "mine"}
    again = second.post(f"/admin/cards/{card.id}/edit", data=chosen).get_data(as_text=True)
    assert "zapisał w międzyczasie" in again and "Drugie streszczenie Ewy" in again
    assert draft_of(db, card).summary == "Drugie streszczenie Ewy"


def test_workflow_buttons_follow_roles_and_four_eyes(db, card, as_user):
    editor = as_user("ewa", [Role.EDITOR, Role.APPROVER, Role.PUBLISHER])
    open_draft(editor, card)
    edition = draft_of(db, card)
    page = editor.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    assert "Przekaż do zatwierdzenia" in page and "Zatwierdź merytorycznie" not in page
    assert post(editor, f"/admin/cards/editions/{edition.id}/submit").status_code == 302
    page = editor.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    assert "Zatwierdź merytorycznie" not in page  # the author holds the approver role but wrote this edition
    forged = post(editor, f"/admin/cards/editions/{edition.id}/approve", {"comment": "sam sobie"})
    assert forged.status_code == 403
    assert draft_of(db, card).status == EditionStatus.IN_REVIEW

    approver = as_user("anna", [Role.APPROVER])
    assert "Zatwierdź merytorycznie" in approver.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    assert post(approver, f"/admin/cards/editions/{edition.id}/approve", {"comment": "Zgodne z KPA"}).status_code == 302
    assert draft_of(db, card).comment == "Zgodne z KPA"
    publisher = as_user("piotr", [Role.PUBLISHER])
    assert post(publisher, f"/admin/cards/editions/{edition.id}/publish", {"on": ""}).status_code == 302
    assert draft_of(db, card).status == EditionStatus.PUBLISHED
    in_order = select(AuditRecord.action).where(AuditRecord.card_id == card.id).order_by(AuditRecord.id)
    actions = db.session.scalars(in_order).all()  # in the order written: without ORDER BY PostgreSQL may return any
    assert actions[-3:] == ["submit", "approve", "publish"]


def test_post_to_another_roles_action_is_forbidden(db, card, as_user):
    editor = as_user("ewa", [Role.EDITOR])
    open_draft(editor, card)
    edition = draft_of(db, card)
    for action in ("approve", "send-back", "publish"):
        assert post(editor, f"/admin/cards/editions/{edition.id}/{action}", {"comment": "x"}).status_code == 403
    assert post(editor, f"/admin/cards/{card.id}/withdraw").status_code == 403
    approver = as_user("anna", [Role.APPROVER])
    assert post(approver, f"/admin/cards/editions/{edition.id}/revert").status_code == 403
    assert post(approver, f"/admin/cards/editions/{edition.id}/submit").status_code == 403
    assert post(approver, f"/admin/cards/{card.id}/edit", edit_form(editor, card)).status_code == 403
    assert draft_of(db, card).status == EditionStatus.DRAFT


def test_approver_is_limited_to_own_departments(db, card, factory, as_user):
    other = factory._get_or_add(type(card.owner_department), slug="inny", name="Inny wydział")
    db.session.commit()
    editor = as_user("ewa")
    open_draft(editor, card)
    edition = draft_of(db, card)
    post(editor, f"/admin/cards/editions/{edition.id}/submit")
    approver = as_user("anna", [Role.APPROVER], departments=[other])
    assert "Zatwierdź" not in approver.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    assert post(approver, f"/admin/cards/editions/{edition.id}/approve").status_code == 403


def test_tampered_ids_give_404(db, card, as_user):
    client = as_user("ewa", ALL_CARD_ROLES)
    assert client.get("/admin/cards/999999/").status_code == 404
    assert client.get("/admin/cards/999999/edit").status_code == 404
    assert post(client, "/admin/cards/editions/999999/approve").status_code == 404
    live = card.live_edition_id
    assert client.get(f"/admin/cards/{card.id}/diff?a={live}&b=999999").status_code == 404
    assert client.get(f"/admin/cards/{card.id}/diff?a=x&b=1").status_code == 400


def test_missing_or_forged_csrf_token_is_refused(db, card, as_user):
    client = as_user("ewa")
    assert client.post(f"/admin/cards/{card.id}/open-draft").status_code == 400
    forged = client.post(f"/admin/cards/{card.id}/open-draft", data={"csrf_token": "forged." + "a" * 40})
    assert forged.status_code == 400
    assert db.session.scalar(select(Edition).where(Edition.status == EditionStatus.DRAFT)) is None


def test_send_back_needs_a_comment_and_keeps_it(db, card, as_user):
    editor, approver = as_user("ewa"), as_user("anna", [Role.APPROVER])
    open_draft(editor, card)
    edition = draft_of(db, card)
    post(editor, f"/admin/cards/editions/{edition.id}/submit")
    response = post(approver, f"/admin/cards/editions/{edition.id}/send-back", {"comment": ""})
    assert response.status_code == 302 and draft_of(db, card).status == EditionStatus.IN_REVIEW
    post(approver, f"/admin/cards/editions/{edition.id}/send-back", {"comment": "Brak podstawy prawnej"})
    draft = draft_of(db, card)
    assert draft.status == EditionStatus.DRAFT and draft.comment == "Brak podstawy prawnej"
    assert "Brak podstawy prawnej" in editor.get(f"/admin/cards/{card.id}/").get_data(as_text=True)


def test_publish_at_a_date_withdraw_and_revert(db, card, as_user):
    editor, approver = as_user("ewa"), as_user("anna", [Role.APPROVER])
    publisher = as_user("piotr", [Role.PUBLISHER])
    open_draft(editor, card)
    save(editor, card, **{"fees-0-amount": "12,00"})
    edition = draft_of(db, card)
    post(editor, f"/admin/cards/editions/{edition.id}/submit")
    post(approver, f"/admin/cards/editions/{edition.id}/approve")
    past = post(publisher, f"/admin/cards/editions/{edition.id}/publish", {"on": "2000-01-01"}, follow_redirects=True)
    assert "nie może być w przeszłości" in past.get_data(as_text=True)
    later = (today() + timedelta(days=10)).isoformat()
    post(publisher, f"/admin/cards/editions/{edition.id}/publish", {"on": later})
    db.session.expire_all()
    assert draft_of(db, card).status == EditionStatus.APPROVED and card.next_scheduled_on.isoformat() == later

    first = db.session.scalar(select(Edition).where(Edition.card_id == card.id, Edition.number == 1))
    assert post(publisher, f"/admin/cards/{card.id}/withdraw", {"comment": "nieaktualne"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Card, card.id).live_edition_id is None
    # Reverting opens a draft that needs review: an editor's step, refused while an edition is open.
    assert "Przywróć" not in publisher.get(f"/admin/cards/{card.id}/history").get_data(as_text=True)
    assert post(publisher, f"/admin/cards/editions/{first.id}/revert").status_code == 403
    refused = post(editor, f"/admin/cards/editions/{first.id}/revert", follow_redirects=True)
    assert "otwarte wydanie" in refused.get_data(as_text=True)


def test_publisher_publishes_a_due_scheduled_edition_as_an_explicit_step(db, card, factory, as_user):
    edition = factory.scheduled_edition(card, factory.team(), today(), title="Dowód osobisty – nowe wydanie")
    editor, publisher = as_user("ewa"), as_user("piotr", [Role.PUBLISHER])
    assert "Opublikuj teraz" not in editor.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    assert post(editor, f"/admin/cards/{card.id}/publish-due").status_code == 403
    assert "Opublikuj teraz" in publisher.get(f"/admin/cards/{card.id}/").get_data(as_text=True)
    done = post(publisher, f"/admin/cards/{card.id}/publish-due", follow_redirects=True).get_data(as_text=True)
    assert "Opublikowano zaplanowane wydanie: Wydanie 02" in done and "Opublikuj teraz" not in done
    db.session.expire_all()
    assert db.session.get(Card, card.id).live_edition_id == edition.id
    again = post(publisher, f"/admin/cards/{card.id}/publish-due", follow_redirects=True).get_data(as_text=True)
    assert "nie ma wydania, którego data publikacji już nadeszła" in again


def test_history_and_diff(db, card, as_user):
    editor = as_user("ewa", ALL_CARD_ROLES)
    open_draft(editor, card)
    save(editor, card, body="## Kto składa\n\nWniosek składasz osobiście albo przez ePUAP.",
         **{"fees-1-amount": "20,00"})  # fmt: skip
    first, second = db.session.scalars(select(Edition).where(Edition.card_id == card.id)
                                       .order_by(Edition.number)).all()  # fmt: skip
    history = editor.get(f"/admin/cards/{card.id}/history").get_data(as_text=True)
    assert "01" in history and "02" in history and "Import" not in history
    assert "Historia karty „Wydanie dowodu osobistego”" in history  # the title a person knows, not the slug
    diff = editor.get(f"/admin/cards/{card.id}/diff?a={second.id}&b={first.id}").get_data(as_text=True)
    assert "„Wydanie dowodu osobistego”: wydanie 01 → 02" in diff
    assert "<del>osobiście.</del>" in diff and "<ins>osobiście albo przez ePUAP.</ins>" in diff
    assert "Opłaty" in diff and "kwota:</span> 20,00 zł" in diff  # amounts as a person writes them


def test_new_card(db, factory, as_user):
    factory.facts()
    db.session.commit()
    client = as_user("ewa")
    dept = factory.facts()["department"].id
    bad = post(client, "/admin/cards/new", {"slug": "Zły Slug!", "title": "", "owner_department": dept},
               token_from="/admin/cards/new")  # fmt: skip
    assert "Tylko małe litery" in bad.get_data(as_text=True) and "Tytuł jest wymagany" in bad.get_data(as_text=True)
    ok = post(client, "/admin/cards/new", {"slug": "nowa-karta", "title": "Nowa karta", "owner_department": dept},
              token_from="/admin/cards/new")  # fmt: skip
    assert ok.status_code == 302
    card = db.session.scalar(select(Card).where(Card.slug == "nowa-karta"))
    assert card.editions[0].title == "Nowa karta"
    assert csrf_token(client, f"/admin/cards/{card.id}/edit")


def test_nul_characters_are_refused_with_a_message_not_a_500(db, card, as_user):
    """PostgreSQL refuses NUL in text; the request guard (kiosk.requestargs) answers 400 before any form."""
    client = as_user("ewa")
    open_draft(client, card)
    before = draft_of(db, card).lock_version
    response = save(client, card, title="Dowód\x00 osobisty", **{"fees-0-what": "Opłata\x00"})
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    assert draft_of(db, card).lock_version == before
    assert login(client, "ewa\x00", "x\x00" * 3).status_code == 400
