"""What the back office and the CLI show about translations: each card's state per language, what a translator
starts from, and which Polish texts changed under a translation. Reading only; the rules are in `translations.py`.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from kiosk.audit import AuditRecord
from kiosk.extensions import db

from .models import Card, Edition
from .translation_models import TRANSLATION_LANGUAGES, Translation, TranslationStatus
from .translations import OPEN, polish_rows, polish_texts

# The states a card has in one language, in the order a list filters and shows them.
STATES = ("none", "draft", "in_review", "approved", "published", "behind")


@dataclass
class TranslationState:
    """A card in one language: its published translation (if any) and the one being written or reviewed."""

    card: Card
    title: str  # the live Polish title
    language: str
    published: Translation | None = None
    open: Translation | None = None

    @property
    def behind(self) -> bool:
        return self.published is not None and self.published.behind_since is not None

    @property
    def states(self) -> list[str]:
        """Every state that applies, e.g. ["behind", "draft"] while a behind translation is being updated."""
        found = [self.open.status.value] if self.open is not None else []
        if self.published is not None:
            found.insert(0, "behind" if self.behind else "published")
        return found or ["none"]


def translation_states(language: str | None = None, state: str | None = None, needle: str = "",
                       department_id: int | None = None) -> list[TranslationState]:  # fmt: skip
    """Every card with a live Polish edition, per language (both unless `language`), by owner then title."""
    languages = [language] if language in TRANSLATION_LANGUAGES else list(TRANSLATION_LANGUAGES)
    query = select(Card, Edition.title).join(Edition, Card.live_edition_id == Edition.id)
    if department_id is not None:
        query = query.where(Card.owner_department_id == department_id)
    if needle.strip():
        text = needle.strip()[:200]
        query = query.where(Edition.title.icontains(text, autoescape=True) | Card.slug.icontains(text, autoescape=True))
    cards = db.session.execute(query.order_by(Card.owner_name, Edition.title, Card.slug)).all()
    rows = {(card.id, lang): TranslationState(card, title, lang) for card, title in cards for lang in languages}
    current = select(Translation).where(
        Translation.card_id.in_([card.id for card, _ in cards]),
        Translation.language.in_(languages),
        Translation.status.in_((*OPEN, TranslationStatus.PUBLISHED)),
    )
    for tr in db.session.scalars(current):
        row = rows[(tr.card_id, tr.language)]
        if tr.status == TranslationStatus.PUBLISHED:
            row.published = tr
        else:
            row.open = tr
    return [r for r in rows.values() if state not in STATES or state in r.states]


def translation_state(card: Card, language: str) -> TranslationState:
    """One card in one language."""
    live = card.live_edition
    found = TranslationState(card, live.title if live else card.slug, language)
    for tr in db.session.scalars(
        select(Translation).where(
            Translation.card_id == card.id,
            Translation.language == language,
            Translation.status.in_((*OPEN, TranslationStatus.PUBLISHED)),
        )
    ):
        if tr.status == TranslationStatus.PUBLISHED:
            found.published = tr
        else:
            found.open = tr
    return found


# --- what changed in Polish under a translation ---------------------------------------------------


def _texts_by_kind(edition: Edition) -> dict[str, list[str]]:
    """The Polish texts of an edition by pair kind, rows in order."""
    rows = polish_rows(edition)
    fees = rows["fees"]
    return {
        "title": [rows["title"]],
        "summary": [rows["summary"]],
        "document": rows["documents"],
        "document_note": rows["document_notes"],
        "fee_what": [f[0] for f in fees],
        "fee_how_to_pay": [f[1] for f in fees],
        "fee_exemptions": [f[2] for f in fees],
        "settle_text": [rows["settle_text"]],
        "point_note": rows["point_notes"],
        "body": [rows["body"]],
    }


@dataclass
class PolishChange:
    """A Polish text a translation translates that is no longer in the live edition: old → new (None: removed
    or unknown), and the translation written for the old text."""

    kind: str
    position: int | None
    old: str
    new: str | None
    translated: str


def polish_changes(tr: Translation, live: Edition | None) -> list[PolishChange]:
    """The translated Polish texts that changed since `tr` was written, matched by position in its edition."""
    if live is None:
        return []
    current, now_by_kind = polish_texts(live), _texts_by_kind(live)
    then_by_kind = _texts_by_kind(tr.edition) if tr.edition is not None else {}
    changes = []
    for kind, polish, translated in tr.pairs or ():
        if (kind, polish) in current:
            continue
        then = then_by_kind.get(kind, [])
        position = then.index(polish) if polish in then else None
        rows = now_by_kind.get(kind, [])
        new = rows[position] if position is not None and position < len(rows) else None
        changes.append(PolishChange(kind, position, polish, new, translated))
    return changes


# --- what the translator's form starts from ------------------------------------------------------


@dataclass
class Draft:
    """The translated texts aligned with the live Polish rows (by position), ready for the form."""

    texts: dict
    expected_hash: str  # the open draft's content hash ("" when none): the save refuses if it moved on
    changes: list[PolishChange] = field(default_factory=list)


def draft_texts(state: TranslationState) -> Draft:
    """The open draft's texts, else the published translation's, matched to the live Polish texts they
    translate; a text whose Polish changed starts empty (its old translation is in `changes`)."""
    live = state.card.live_edition
    source = state.open or state.published
    lookup = {(kind, polish): translated for kind, polish, translated in (source.pairs if source else ()) or ()}
    rows = _texts_by_kind(live)

    def pick(kind: str) -> list[str]:
        return [lookup.get((kind, polish), "") if polish else "" for polish in rows[kind]]

    fee_rows = zip(pick("fee_what"), pick("fee_how_to_pay"), pick("fee_exemptions"), strict=True)
    fees = [{"what": w, "how_to_pay": h, "exemptions": e} for w, h, e in fee_rows]
    texts = {
        "title": pick("title")[0],
        "summary": pick("summary")[0],
        "documents": pick("document"),
        "document_notes": pick("document_note"),
        "fees": fees,
        "settle_text": pick("settle_text")[0],
        "point_notes": pick("point_note"),
        "body": pick("body")[0],
    }
    changes = polish_changes(source, live) if source is not None else []
    expected = state.open.content_hash if state.open is not None else ""
    return Draft(texts, expected, changes)


def send_back_reason(tr: Translation) -> str:
    """Why the translation was last sent back ("" if never)."""
    return (
        db.session.scalar(
            select(AuditRecord.comment)
            .where(AuditRecord.object_type == "translation", AuditRecord.object_id == tr.id)
            .where(AuditRecord.action == "send_back_translation")
            .order_by(AuditRecord.id.desc())
            .limit(1)
        )
        or ""
    )
