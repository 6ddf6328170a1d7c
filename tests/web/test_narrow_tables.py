"""Fees and the register of changes at 390 px: amounts never break mid-number, nothing scrolls sideways."""

from datetime import datetime
from decimal import Decimal

import pytest

from kiosk import clock
from tests.conftest import axe_violations, docs_shot

pytestmark = pytest.mark.browser

FEES = [
    {"what": "Opłata skarbowa za wydanie zezwolenia na sprzedaż napojów alkoholowych powyżej 4,5% alkoholu",
     "amount": Decimal("1234567.89"), "how_to_pay": "przelewem na rachunek 12 1020 3974 0000 1234 5678 9012",
     "exemptions": "", "shared": None},
    {"what": "Pełnomocnictwo", "amount": Decimal("17.00"), "how_to_pay": "w kasie", "exemptions": "",
     "shared": None},
    {"what": "Duplikat", "amount": Decimal("105000.50"), "how_to_pay": "przelew", "exemptions": "",
     "shared": None},
]  # fmt: skip

ONE_LINE = """() => [...document.querySelectorAll("td.amount, .register td.nowrap")].map((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const lineHeight = parseFloat(getComputedStyle(cell).lineHeight);
  return {text: cell.textContent.trim(), lines: new Set(rects.map((r) => Math.round(r.top))).size,
          height: Math.max(...rects.map((r) => r.height)), lineHeight};
})"""


@pytest.fixture
def site(db, factory, live_server):
    with clock.frozen(datetime(2026, 5, 13, 8, 0)):
        factory.published_card("zezwolenie", fees=FEES)
    return live_server.url


# Every number on the page (amounts "1 234 567,89", dates "13.05.2026", times "08:00–15:30" count as one number
# each) with the lines its glyphs fall on: a number drawn on two lines was broken mid-digit.
BROKEN_NUMBERS = r"""() => {
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\d+(?:[.,:\u00a0\u202f–]\d+)*/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0] + ' in ' + node.parentElement.outerHTML.slice(0, 60));
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_amounts_stay_on_one_line_at_390_px(site, page, lang):
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/uslugi/zezwolenie", "/uslugi/zezwolenie/druk"):
        page.goto(f"{site}{path}?lang={lang}")
        cells = page.evaluate(ONE_LINE)
        assert len(cells) >= 3, path
        for cell in cells:
            assert cell["lines"] == 1 and cell["height"] <= cell["lineHeight"] * 1.2, (path, cell)
        assert page.evaluate(BROKEN_NUMBERS) == [], path  # the metryczka, dates, hours: no number split either
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390, path
    assert axe_violations(page) == []
    if lang == "pl":
        page.goto(f"{site}/uslugi/zezwolenie")
        page.locator("table.fees").scroll_into_view_if_needed()
        docs_shot(page, "web-fees-phone", full_page=False)


def test_fee_table_stays_a_table_on_desktop(site, page):
    page.goto(f"{site}/uslugi/zezwolenie")
    assert page.evaluate("getComputedStyle(document.querySelector('table.fees thead')).position") == "static"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280
