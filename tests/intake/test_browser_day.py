"""A day at the counter and in the department, in Chromium, by taps: the clerk registers with the applicant's
choice of e-mail notices, corrects a typo with a reason; department staff (no administrator rights) confirm
receipt and mark the document ready; the applicant gets one e-mail with the case number and nothing personal."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.background import wait_for_background
from kiosk.intake.models import Case, CaseStatus, Notify

from .conftest import PASSWORD

pytestmark = pytest.mark.browser
SLOW = 20_000  # ms: six helpers share two cores; a step may take longer than Playwright's 5 s default


def log_in(page, site, username):
    page.goto(f"{site}/admin/login")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()


def tap(page, locator):
    """Tap where a person sees the control (its box measured first), not a DOM click."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_register_correct_hand_over_ready_and_the_applicant_is_told(db, points, card, desk_user, dept_user,
                                                                    live_server, page, smtp_server):  # fmt: skip
    site = live_server.url
    log_in(page, site, "okienko")
    page.wait_for_url(f"{site}/admin/bok/")  # the clerk lands on the counter screen
    with page.expect_response(lambda r: r.url.endswith("podpowiedzi?q=osobist")):  # the list for all of it
        page.locator("#card").press_sequentially("osobist")
    tap(page, page.get_by_role("option", name="Wydanie dowodu osobistego"))
    expect(page.locator("#checklist")).to_be_visible(timeout=SLOW)
    for box in page.locator("#checklist input[type=checkbox]").all():
        tap(page, box)
    page.get_by_label("Imię i nazwisko wnioskodawcy").fill("Jan Kowalsky")
    page.get_by_label("Kontakt do zawiadomień").fill("jan.kowalski@example.pl")
    page.get_by_label("Powiadomienia dla wnioskodawcy").select_option(label="e-mailem")  # the applicant's choice
    tap(page, page.get_by_role("button", name="Zarejestruj i drukuj potwierdzenie"))
    number = page.locator(".number").inner_text()
    tap(page, page.get_by_role("link", name="← sprawa"))

    expect(page.get_by_role("heading", name=f"Sprawa {number}")).to_be_visible(timeout=SLOW)
    tap(page, page.get_by_text("Popraw dane rejestracji"))
    page.get_by_label("Imię i nazwisko wnioskodawcy").fill("Jan Kowalski")
    page.get_by_label("Powód poprawienia (wymagany)").fill("literówka w nazwisku")
    tap(page, page.get_by_role("button", name="Zapisz poprawkę"))
    expect(page.locator("main")).to_contain_text("Jan Kowalski, jan.kowalski@example.pl", timeout=SLOW)
    expect(page.locator("main")).to_contain_text("powód: literówka w nazwisku")
    tap(page, page.get_by_role("button", name="Wyloguj"))
    page.wait_for_url(f"{site}/admin/login")

    log_in(page, site, "wydzial")
    page.wait_for_url(f"{site}/admin/bok/kolejki/do-przekazania")  # department staff land on their queue
    expect(page.get_by_role("link", name="Redakcja")).to_have_count(0)
    tap(page, page.get_by_role("link", name=number))
    tap(page, page.get_by_role("button", name="Potwierdzam odbiór wniosku"))
    expect(page.locator("main")).to_contain_text("w wydziale – w realizacji", timeout=SLOW)
    tap(page, page.get_by_role("button", name="Dokument gotowy – wrócił do BOK"))
    expect(page.locator("main")).to_contain_text("gotowy do odbioru", timeout=SLOW)

    wait_for_background()  # the notice leaves after the response
    [(rcpt, subject, body)] = smtp_server.messages
    assert rcpt == ["jan.kowalski@example.pl"] and subject == f"Sprawa {number}: dokument do odbioru"
    db.session.expire_all()
    case = db.session.scalar(select(Case))
    assert case.status == CaseStatus.READY and case.notify == Notify.EMAIL
    for personal in ("Jan", "Kowalski", "dowodu", case.code):
        assert personal not in subject + body
    [corrected] = [e for e in case.events if e.action == "correct"]  # the case's own audit trail
    assert (corrected.actor_name, corrected.reason) == ("Pani z okienka", "literówka w nazwisku")
