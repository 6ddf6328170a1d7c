"""Checks for values read from content files; each raises a located ContentFileError."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from kiosk.errors import ValidationError
from kiosk.facts.amounts import parse_amount
from kiosk.links import check_link

from .yamlsource import Source

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Reader:
    """Reads one mapping of a Source, checking types and reporting the exact field on error."""

    def __init__(self, src: Source, data, prefix: str = ""):
        self.src, self.prefix = src, prefix
        if not isinstance(data, dict):
            raise src.error(prefix, "oczekiwano mapy pól (klucz: wartość)")
        self.data = data

    def path(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def error(self, key: str, message: str):
        return self.src.error(self.path(key), message)

    def reject_unknown(self, allowed) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error(str(key), f"nieznane pole „{key}”; dozwolone: {', '.join(allowed)}")

    def text(self, key: str, *, required=False, max_len=20000, default="") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise self.error(key, "pole jest wymagane")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, "oczekiwano tekstu")
        value = str(value).strip()
        if len(value) > max_len:
            raise self.error(key, f"tekst dłuższy niż {max_len} znaków")
        return value

    def link(self, key: str, *, required=False, label="Adres") -> str:
        """A safe link (`kiosk.links.check_link`), read as written: surrounding spaces are refused, not trimmed."""
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise self.error(key, "pole jest wymagane")
            return ""
        try:
            return check_link(value, label, key)
        except ValidationError as exc:
            raise self.error(key, exc.message) from None

    def slug(self, key: str, *, required=False) -> str | None:
        value = self.text(key, required=required, max_len=120) or None
        if value is not None and not SLUG_RE.match(value):
            raise self.error(key, f"„{value}” nie jest poprawnym identyfikatorem (małe litery, cyfry, myślniki)")
        return value

    def integer(self, key: str, *, minimum=0, maximum=100000, default=None) -> int | None:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, "oczekiwano liczby całkowitej")
        if not minimum <= value <= maximum:
            raise self.error(key, f"wartość spoza zakresu {minimum}–{maximum}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, "oczekiwano true albo false")
        return value

    def amount(self, key: str) -> Decimal | None:
        """An amount in złoty by the one rule of `kiosk.facts.amounts`."""
        try:
            return parse_amount(self.data.get(key), key)
        except ValidationError as exc:
            raise self.error(key, exc.message) from None

    def coordinate(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            coord = Decimal(str(value))
        except InvalidOperation:
            raise self.error(key, "oczekiwano współrzędnej w stopniach") from None
        if not coord.is_finite() or not -180 <= coord <= 180:
            raise self.error(key, "współrzędna poza zakresem -180..180")
        return coord.quantize(Decimal("0.000001"))

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise self.error(key, "oczekiwano daty RRRR-MM-DD") from None
        if not isinstance(value, date):
            raise self.error(key, "oczekiwano daty RRRR-MM-DD")
        return value

    def items(self, key: str) -> list:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, "oczekiwano listy")
        return value

    def strings(self, key: str, *, max_len=500) -> list[str]:
        out = []
        for i, item in enumerate(self.items(key)):
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                raise self.src.error(f"{self.path(key)}[{i}]", "oczekiwano niepustego tekstu")
            if len(str(item)) > max_len:
                raise self.src.error(f"{self.path(key)}[{i}]", f"tekst dłuższy niż {max_len} znaków")
            out.append(str(item).strip())
        return out

    def mapping(self, key: str) -> "Reader":
        return Reader(self.src, self.data.get(key) or {}, self.path(key))

    def rows(self, key: str):
        """Readers for each mapping in a list field."""
        return [Reader(self.src, item, f"{self.path(key)}[{i}]") for i, item in enumerate(self.items(key))]
