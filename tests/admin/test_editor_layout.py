"""The draft editor in Chromium at 1920, 1280 and 1024 px: no two visible controls overlap, fee amounts are
readable ("10000,00" fits) and every row column keeps a visible label."""

import pytest

from kiosk.accounts.models import Role
from tests.conftest import save_screenshot

from .test_browser import log_in

pytestmark = pytest.mark.browser

BOXES = """() => {
  const form = document.getElementById('edition-form');
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  return [...form.querySelectorAll('input:not([type=hidden]), select, textarea, button, label, legend, th')]
    .filter(visible).map(el => { const r = el.getBoundingClientRect();
      return {name: el.tagName + ' ' + (el.name || el.id || el.textContent.trim().slice(0, 30)),
              control: !['LABEL', 'LEGEND', 'TH'].includes(el.tagName), inside: el.closest('label, th') !== null,
              x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}; });
}"""
AMOUNTS = """() => [...document.querySelectorAll('fieldset[data-prefix=fees] tbody input[name$="-amount"]')]
  .map(el => { const s = getComputedStyle(el); const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = s.font; const inner = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return {inner, needed: ctx.measureText('10000,00').width}; })"""
HEADERS = """() => [...document.querySelectorAll('#edition-form fieldset.rows thead th')]
  .filter(th => th.textContent.trim() && !th.querySelector('.sr-only'))
  .map(th => ({text: th.textContent.trim(), clipped: th.scrollWidth > th.clientWidth + 1, w: th.clientWidth}))"""


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if not (a["control"] and b["control"]):
                continue
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dx > 1 and dy > 1:
                found.append((a["name"], b["name"]))
    return found


@pytest.mark.parametrize("width", [1920, 1280, 1024])
def test_editor_controls_never_overlap_and_fee_amounts_are_readable(db, factory, make_user, live_server, page, width):
    base = live_server.url
    card = factory.published_card("dowod-osobisty")
    make_user("ewa", [Role.EDITOR])
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base, "ewa")
    page.goto(f"{base}/admin/cards/{card.id}/")
    page.get_by_role("button", name="Otwórz nowy szkic").click()
    fees = page.locator('fieldset[data-prefix="fees"][data-ready="true"]')  # editor.js has wired the rows
    fees.get_by_role("button", name="+ Dodaj wiersz").click()
    fees.locator("tbody tr").last.get_by_label("Kwota (zł)").fill("10000,00")
    save_screenshot(page, f"admin-editor-{width}")
    assert overlaps(page.evaluate(BOXES)) == []
    amounts = page.evaluate(AMOUNTS)
    assert len(amounts) == 3
    assert all(a["inner"] >= a["needed"] for a in amounts), amounts
    headers = page.evaluate(HEADERS)
    assert headers and not [h for h in headers if h["clipped"] or h["w"] < 24], headers
    save_screenshot(page, f"admin-editor-{width}")
