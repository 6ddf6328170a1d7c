"""CSV for spreadsheets: UTF-8 with a byte-order mark, and no cell a spreadsheet would run as a formula."""

import csv
import io
from collections.abc import Iterable

# A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text, prefixed with an apostrophe when a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows: Iterable[Iterable], delimiter: str = ",") -> str:
    """A whole CSV file: the header, then every row with each cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return "\ufeff" + out.getvalue()
