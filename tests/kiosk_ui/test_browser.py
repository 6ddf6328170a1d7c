"""The kiosk in Debian's headless Chromium, portrait 1080×1920 and landscape 1920×1080, driven by touch.

Each test runs axe-core on every screen it reaches; with KIOSK_SCREENSHOTS=1 it also refreshes the screenshots
in docs/img/ (never by default: tests do not write into the repository).
"""

import re

import pytest
from playwright.sync_api import expect

from kiosk.kiosk_ui import services

from ..conftest import axe_violations, serve
from .conftest import SUGGEST_WAIT, shot

pytestmark = pytest.mark.browser
START = "/kiosk/?k=bok-1"

SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, input, summary')]
  .filter((el) => el.offsetParent !== null && !el.closest('.body') && !el.classList.contains('skip')
                  && el.type !== 'hidden')
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width < 48 || r.height < 48)
  .map(([el, r]) => el.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))"""
LOCKED_DOWN = """() => ['contextmenu', 'selectstart', 'dragstart'].map((type) => {
  const event = new Event(type, {bubbles: true, cancelable: true});
  document.querySelector('h1').dispatchEvent(event);
  return event.defaultPrevented;
})"""


def check_screen(page, name: str) -> None:
    """No axe violation, every touch target at least 48×48, and a screenshot for the record."""
    assert axe_violations(page) == [], name
    assert page.evaluate(SMALL_TARGETS) == [], name
    shot(page, name)


def wait_for_screen(page, path: str) -> None:
    page.wait_for_url(re.compile(re.escape(path)))
    page.wait_for_load_state("load")


def test_tap_category_then_card_then_qr(screen, live_server, catalogue):
    page = screen
    page.goto(live_server.url + START)
    entries = page.evaluate("history.length")
    check_screen(page, "home")
    page.locator("a.tile", has_text="Dokumenty").tap()
    wait_for_screen(page, "/kiosk/kategorie/dokumenty")
    check_screen(page, "list")
    page.locator("a.row", has_text="Wydanie dowodu osobistego").tap()
    wait_for_screen(page, "/kiosk/uslugi/dowod-osobisty-wydanie")
    expect(page.locator("#where-title")).to_have_text("Załatwisz to tutaj: pokój 12, okienko 3")
    expect(page.locator(".fee-list")).to_contain_text("17,00\u00a0zł")
    assert page.evaluate("[...document.querySelectorAll('.qrs img')].every((i) => i.naturalWidth > 0)")
    page.locator("label[for=doc-0]").tap()
    expect(page.locator("#checklist-qr")).to_have_attribute("src", re.compile(r"lista\.svg\?ok=0$"))
    check_screen(page, "card")
    prevented = page.evaluate(LOCKED_DOWN)  # no context menu, text selection or dragging on a kiosk
    assert prevented == [True, True, True] and page.evaluate("getComputedStyle(document.body).userSelect") == "none"
    assert page.evaluate("history.length") == entries  # every move replaced the page: nothing to go back through
    page.locator("summary").tap()
    page.locator(".body a", has_text="gov.pl").tap()
    expect(page.locator("#qr-dialog")).to_be_visible()
    assert page.url.startswith(live_server.url + "/kiosk/uslugi/")  # the link did not leave the kiosk
    expect(page.locator("#qr-img")).to_have_attribute("src", re.compile(r"qr\.svg\?u=https%3A%2F%2Fwww\.gov\.pl"))
    check_screen(page, "qr")
    page.locator("[data-action=close-qr]").tap()
    page.locator("[data-action=back]").tap()
    wait_for_screen(page, "/kiosk/kategorie/dokumenty")


def test_on_screen_keyboard_and_suggestion(screen, live_server, catalogue):
    page = screen
    page.goto(live_server.url + START)
    for key in "rejestr":  # no diacritics needed
        page.locator(f"[data-key='{key}']").tap()
    page.locator("[data-key=backspace]").tap()
    page.locator("[data-key=r]").tap()
    expect(page.locator("#q")).to_have_value("rejestr")
    suggestion = page.locator("#suggestions a", has_text="Rejestracja pojazdu")
    expect(suggestion).to_be_visible(timeout=SUGGEST_WAIT)
    expect(page.locator("#suggest-status")).to_have_text("Podpowiedzi: 1")
    check_screen(page, "suggestions")
    suggestion.tap()
    wait_for_screen(page, "/kiosk/uslugi/rejestracja-pojazdu")
    expect(page.locator("#where-title")).to_contain_text("Idź do: al. marsz. J. Piłsudskiego 6")
    expect(page.locator(".where")).to_contain_text("Dziś")
    check_screen(page, "card-elsewhere")


def test_whole_flow_with_a_keyboard_only(screen, live_server, catalogue):
    page = screen
    page.goto(live_server.url + START)
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    page.keyboard.type("zameldowanie")
    page.keyboard.press("Enter")
    wait_for_screen(page, "/kiosk/szukaj")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wyniki wyszukiwania")
    check_screen(page, "results")
    page.get_by_role("link", name=re.compile("Zameldowanie na pobyt stały")).focus()
    page.keyboard.press("Enter")
    wait_for_screen(page, "/kiosk/uslugi/zameldowanie-pobyt-staly")
    page.get_by_role("checkbox", name=re.compile("Wniosek")).focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=re.compile("Wniosek"))).to_be_checked()
    page.get_by_role("button", name="Wysoki kontrast").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Wysoki kontrast")).to_have_attribute("aria-pressed", "true")
    check_screen(page, "card-contrast")
    page.get_by_role("link", name=re.compile("EN")).focus()
    page.keyboard.press("Enter")
    wait_for_screen(page, "lang=en")
    expect(page.locator("#where-title")).to_contain_text("You can settle this here")
    check_screen(page, "card-en")


def test_idle_reset_clears_everything(screen, live_server, catalogue):
    page = screen
    page.clock.install()  # the browser's timers run on a clock the test moves: no real waiting
    page.goto(live_server.url + START + "&idle=20")  # the idle time comes from the start URL
    entries = page.evaluate("history.length")
    for key in "meld":
        page.locator(f"[data-key='{key}']").tap()
    page.locator("#suggestions a", has_text="Zameldowanie").tap()
    wait_for_screen(page, "/kiosk/uslugi/zameldowanie-pobyt-staly")
    page.locator("label[for=doc-0]").tap()
    page.locator("[data-toggle=large]").tap()
    page.clock.run_for(15_000)
    expect(page.locator("#idle")).to_be_hidden()
    page.clock.run_for(6_000)
    expect(page.locator("#idle")).to_be_visible()
    page.locator("[data-action=stay]").tap()  # a touch cancels the countdown
    expect(page.locator("#idle")).to_be_hidden()
    page.clock.run_for(15_000)
    assert "/kiosk/uslugi/" in page.url and page.locator("#idle").is_hidden()
    page.clock.run_for(6_000)
    expect(page.locator("#idle")).to_be_visible()
    assert 5 <= int(page.locator("#idle-count").inner_text()) <= 10
    check_screen(page, "countdown")
    page.clock.run_for(11_000)
    page.wait_for_url(re.compile(r"/kiosk/\?k=bok-1&lang=pl#attract$"))
    expect(page.locator("#attract")).to_be_visible()
    shot(page, "attract")
    state = page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('kiosk.'))")
    assert state == [] and page.evaluate("history.length") == entries
    assert page.evaluate("document.documentElement.className") == "kiosk"  # large text is off again
    expect(page.locator("#q")).to_have_value("")
    expect(page.locator("#suggestions a")).to_have_count(0)
    expect(page.locator("[data-action=back]")).to_be_hidden()
    page.locator("#attract").tap()
    expect(page.locator("#attract")).to_be_hidden()
    page.locator("a.tile", has_text="Przeprowadzam się").tap()
    page.locator("a.row", has_text="Zameldowanie").tap()
    wait_for_screen(page, "/kiosk/uslugi/zameldowanie-pobyt-staly")
    expect(page.locator("#doc-0")).not_to_be_checked()


def test_offline_cached_card_and_search_then_catch_up(screen, live_server, catalogue, app, factory):
    page = screen
    app.config["KIOSK_HEARTBEAT_SECONDS"] = 1
    page.goto(live_server.url + START)
    page.wait_for_function("() => navigator.serviceWorker.controller && document.documentElement.dataset.offlineReady",
                           timeout=15000)  # fmt: skip
    expect(page.locator("#offline")).to_be_hidden()
    port = live_server.server_port
    live_server.shutdown()

    for key in "rejes":
        page.locator(f"[data-key='{key}']").tap()
    page.locator("#suggestions a", has_text="Rejestracja pojazdu").tap()  # suggested from the cached data
    wait_for_screen(page, "/kiosk/uslugi/rejestracja-pojazdu")
    expect(page.locator("h1")).to_have_text("Rejestracja pojazdu sprowadzonego z zagranicy")
    expect(page.locator("#offline")).to_be_visible()
    banner = re.compile(r"Brak połączenia – pokazujemy dane z \d\d\.\d\d\.\d{4} \d\d:\d\d")
    expect(page.locator("#offline")).to_have_text(banner)
    images_loaded = "() => [...document.querySelectorAll('.qrs img')].every((i) => i.complete && i.naturalWidth)"
    page.wait_for_function(images_loaded)
    check_screen(page, "offline-card")

    page.locator("[data-nav=home]").tap()
    wait_for_screen(page, "/kiosk/?k=bok-1")
    page.locator("#q").fill("zameldowanie")
    page.locator("#search-form button[type=submit]").tap()
    wait_for_screen(page, "/kiosk/szukaj?q=zameldowanie")
    expect(page.locator("#found")).to_contain_text("zameldowanie")
    page.locator("a.row", has_text="Zameldowanie na pobyt stały").tap()
    wait_for_screen(page, "/kiosk/uslugi/zameldowanie-pobyt-staly")
    expect(page.locator("#offline")).to_be_visible()

    factory.published_card("nowa-karta", title="Nowa karta w czasie awarii")
    version = str(services.content_version())
    server = serve(app, port)  # the server comes back on the same address
    try:
        expect(page.locator("#offline")).to_be_hidden(timeout=8000)
        page.wait_for_function(f"() => document.documentElement.dataset.synced === '{version}'", timeout=15000)
    finally:
        server.shutdown()
    page.locator("[data-nav=home]").tap()  # the new card was fetched while catching up
    wait_for_screen(page, "/kiosk/?k=bok-1")
    page.locator("#q").fill("nowa karta")
    page.locator("#search-form button[type=submit]").tap()
    page.locator("a.row", has_text="Nowa karta w czasie awarii").tap()
    wait_for_screen(page, "/kiosk/uslugi/nowa-karta")
    expect(page.locator("#offline")).to_be_visible()


def test_every_other_kiosk_screen_passes_axe(screen, live_server, catalogue):
    page = screen
    for name, path in [("here", "/kiosk/tutaj?k=bok-1&lang=pl"), ("situation", "/kiosk/sytuacje/przeprowadzka?k=bok-1"),
                       ("not-found", "/kiosk/uslugi/nie-ma?k=bok-1"), ("error", "/kiosk/blad?k=bok-1"),
                       ("home-uk", "/kiosk/?k=bok-1&lang=uk"), ("print", "/kiosk/uslugi/dowod-osobisty-wydanie/druk"),
                       ("checklist-phone", "/kiosk/uslugi/dowod-osobisty-wydanie/lista?ok=0")]:  # fmt: skip
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], name
        if name not in ("print", "checklist-phone"):
            assert page.evaluate(SMALL_TARGETS) == [], name
        shot(page, name)
