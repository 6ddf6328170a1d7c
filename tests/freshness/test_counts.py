"""The dashboard's numbers, its lists and the CSV exports count the same cards, for every state; before the
first content check nothing is called fresh."""

import csv
import io
import re
from datetime import timedelta

import pytest

from kiosk.clock import frozen
from kiosk.extensions import db
from kiosk.freshness import checks

URL = "/admin/swiezosc/"
LISTS = ("zalegle", "wkrotce", "niesprawdzone", "aktualne", "z-flaga")


@pytest.fixture
def cards(factory, at_now):
    """Two overdue, one due soon, three within their interval (one with a content problem)."""
    for slug, days_ago in (("stara-1", 400), ("stara-2", 200), ("wkrotce", 170), ("nowa-1", 0), ("nowa-2", 5)):
        with frozen(at_now - timedelta(days=days_ago)):
            factory.published_card(slug)
    with frozen(at_now):
        factory.published_card("bez-dokumentow", documents=[])  # the check flags it
    db.session.commit()


def counts(html: str) -> dict:
    """Per list: (the summary's number, the list heading's number, rows shown in the list)."""
    out = {}
    for name in LISTS:
        summary = int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))
        heading = int(re.search(rf'data-list-count="{name}">(\d+)<', html).group(1))
        table = re.search(rf'<table[^>]*data-list="{name}">(.*?)</table>', html, re.S)
        rows = table.group(1).count("<tr>") - 1 if table else 0  # minus the header row
        out[name] = (summary, heading, rows)
    return out


def csv_rows(client, name: str) -> int:
    body = client.get(f"{URL}{name}.csv").get_data(as_text=True).lstrip("\ufeff")
    return len(list(csv.reader(io.StringIO(body)))) - 1


def test_numbers_lists_and_exports_agree_for_every_state(cards, as_user, at_now):
    editor = as_user("redaktor")
    with frozen(at_now):
        checks.run_checks()
        db.session.commit()
        html = editor.get(URL).get_data(as_text=True)
        found = counts(html)
        exported = {name: csv_rows(editor, name) for name in LISTS}
    assert found == {"zalegle": (2, 2, 2), "wkrotce": (1, 1, 1), "niesprawdzone": (0, 0, 0), "aktualne": (3, 3, 3),
                     "z-flaga": (1, 1, 1)}  # fmt: skip
    assert exported == {name: n for name, (n, _, _) in found.items()}
    assert "Ostatnia kontrola treści: 12.05.2026" in html
    flag_heading = re.search(r"kontrolach: flagi \((\d+)", html).group(1)
    assert int(flag_heading) == csv_rows(editor, "flagi")


def test_before_the_first_check_nothing_looks_fresh(cards, as_user, at_now, runner):
    editor = as_user("redaktor", email="")
    with frozen(at_now):
        html = editor.get(URL).get_data(as_text=True)
        found = counts(html)
        assert csv_rows(editor, "aktualne") == 0 and csv_rows(editor, "niesprawdzone") == 3
        report = runner.invoke(args=["freshness", "report"]).output
    assert found["aktualne"] == (0, 0, 0) and found["niesprawdzone"] == (3, 3, 3)
    assert "Kontrola treści jeszcze się nie odbyła" in html and "Ostatnia kontrola" not in html
    assert "aktualna</td>" not in html and "nie sprawdzono</td>" in html
    assert "Kontrola treści jeszcze się nie odbyła" in report


def test_more_rows_than_the_screen_shows_are_counted_and_exported_in_full(app, factory, as_user, at_now):
    from kiosk.freshness import views

    views.LIST_LIMIT, limit = 2, views.LIST_LIMIT
    try:
        for n in range(3):
            factory.published_card(f"karta-{n}")
        html = as_user("redaktor").get(URL).get_data(as_text=True)
    finally:
        views.LIST_LIMIT = limit
    assert counts(html)["niesprawdzone"] == (3, 3, 2)
    assert "Pokazano 2 z 3" in html
