"""`flask content check`: is every fact in `content/` sourced, current and kept out of resident text?

Reads files only (no database). Three classes of finding, each with file, line and field:

- `no_source`: a fact with neither `source` nor `unverified` (see docs/content.md for what a fact is);
- `old_consolidated_text`: a card cites a statute or regulation by a consolidated text ("tekst jednolity",
  a Dz.U. year later than the act's own year) published more than `max_age` years before the card's
  effective date, and nobody noted under the act's `unverified` that a newer text is to be found; and a
  card citing an act marked `repealed`;
- `editorial_doubt`: editors' doubt in text residents read ("być może", "do potwierdzenia", …): it
  belongs under `unverified`.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from kiosk.cards.content import References
from kiosk.clock import today

from .cardfile import read_card_file, split_front_matter
from .facts import SPECS, read_fact_file
from .translationfile import is_translation_path, read_translation_file
from .yamlsource import ContentFileError, Source, parse_yaml

MAX_CONSOLIDATED_AGE_YEARS = 3
# Editors' doubt, not information: each belongs under `unverified`. Plain "sprawdzić" is common in resident
# text ("urząd musi sprawdzić dokument"), so only the note-like forms of it count; likewise "chyba że" is
# plain "unless" ("nie ujawnia, chyba że skarżący się zgodzi"), only a bare "chyba" is doubt.
EDITORIAL_DOUBT = re.compile(
    r"\b(być może|do potwierdzenia|do weryfikacji|do sprawdzenia|(?:według|wg\.?) (?:starszej|starej|dawnej) karty"
    r"|prawdopodobnie|nie potwierdzono|niepotwierdzon\w*|nie zweryfikowano|chyba(?!,?\s+że\b))\b"
    r"|[(\[]\s*(?:trzeba |należy )?sprawdzić|\bsprawdzić\s*[)\]!?]|\bTODO\b|\bFIXME\b|\?\?+",
    re.IGNORECASE,
)
CONSOLIDATED_RE = re.compile(r"Dz\.\s?U\.\s*(\d{4})")
ACT_YEAR_RE = re.compile(r"z dnia \d{1,2} \w+ (\d{4}) r\.")
CONSOLIDATED_KINDS = ("ustawa", "rozporządzenie")  # acts that get consolidated texts; treaties, resolutions do not
CARD_TEXT_FIELDS = ("title", "summary", "appeal")
ROW_TEXT_FIELDS = {
    "service_points": ("room", "window", "note"),
    "documents": ("name", "note"),
    "fees": ("what", "how_to_pay", "exemptions"),
    "forms": ("title",),
}
FACT_TEXT_FIELDS = {
    "locations.yaml": ("name", "short_name", "address", "hours_note", "accessibility", "payment"),
    "legal-acts.yaml": ("title",),
    "shared-fees.yaml": ("what", "how_to_pay", "exemptions"),
    "departments.yaml": ("name", "address"),
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int | None
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field or 'plik'}: {self.message}"


def check_content(directory: Path, max_age: int = MAX_CONSOLIDATED_AGE_YEARS) -> list[Finding]:
    """Every finding in the facts files and the card files of `directory`."""
    facts, found = {}, []
    for spec in SPECS:
        try:
            facts[spec.filename] = read_fact_file(directory, spec)
        except ContentFileError as exc:
            found.append(Finding(exc.path, exc.line, exc.field, "invalid", str(exc)))
            facts[spec.filename] = []
        found += _check_fact_file(directory / spec.filename, facts[spec.filename])
    refs = _references(facts)
    acts = {a["slug"]: a for a in facts["legal-acts.yaml"]}
    for path in sorted((directory / "cards").glob("*.md")):
        if is_translation_path(path):
            found += _check_translation(path)
            continue
        try:
            card = read_card_file(path, refs)
        except ContentFileError as exc:
            found.append(Finding(exc.path, exc.line, exc.field, "invalid", str(exc)))
            continue
        src, text = _card_source(path)
        found += _check_card(src, text, card.content, acts, max_age)
    return found


def _check_translation(path: Path) -> list:
    """A translation file the import would refuse (its match to the Polish card is checked on import)."""
    try:
        read_translation_file(path)
    except ContentFileError as exc:
        return [Finding(exc.path, exc.line, exc.field, "invalid", str(exc))]
    return []


def _references(facts: dict) -> References:
    """The slugs cards may name, read from the facts files (plain records stand in for the models)."""

    def by_slug(filename):
        return {r["slug"]: SimpleNamespace(**r) for r in facts.get(filename, [])}

    return References(
        categories=by_slug("categories.yaml"),
        departments=by_slug("departments.yaml"),
        life_situations=by_slug("life-situations.yaml"),
        locations=by_slug("locations.yaml"),
        legal_acts=by_slug("legal-acts.yaml"),
        shared_fees=by_slug("shared-fees.yaml"),
    )


def _card_source(path: Path) -> tuple[Source, str]:
    text = path.read_text(encoding="utf-8")
    header, _ = split_front_matter(path, text)
    return parse_yaml(path, header, offset=1), text


# --- facts files -------------------------------------------------------------------------------------------


def _check_fact_file(path: Path, records: list[dict]) -> list[Finding]:
    if not records:
        return []
    src = parse_yaml(path, path.read_text(encoding="utf-8"))
    sourced = path.name in ("locations.yaml", "legal-acts.yaml", "shared-fees.yaml")
    found = []
    for i, record in enumerate(records):
        if sourced and not (record.get("source") or record.get("unverified")):
            found.append(_no_source(src, f"[{i}]", f"„{record['slug']}”"))
        for name in FACT_TEXT_FIELDS.get(path.name, ()):
            found += _doubt(src, f"[{i}].{name}", record.get(name))
    return found


# --- cards -------------------------------------------------------------------------------------------------


def _check_card(src: Source, text: str, content: dict, acts: dict, max_age: int) -> list[Finding]:
    found = _missing_sources(src, content)
    found += _old_legal_texts(src, content, acts, max_age)
    for name in CARD_TEXT_FIELDS:
        found += _doubt(src, name, content[name])
    for key, names in ROW_TEXT_FIELDS.items():
        for i, row in enumerate(content[key]):
            for name in names:
                found += _doubt(src, f"{key}[{i}].{name}", row.get(name))
    found += _doubt(src, "settle.text", content["settle_text"])
    found += _doubt(src, "online.text", content["online_text"])
    found += _body_doubts(src, text)
    return found


def _missing_sources(src: Source, content: dict) -> list[Finding]:
    found = []
    for key, label in (("fees", "what"), ("legal_acts", "act"), ("forms", "title")):
        for i, row in enumerate(content[key]):
            if not (row.get("source") or row.get("unverified")):
                found.append(_no_source(src, f"{key}[{i}]", f"„{row[label]}”"))
    for key, present in (
        ("settle", content["settle_days"] is not None or content["settle_text"]),
        ("online", content["online_channel"] or content["online_url"] or content["online_text"]),
    ):
        if present and not (content[f"{key}_source"] or content[f"{key}_unverified"]):
            found.append(_no_source(src, key, key))
    return found


def _no_source(src: Source, field: str, what: str) -> Finding:
    return Finding(str(src.path), src.line_of(field), field, "no_source",
                   f"fakt {what} nie ma ani „source”, ani „unverified”")  # fmt: skip


def _old_legal_texts(src: Source, content: dict, acts: dict, max_age: int) -> list[Finding]:
    """Acts cited by a consolidated text too old for the card's date, and repealed acts."""
    on = content["effective_date"] or today()
    found = []
    for i, row in enumerate(content["legal_acts"]):
        act = acts.get(row["act"], {})
        field = f"legal_acts[{i}].act"
        if str(act.get("status", "")) == "repealed":
            found.append(Finding(str(src.path), src.line_of(field), field, "old_consolidated_text",
                                 f"akt „{row['act']}” jest uchylony"))  # fmt: skip
            continue
        year = consolidated_year(act)
        if year is not None and year < on.year - max_age and not act.get("unverified"):
            found.append(Finding(str(src.path), src.line_of(field), field, "old_consolidated_text",
                                 f"akt „{row['act']}” cytowany według tekstu jednolitego z {year} r., starszego niż "
                                 f"{max_age} lata przed datą karty ({on:%d.%m.%Y}); podaj nowszy tekst "
                                 "albo opisz to w „unverified” aktu"))  # fmt: skip
    return found


def consolidated_year(act: dict) -> int | None:
    """The year of the consolidated text an act is cited by; None for an original publication or a treaty."""
    title, reference = act.get("title", ""), act.get("reference", "")
    own, text = ACT_YEAR_RE.search(title), CONSOLIDATED_RE.search(reference)
    if not (own and text) or not title.lower().startswith(CONSOLIDATED_KINDS):
        return None
    return int(text.group(1)) if int(text.group(1)) > int(own.group(1)) else None


def _doubt(src: Source, field: str, text) -> list[Finding]:
    match = EDITORIAL_DOUBT.search(text or "") if isinstance(text, str) else None
    if not match:
        return []
    return [Finding(str(src.path), src.line_of(field), field, "editorial_doubt", _doubt_message(match))]


def _body_doubts(src: Source, text: str) -> list[Finding]:
    start = text.find("\n---\n", 3) + 5
    return [
        Finding(str(src.path), text.count("\n", 0, m.start()) + 1, "body", "editorial_doubt", _doubt_message(m))
        for m in EDITORIAL_DOUBT.finditer(text, start)
    ]


def _doubt_message(match: re.Match) -> str:
    phrase = match.group(0).strip()
    return f"„{phrase}” to wątpliwość redakcji, nie informacja dla mieszkańca: przenieś ją do „unverified”"


def count_by_code(findings: list[Finding]) -> dict[str, int]:
    counts = {}
    for finding in findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    return counts
