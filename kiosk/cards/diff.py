"""Field-by-field differences between two edition contents, with word-level detail for text."""

import difflib
import re
from dataclasses import dataclass, field

FIELD_LABELS = {
    "title": "Tytuł",
    "kind": "Rodzaj karty",
    "summary": "Streszczenie",
    "body": "Opis",
    "category": "Kategoria",
    "department": "Wydział",
    "life_situations": "Sytuacje życiowe",
    "service_points": "Gdzie załatwić",
    "documents": "Wymagane dokumenty",
    "fees": "Opłaty",
    "settle_days": "Termin ustawowy (dni)",
    "settle_text": "Czas załatwienia",
    "legal_acts": "Podstawa prawna",
    "online_channel": "Kanał online",
    "online_url": "Adres usługi online",
    "online_text": "Jak załatwić online",
    "appeal": "Tryb odwoławczy",
    "forms": "Formularze",
    "keywords": "Słowa kluczowe",
    "unverified": "Do weryfikacji",
    "effective_date": "Data wejścia w życie",
    "settle_source": "Źródło terminu",
    "settle_unverified": "Termin do potwierdzenia",
    "online_source": "Źródło usługi online",
    "online_unverified": "Usługa online do potwierdzenia",
}
TEXT_FIELDS = {"title", "summary", "body", "settle_text", "online_text", "appeal"}


@dataclass
class Change:
    field: str
    label: str
    old: object
    new: object
    words: list = field(default_factory=list)  # [(op, text)] with op in "=", "-", "+"
    rows: list = field(default_factory=list)  # [(op, row)] for list fields

    @property
    def row_changes(self) -> list[tuple[str, object]]:
        """The rows as a reader compares them: a row edited in place is one "~" row of per-key changes."""
        return pair_rows(self.rows)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-by-word changes as (op, text) runs, whitespace kept."""
    a, b = re.findall(r"\S+|\s+", old or ""), re.findall(r"\S+|\s+", new or "")
    runs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", "".join(b[j1:j2])))
    return runs


def row_diff(old: list, new: list) -> list[tuple[str, object]]:
    """Rows kept, removed and added, in order."""
    keys_a = [repr(r) for r in old]
    keys_b = [repr(r) for r in new]
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [("=", r) for r in old[i1:i2]]
            continue
        rows += [("-", r) for r in old[i1:i2]]
        rows += [("+", r) for r in new[j1:j2]]
    return rows


def pair_rows(rows: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Turn each run of removed rows followed by as many added rows into edited rows.

    An edited row is ("~", [(key, old, new), ...]) over the keys of both rows, so a changed fee reads
    "17,00 → 18,00 zł" instead of a struck-out row and a new one. Runs of unequal length stay as they are.
    """
    out, i = [], 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j][0] == "-":
            j += 1
        k = j
        while k < len(rows) and rows[k][0] == "+":
            k += 1
        removed, added = rows[i:j], rows[j:k]
        if removed and len(removed) == len(added) and all(isinstance(r, dict) for _, r in removed + added):
            for (_, old), (_, new) in zip(removed, added, strict=True):
                keys = list(old) + [key for key in new if key not in old]
                out.append(("~", [(key, old.get(key), new.get(key)) for key in keys]))
            i = k
        elif removed or added:
            out.extend(rows[i:k])
            i = k
        else:
            out.append(rows[i])
            i += 1
    return out


def diff_contents(old: dict, new: dict) -> list[Change]:
    """Every field that differs, in the order editors read a card."""
    changes = []
    for name, label in FIELD_LABELS.items():
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        change = Change(name, label, a, b)
        if name in TEXT_FIELDS:
            change.words = word_diff(a or "", b or "")
        elif isinstance(a, list) or isinstance(b, list):
            change.rows = row_diff(a or [], b or [])
        changes.append(change)
    return changes
