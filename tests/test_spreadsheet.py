"""One rule for CSV cells: nothing a spreadsheet would run as a formula (freshness and intake exports use it)."""

import pytest

from kiosk.spreadsheet import csv_text, safe_cell

pytestmark = pytest.mark.db_independent  # no database: the SQLite leg runs it, the PostgreSQL leg need not


@pytest.mark.parametrize("value", ['=HYPERLINK("http://zlo")', "+48 24", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_evaluate_is_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(("value", "text"), [(None, ""), (17, "17"), ("Dowód osobisty", "Dowód osobisty")])
def test_other_cells_are_kept_as_text(value, text):
    assert safe_cell(value) == text


def test_a_file_starts_with_a_byte_order_mark_and_uses_the_delimiter():
    assert csv_text(["a", "b"], [["=1", None]], delimiter=";") == "\ufeffa;b\r\n'=1;\r\n"
