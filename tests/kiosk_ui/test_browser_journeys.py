"""Issue 13's kiosk journeys in Debian's headless Chromium, portrait 1080×1920 and landscape 1920×1080.

Taps go to screen coordinates measured before typing (as a finger does), never to DOM elements, so a key that
moves under the finger types the wrong letter or opens a card, and the test sees it.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ..conftest import axe_violations
from .conftest import SUGGEST_WAIT, shot
from .test_browser import SMALL_TARGETS, check_screen, wait_for_screen

pytestmark = pytest.mark.browser
START = "/kiosk/?k=bok-1"

KEY_BOXES = """() => Object.fromEntries([...document.querySelectorAll('[data-key], [data-switch]')]
  .filter((el) => getComputedStyle(el).visibility !== 'hidden' && el.offsetParent !== null)
  .map((el) => { const r = el.getBoundingClientRect();
                 return [el.dataset.key || 'switch:' + el.dataset.switch, [r.x, r.y, r.width, r.height]]; }))"""
COVERED_KEYS = """() => [...document.querySelectorAll('[data-key], [data-switch]')]
  .filter((el) => getComputedStyle(el).visibility !== 'hidden' && el.offsetParent !== null)
  .filter((el) => { const r = el.getBoundingClientRect();
                    return !el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); })
  .map((el) => el.dataset.key || el.dataset.switch)"""
BOX = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                   return [r.x, r.y, r.width, r.height]; }"""


def tap(page, box) -> None:
    """A finger on the centre of a box measured earlier."""
    x, y, width, height = box
    page.touchscreen.tap(x + width / 2, y + height / 2)


def same_places(now: dict, before: dict) -> bool:
    """The same keys at the same places (within 3 px: a pressed key is drawn 2% smaller)."""
    return now.keys() == before.keys() and all(
        all(abs(a - b) <= 3 for a, b in zip(now[key], before[key], strict=True)) for key in now
    )


def overlaps(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def type_by_taps(page, keys: dict, text: str, field: str = "#q", wait_suggestions_after: int = 0) -> None:
    """Tap each letter at its measured place; after every tap the field holds exactly what was typed."""
    for i, letter in enumerate(text, start=1):
        tap(page, keys[letter])
        expect(page.locator(field)).to_have_value(text[:i])
        if i == wait_suggestions_after:  # the rest is typed while suggestions are on screen
            expect(page.locator("#suggestions a").first).to_be_visible(timeout=SUGGEST_WAIT)


def test_keys_never_move_under_the_finger(screen, live_server, catalogue):
    page = screen
    page.goto(live_server.url + START)
    keys = page.evaluate(KEY_BOXES)
    height = page.viewport_size["height"]
    bar = page.evaluate(BOX, "header.bar")
    assert bar[1] >= 0 and bar[1] + bar[3] <= height
    assert all(y >= 0 and y + h <= height for x, y, w, h in keys.values()), "a key row is off screen"
    text = "rejestracja auta"  # "a" is where a card used to be once suggestions pushed the keys down
    type_by_taps(page, keys, text, wait_suggestions_after=3)
    expect(page.locator("#suggestions a", has_text="Rejestracja pojazdu")).to_be_visible()
    assert same_places(page.evaluate(KEY_BOXES), keys), "a key moved while suggestions appeared"
    suggestions = page.evaluate(BOX, "#suggestions")
    assert not any(overlaps(suggestions, box) for box in keys.values()), "suggestions cover a key"
    assert page.url.endswith(START)  # no tap opened a card
    check_screen(page, "suggestions")
    for _ in text:
        tap(page, keys["backspace"])
    expect(page.locator("#q")).to_have_value("")
    expect(page.locator("#suggestions a")).to_have_count(0)
    assert same_places(page.evaluate(KEY_BOXES), keys)


def test_ukrainian_keyboard_and_digits(screen, live_server, catalogue):
    page = screen
    page.goto(live_server.url + START + "&lang=uk")
    expect(page.locator(".layout[data-layout=uk]")).to_be_visible()  # the UK start screen shows Cyrillic
    keys = page.evaluate(KEY_BOXES)
    assert "й" in keys and "q" not in keys
    type_by_taps(page, keys, "паспорт")
    check_screen(page, "keyboard-uk")
    tap(page, keys["switch:digits"])
    expect(page.locator("[data-switch=digits]")).to_have_attribute("aria-pressed", "true")
    digits = page.evaluate(KEY_BOXES)
    controls = {k: v for k, v in keys.items() if len(k) > 1 or k == " "}
    assert same_places({k: v for k, v in digits.items() if k in controls}, controls)  # the control row stayed
    for i, digit in enumerate("2026", start=1):
        tap(page, digits[digit])
        expect(page.locator("#q")).to_have_value("паспорт" + "2026"[:i])
    tap(page, digits["switch:pl"])
    letters = page.evaluate(KEY_BOXES)
    tap(page, letters["ż"])
    expect(page.locator("#q")).to_have_value("паспорт2026ż")


def test_typo_suggestions_online(screen, live_server, catalogue):
    page = screen
    page.goto(live_server.url + START)
    keys = page.evaluate(KEY_BOXES)
    type_by_taps(page, keys, "dowud")
    suggestion = page.locator("#suggestions a", has_text="Wydanie dowodu osobistego")
    expect(suggestion).to_be_visible(timeout=SUGGEST_WAIT)
    suggestion.tap()
    wait_for_screen(page, "/kiosk/uslugi/dowod-osobisty-wydanie")


def test_case_status_by_keypad_then_idle_reset(screen, live_server, catalogue, case):
    page = screen
    number, code = case
    page.clock.install()
    page.goto(live_server.url + START + "&idle=20")
    page.locator("a.tile", has_text="Sprawdź status swojej sprawy").tap()
    wait_for_screen(page, "/kiosk/sprawa")
    check_screen(page, "status")
    keys = page.evaluate(KEY_BOXES)
    height = page.viewport_size["height"]
    assert "/" in keys and all(y >= 0 and y + h <= height for x, y, w, h in keys.values()), "a key is off screen"
    prefix, rest = number.split("/", 1)
    tap(page, keys[prefix + "/"])
    for ch in rest:
        tap(page, keys[ch])
    expect(page.locator("#nr")).to_have_value(number)
    page.locator("#kod").tap()
    expect(page.locator(".layout[data-layout=code]")).to_be_visible()
    code_keys = page.evaluate(KEY_BOXES)
    for ch in code:
        tap(page, code_keys[ch])
    expect(page.locator("#kod")).to_have_value(code)
    page.locator("#status-form button[type=submit]").tap()
    wait_for_screen(page, "/kiosk/sprawa?")
    expect(page.locator("#result-title")).to_contain_text(number)
    expect(page.locator(".status-result")).to_contain_text("Wydanie dowodu osobistego")
    assert "Kowalski" not in page.content() and "600 100 200" not in page.content()
    check_screen(page, "status-result")
    page.clock.run_for(21_000)
    expect(page.locator("#idle")).to_be_visible()
    page.clock.run_for(11_000)
    page.wait_for_url(re.compile(r"/kiosk/\?k=bok-1&lang=pl#attract$"))  # the answer is gone from the screen
    assert page.evaluate("JSON.stringify(sessionStorage)").find(code) == -1


def test_landscape_card_shows_what_to_bring_and_fees_first(screen, live_server, catalogue, factory):
    page = screen
    if page.size_name != "landscape":
        pytest.skip("the landscape layout")
    documents = [{"name": name, "form": "original", "required": True, "note": note} for name, note in [
        ("Wniosek o wydanie prawa jazdy", ""), ("Fotografia 35 × 45 mm", "kolorowa"),
        ("Orzeczenie lekarskie", "o braku przeciwwskazań"), ("Zaświadczenie o ukończeniu kursu", ""),
        ("Dowód osobisty", "do okazania")]]  # fmt: skip
    fees = [{"what": "Wydanie prawa jazdy", "amount": Decimal("100.50"), "how_to_pay": "kartą lub przelewem",
             "exemptions": "", "shared": None},
            {"what": "Pełnomocnictwo", "amount": Decimal("17.00"), "how_to_pay": "przelew", "exemptions": "",
             "shared": None}]  # fmt: skip
    points = [{"point": "pilsudskiego-6", "room": "sala obsługi", "window": "5", "note": ""},
              {"point": "bok-test", "room": "", "window": "", "note": ""}]  # fmt: skip
    factory.published_card("prawo-jazdy", title="Wydanie prawa jazdy kategorii B", documents=documents, fees=fees,
                           service_points=points,
                           online_url="https://www.gov.pl/web/gov/prawo-jazdy", online_channel="gov.pl")  # fmt: skip
    for path in ("/kiosk/uslugi/prawo-jazdy?k=bok-1", "/kiosk/uslugi/dowod-osobisty-wydanie?k=bok-1"):
        page.goto(live_server.url + path)
        bring, fees_box = page.evaluate(BOX, ".bring"), page.evaluate(BOX, ".fees")
        for box in (bring, fees_box, page.evaluate(BOX, ".where")):
            assert box[1] >= 0 and box[1] + box[3] <= 1080, (path, box)  # on the first screen, no scrolling
        prime = max(bring[1] + bring[3], fees_box[1] + fees_box[3])
        for qr in page.evaluate("[...document.querySelectorAll('.qrs img')].map((i) => i.getBoundingClientRect().y)"):
            assert qr >= prime, "a QR code takes the space of what to bring and the fees"
    assert axe_violations(page) == []
    shot(page, "card-first-screen", full_page=False)


def test_print_slip_names_every_point(screen, live_server, catalogue):
    page = screen
    page.goto(live_server.url + "/kiosk/uslugi/zameldowanie-pobyt-staly/druk?k=bok-1")
    expect(page.locator(".office")).to_contain_text("Urząd Miasta Płocka")
    expect(page.locator(".points li")).to_have_count(2)
    expect(page.locator(".points")).to_contain_text("al. Piłsudskiego 6")
    for point in page.locator(".points li").all():  # today's hours (or "closed today") under every point
        expect(point).to_contain_text(re.compile(r"Dziś(:| nieczynne)"))
    assert axe_violations(page) == []
    shot(page, "print")


def test_offline_every_screen_from_the_start_screen(screen, live_server, catalogue):
    page = screen
    page.goto(live_server.url + START)
    page.wait_for_function("() => navigator.serviceWorker.controller && document.documentElement.dataset.offlineReady",
                           timeout=20000)  # fmt: skip
    online_keys = page.evaluate(KEY_BOXES)
    page.context.set_offline(True)
    banner = re.compile(r"Brak połączenia – pokazujemy dane z \d\d\.\d\d\.\d{4} \d\d:\d\d")
    expect(page.locator("#offline")).to_have_text(banner)  # the banner comes while the resident is on the screen
    assert same_places(page.evaluate(KEY_BOXES), online_keys), "a key moved when the banner came"
    assert page.evaluate(COVERED_KEYS) == [], "the banner covers a key"

    def home(lang_label: str | None = None):
        page.locator("[data-nav=home]").tap()
        wait_for_screen(page, "/kiosk/?k=bok-1")
        expect(page.locator("#offline")).to_be_visible()

    page.reload()
    expect(page.locator("#offline")).to_have_text(banner)
    assert same_places(page.evaluate(KEY_BOXES), online_keys) and page.evaluate(COVERED_KEYS) == []
    page.locator("a.tile", has_text="Sprawy załatwiane w tym punkcie").tap()
    wait_for_screen(page, "/kiosk/tutaj")
    expect(page.locator("a.row", has_text="Zameldowanie na pobyt stały")).to_be_visible()
    expect(page.locator("#offline")).to_have_text(banner)
    check_screen(page, "offline-here")
    home()
    page.locator("a.tile", has_text="Dokumenty").tap()
    wait_for_screen(page, "/kiosk/kategorie/dokumenty")
    page.locator("a.row", has_text="Wydanie dowodu osobistego").tap()
    wait_for_screen(page, "/kiosk/uslugi/dowod-osobisty-wydanie")
    expect(page.locator("#where-title")).to_have_text("Załatwisz to tutaj: pokój 12, okienko 3")
    check_screen(page, "offline-card")
    home()
    page.locator("a.tile", has_text="Przeprowadzam się").tap()
    wait_for_screen(page, "/kiosk/sytuacje/przeprowadzka")
    expect(page.locator("a.row", has_text="Zameldowanie")).to_be_visible()
    home()
    page.locator(".bar-langs a[hreflang=en]").tap()
    wait_for_screen(page, "lang=en")
    expect(page.locator("h1")).to_have_text("Find your matter")
    expect(page.locator("#offline")).to_be_visible()
    page.locator("a.tile", has_text="Sprawy załatwiane").or_(page.locator("a.tile.strong")).first.tap()
    wait_for_screen(page, "/kiosk/tutaj")
    page.locator("a.row", has_text="Zameldowanie").tap()
    wait_for_screen(page, "/kiosk/uslugi/zameldowanie-pobyt-staly?k=bok-1&lang=en")
    expect(page.locator("#where-title")).to_contain_text("You can settle this here")
    page.locator(".bar-langs a[hreflang=uk]").tap()
    wait_for_screen(page, "lang=uk")
    expect(page.locator("#offline")).to_be_visible()
    page.locator("[data-nav=home]").tap()
    wait_for_screen(page, "lang=uk")
    expect(page.locator(".layout[data-layout=uk]")).to_be_visible()
    check_screen(page, "offline-home-uk")
    page.locator(".bar-langs a[hreflang=pl]").tap()
    wait_for_screen(page, "lang=pl")
    keys = page.evaluate(KEY_BOXES)
    type_by_taps(page, keys, "dowud")  # a typo, answered from the cached catalogue
    page.locator("#suggestions a", has_text="Wydanie dowodu osobistego").tap()
    wait_for_screen(page, "/kiosk/uslugi/dowod-osobisty-wydanie")
    home()
    keys = page.evaluate(KEY_BOXES)
    expect(page.locator("#q")).to_have_value("dowud")  # kept until the idle reset
    tap(page, keys["clear"])
    type_by_taps(page, keys, "rejestarcja")  # two letters swapped
    page.locator("#search-form button[type=submit]").tap()
    wait_for_screen(page, "/kiosk/szukaj")
    page.locator("a.row", has_text="Rejestracja pojazdu").tap()
    wait_for_screen(page, "/kiosk/uslugi/rejestracja-pojazdu")
    home()
    page.locator("a.tile", has_text="Sprawdź status swojej sprawy").tap()
    wait_for_screen(page, "/kiosk/sprawa")
    expect(page.locator(".offline-only")).to_be_visible()
    assert page.evaluate(SMALL_TARGETS) == []
