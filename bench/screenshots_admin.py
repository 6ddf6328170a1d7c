"""Back-office screenshots for docs/admin.md and docs/intake.md, taken in Chromium from a seeded app.

Usage: .venv/bin/python bench/screenshots_admin.py [--out docs/img]
Builds a throw-away SQLite database from content/ (the real cards), adds a small team and a few steps of
work through the domain functions, serves the app on loopback and photographs each screen as a person sees
it at 1280 × 900. Tests never write into the repository; this script is how docs/img/ is refreshed.
"""

import argparse
import sys
import tempfile
import threading
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from kiosk import create_app
from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.cards import services as cards
from kiosk.cards.models import Card
from kiosk.content.services import import_content
from kiosk.extensions import db
from kiosk.search import services as search

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "haslo-zrzutow-ekranu-123"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--lang=pl-PL"]
VIEWPORT = {"width": 1280, "height": 900}
INBOX_CARD = "ceidg-rejestracja-dzialalnosci"  # a stamp duty of 17,00 zł, raised to 18,00 zł for review
EDITED_CARD = "dowod-osobisty-wydanie"
TEAM = [("ewa", "Ewa Nowak", [Role.EDITOR]), ("adam", "Adam Wiśniewski", [Role.EDITOR]),
        ("anna", "Anna Kowalczyk", [Role.APPROVER]), ("piotr", "Piotr Zieliński", [Role.PUBLISHER]),
        ("bok", "Barbara Lis", [Role.FRONT_DESK])]  # fmt: skip


def build(workdir: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'shots.db'}",
                      "KIOSK_INDEX_DIR": str(workdir / "index"), "SMTP_PORT": 1})  # fmt: skip
    with app.app_context():
        upgrade(revision="heads")
        search.rebuild()  # an empty index first, so the import's commit hook fills it
        import_content(ROOT / "content")
        users = {name: accounts.create_user(name, full, PASSWORD, roles) for name, full, roles in TEAM}
        db.session.commit()
        card = db.session.scalar(select(Card).where(Card.slug == INBOX_CARD))
        content = cards.edition_to_content(card.live_edition)
        raised = [f for f in content["fees"] if f["amount"] == Decimal("17.00")]
        assert raised, f"{INBOX_CARD} has no 17,00 zł fee any more: pick another card"
        raised[0]["amount"] = Decimal("18.00")
        cards.submit_edition(cards.open_draft(card, users["ewa"], content), users["ewa"])
        db.session.commit()
    return app


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    page.wait_for_load_state("load")


def shoot(page, out: Path, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(out / f"{name}.png"), full_page=full_page)
    print(out / f"{name}.png")


def card_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Card.id).where(Card.slug == slug))


def take(app, base: str, out: Path, browser) -> None:
    def person(username):
        page = browser.new_context(locale="pl-PL", viewport=VIEWPORT).new_page()
        log_in(page, base, username)
        return page

    anna = person("anna")  # the approver lands on the inbox: the raised fee inline
    expect(anna.locator("mark.diff-value").first).to_be_visible()
    anna.goto(f"{base}/admin/inbox/")
    shoot(anna, out, "admin-inbox")

    edited = card_id(app, EDITED_CARD)
    ewa, adam = person("ewa"), person("adam")
    ewa.goto(f"{base}/admin/cards/{edited}/")
    ewa.get_by_role("button", name="Otwórz nowy szkic").click()
    expect(ewa.locator('fieldset[data-prefix="fees"][data-ready="true"]')).to_be_visible()
    shoot(ewa, out, "admin-editor", full_page=True)

    adam.goto(f"{base}/admin/cards/{edited}/edit")  # both have the draft open; Ewa saves first
    ewa.locator('fieldset[data-prefix="fees"] tbody tr').nth(0).get_by_label("Kwota (zł)").fill("40,00")
    ewa.get_by_role("button", name="Zapisz szkic").click()
    expect(ewa.get_by_text("Szkic zapisany.")).to_be_visible()
    adam.get_by_label("Tytuł", exact=True).fill("Wydanie dowodu osobistego (dowód)")
    adam.get_by_role("button", name="Zapisz szkic").click()
    expect(adam.locator("#conflict")).to_be_visible()
    shoot(adam, out, "admin-conflict", full_page=True)

    ewa.goto(f"{base}/admin/cards/{edited}/")
    ewa.get_by_role("button", name="Przekaż do zatwierdzenia").click()
    anna.goto(f"{base}/admin/cards/{edited}/")
    anna.get_by_label("Komentarz (opcjonalnie)").fill("Zgodne z cennikiem")
    anna.get_by_role("button", name="Zatwierdź merytorycznie").click()
    piotr = person("piotr")
    piotr.goto(f"{base}/admin/cards/{edited}/")
    piotr.get_by_role("button", name="Opublikuj").click()
    expect(piotr.get_by_text("Wydanie opublikowane")).to_be_visible()
    piotr.get_by_role("link", name="Historia").click()
    shoot(piotr, out, "admin-history")
    piotr.get_by_role("button", name="Porównaj zaznaczone").click()
    expect(piotr.locator(".diff").first).to_be_visible()
    shoot(piotr, out, "admin-diff")

    clerk = person("bok")  # the counter: part of a title, without diacritics, and the suggestions
    clerk.locator("#card").press_sequentially("dowod")
    clerk.get_by_role("option").first.wait_for()
    shoot(clerk, out, "intake-register-suggestions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okienko-shots-") as tmp:
        app = build(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                take(app, f"http://127.0.0.1:{server.server_port}", args.out, browser)
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
