"""Workflow e-mail through a real SMTP server on loopback: approvers on submit, authors on send-back."""

import logging
import time

from kiosk.accounts.models import Role
from kiosk.background import wait_for_background
from kiosk.cards import services
from kiosk.cards.models import EditionContributor, EditionStatus
from kiosk.facts.models import Department
from tests.freshness.conftest import free_port, hanging_smtp, smtp_server  # noqa: F401  (the fixture)

from .conftest import csrf_token, post
from .test_cards import draft_of, open_draft, save


def test_submit_mails_the_departments_approvers_with_a_link_to_the_inbox(app, db, factory, as_user, smtp_server):  # noqa: F811
    app.config["BASE_URL"] = "https://okienko.test"
    card = factory.published_card("dowod")
    other = Department(slug="inny", name="Inny")
    db.session.add(other)
    factory.user("anna", [Role.APPROVER], departments=[card.owner_department])
    factory.user("obcy", [Role.APPROVER], departments=[other])
    igor = factory.user("igor", [Role.APPROVER], departments=[card.owner_department])
    db.session.commit()
    editor = as_user("ewa")
    open_draft(editor, card)
    edition = draft_of(db, card)
    # a contributor may not approve, so is not asked to
    edition.contributors.append(EditionContributor(user=igor, user_id=igor.id, kind="save"))
    db.session.commit()
    smtp_server.messages.clear()  # the factory's own submission
    assert post(editor, f"/admin/cards/editions/{edition.id}/submit").status_code == 302
    wait_for_background()  # sent after the response, from a background thread
    assert len(smtp_server.messages) == 1
    recipients, subject, body = smtp_server.messages[0]
    assert recipients == ["anna@plock.test"]
    assert subject == "Okienko: do zatwierdzenia – Wydanie dowodu osobistego"
    assert f"https://okienko.test/admin/inbox/#wydanie-{edition.id}" in body
    assert "ewa" not in body.lower()  # no more than needed: no names, no content


def test_send_back_mails_every_author_with_the_reason(db, factory, as_user, smtp_server):  # noqa: F811
    card = factory.published_card("dowod")
    ewa, ola = as_user("ewa"), as_user("ola")
    ewa.user.email, ola.user.email = "ewa@plock.test", "ola@plock.test"
    db.session.commit()
    smtp_server.messages.clear()
    open_draft(ewa, card)
    assert save(ola, card, summary="Poprawione przez Olę.").status_code == 302
    edition = draft_of(db, card)
    post(ewa, f"/admin/cards/editions/{edition.id}/submit")
    wait_for_background()
    smtp_server.messages.clear()
    anna = as_user("anna", [Role.APPROVER])
    response = post(anna, f"/admin/cards/editions/{edition.id}/send-back", {"comment": "Brak opłaty skarbowej."})
    assert response.status_code == 302 and draft_of(db, card).status == EditionStatus.DRAFT
    wait_for_background()
    assert len(smtp_server.messages) == 1
    recipients, subject, body = smtp_server.messages[0]
    assert sorted(recipients) == ["ewa@plock.test", "ola@plock.test"]
    assert subject.startswith("Okienko: zwrócono do poprawy")
    assert "Powód: Brak opłaty skarbowej." in body and f"/admin/cards/{card.id}/edit" in body


def test_nothing_is_sent_when_the_step_is_rolled_back(db, factory, smtp_server):  # noqa: F811
    editor, approver, _ = team = factory.team()
    card = factory.published_card("dowod", team=team)
    edition = services.open_draft(card, editor)
    db.session.commit()
    smtp_server.messages.clear()
    services.submit_edition(edition, editor)
    db.session.rollback()
    db.session.commit()
    assert smtp_server.messages == []
    services.submit_edition(db.session.merge(edition), editor)
    db.session.commit()
    assert [m[0] for m in smtp_server.messages] == [[approver.email]]


def test_a_refused_step_sends_nothing(db, factory, as_user, smtp_server):  # noqa: F811
    card = factory.published_card("dowod")
    anna = as_user("anna", [Role.APPROVER])
    editor = as_user("ewa")
    open_draft(editor, card)
    edition = draft_of(db, card)
    post(editor, f"/admin/cards/editions/{edition.id}/submit")
    wait_for_background()
    smtp_server.messages.clear()
    assert post(anna, f"/admin/cards/editions/{edition.id}/send-back", {"comment": "  "}).status_code == 302
    wait_for_background()
    assert draft_of(db, card).status == EditionStatus.IN_REVIEW and smtp_server.messages == []


def test_mail_server_down_never_undoes_the_step(app, db, factory, as_user, caplog, smtp_server):  # noqa: F811
    logging.getLogger("kiosk.cards.notifications").disabled = False
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    card = factory.published_card("dowod")
    editor = as_user("ewa")
    open_draft(editor, card)
    edition = draft_of(db, card)
    with caplog.at_level(logging.ERROR, logger="kiosk.cards.notifications"):
        assert post(editor, f"/admin/cards/editions/{edition.id}/submit").status_code == 302
        wait_for_background()
    assert draft_of(db, card).status == EditionStatus.IN_REVIEW
    assert "unavailable" in caplog.text


def test_a_hanging_mail_server_never_slows_the_submit(app, db, factory, as_user, caplog, smtp_server):  # noqa: F811
    logging.getLogger("kiosk.cards.notifications").disabled = False
    card = factory.published_card("dowod")
    factory.user("anna", [Role.APPROVER])
    editor = as_user("ewa")
    open_draft(editor, card)
    edition = draft_of(db, card)
    token = csrf_token(editor, "/admin/")
    with caplog.at_level(logging.ERROR, logger="kiosk.cards.notifications"):
        with hanging_smtp() as port:
            app.config["SMTP_PORT"] = port  # accepts the connection, never greets: smtplib would wait 10 s
            started = time.monotonic()
            response = editor.post(f"/admin/cards/editions/{edition.id}/submit", data={"csrf_token": token})
            assert response.status_code == 302 and time.monotonic() - started < 8  # not kept for the timeout
            assert draft_of(db, card).status == EditionStatus.IN_REVIEW
        wait_for_background()  # the port is closed: the waiting connection is reset, the failure logged
    assert "unavailable" in caplog.text and smtp_server.messages == []


def test_without_a_base_url_links_start_at_the_public_address_not_at_the_request_host(
    app,
    db,
    factory,
    as_user,
    smtp_server,  # noqa: F811
):
    app.config["BASE_URL"] = ""
    app.config["KIOSK_PUBLIC_URL"] = "https://okienko.plock.test"
    card = factory.published_card("dowod")
    factory.user("anna", [Role.APPROVER], departments=[card.owner_department])
    db.session.commit()
    editor = as_user("ewa")
    open_draft(editor, card)
    edition = draft_of(db, card)
    smtp_server.messages.clear()
    assert post(editor, f"/admin/cards/editions/{edition.id}/submit").status_code == 302
    wait_for_background()
    (_recipients, _subject, body), *_ = smtp_server.messages
    assert f"https://okienko.plock.test/admin/inbox/#wydanie-{edition.id}" in body
    assert "localhost" not in body  # the test client's host
