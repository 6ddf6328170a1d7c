"""Reading translations: a card in the reader's language over the live Polish facts, never a silent mix.

The rules that write translations are in `translations.py`; this module only reads published ones.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import Markup, escape
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.markdown_render import render_markdown
from kiosk.process_caches import process_cache

from .models import Card, Edition
from .snapshot import body_html
from .translation_models import TRANSLATION_LANGUAGES, Translation, TranslationStatus
from .translations import polish_texts, published_translation


@dataclass
class CardLanguage:
    """What a card page in `language` shows and which notice it owes the reader."""

    language: str
    translation: Translation | None = None
    behind: bool = False
    partial: bool = False  # some text is shown in Polish (not translated, or changed since)
    edition: object = None
    notices: list[str] = field(default_factory=list)

    @property
    def text_language(self) -> str:
        return self.language if self.translation is not None else "pl"


class _Row:
    """A read-only view of one row with some texts replaced."""

    def __init__(self, row, **texts):
        self._row, self._texts = row, texts

    def __getattr__(self, name):
        if name in self._texts:
            return self._texts[name]
        return getattr(self._row, name)


class TranslatedEdition(_Row):
    """The live Polish edition with its texts in the reader's language where a current translation has them."""


def _polish(text: str) -> Markup:
    """A Polish text inside a translated page, marked for screen readers and never passed off as translated."""
    return Markup('<span lang="pl">%s</span>') % escape(text) if text else text


def localize_card(card: Card, language: str, plain: bool = False, stamp: tuple | None = None) -> CardLanguage:
    """The card's live edition as a reader of `language` sees it (pl: unchanged).

    Polish text shown inside a translated page is marked `lang="pl"` (HTML); `plain` gives bare text (API).
    """
    edition = card.live_edition
    result = CardLanguage(language, edition=edition)
    if language == "pl" or language not in TRANSLATION_LANGUAGES:
        return result
    tr = _published_for_page(card, language, stamp)
    if tr is None:
        return result
    lookup = {(kind, polish): translated for kind, polish, translated in tr.pairs or ()}
    missing = []

    as_text = plain

    def text(kind: str, polish: str, plain=False):
        if not polish:
            return polish
        found = lookup.get((kind, polish))
        if found is None:
            missing.append(kind)
            return polish if plain or as_text else _polish(polish)
        return found

    documents = [_Row(d, name=text("document", d.name), note=text("document_note", d.note)) for d in edition.documents]
    fees = [
        _Row(f, what=text("fee_what", f.what), how_to_pay=text("fee_how_to_pay", f.how_to_pay),
             exemptions=text("fee_exemptions", f.exemptions))
        for f in edition.fees
    ]  # fmt: skip
    points = [_Row(p, note=text("point_note", p.note)) for p in edition.points]
    result.edition = TranslatedEdition(
        edition, title=text("title", edition.title, plain=True), summary=text("summary", edition.summary, plain=True),
        documents=documents, fees=fees, points=points, settle_text=text("settle_text", edition.settle_text),
        body=text("body", edition.body, plain=True),
    )  # fmt: skip
    result.translation, result.partial = tr, bool(missing)
    result.behind = tr.behind_since is not None or any((k, p) not in polish_texts(edition) for k, p, _ in tr.pairs)
    result.body_translated = "body" not in missing and bool(edition.body)
    return result


_PAGE_CACHE: dict = process_cache({})


def _published_for_page(card: Card, language: str, stamp: tuple | None) -> Translation | None:
    """The published translation, kept per process under its page stamp (id, behind) when one is given."""
    if not stamp or stamp[0] is None:
        return published_translation(card, language) if stamp is None else None
    key = (card.id, language, *stamp)
    found = _PAGE_CACHE.get(key)
    if found is None:
        found = published_translation(card, language)
        if found is not None:
            db.session.expunge(found)  # read-only from here on; shared by later requests of this process
        if len(_PAGE_CACHE) > 4096:
            _PAGE_CACHE.clear()
        _PAGE_CACHE[key] = found
    return found


def translated_languages(card_ids: list[int] | None = None) -> dict[int, list[str]]:
    """The languages each card has a published translation in (all cards when `card_ids` is None)."""
    query = select(Translation.card_id, Translation.language).where(Translation.status == TranslationStatus.PUBLISHED)
    if card_ids is not None:
        query = query.where(Translation.card_id.in_(card_ids))
    found: dict[int, list[str]] = {}
    for card_id, language in db.session.execute(query.order_by(Translation.language)):
        found.setdefault(card_id, []).append(language)
    return found


def translated_languages_by_slug() -> dict[str, list[str]]:
    """Card slug → languages of its published translations (one query), for sitemap.xml."""
    query = (
        select(Card.slug, Translation.language)
        .join(Card, Translation.card_id == Card.id)
        .where(Translation.status == TranslationStatus.PUBLISHED, Card.live_edition_id.is_not(None))
        .order_by(Card.slug, Translation.language)
    )
    found: dict[str, list[str]] = {}
    for slug, language in db.session.execute(query):
        found.setdefault(slug, []).append(language)
    return found


def translated_hit_texts(slugs: list[str], language: str) -> dict[str, tuple[str, str]]:
    """slug → (title, summary) of published translations whose title is still current (one query)."""
    if language not in TRANSLATION_LANGUAGES or not slugs:
        return {}
    rows = db.session.execute(
        select(Card.slug, Translation.title, Translation.summary, Translation.pairs, Edition.title, Edition.summary)
        .join(Card, Translation.card_id == Card.id)
        .join(Edition, Card.live_edition_id == Edition.id)
        .where(Card.slug.in_(slugs), Translation.language == language)
        .where(Translation.status == TranslationStatus.PUBLISHED)
    )
    found = {}
    for slug, title, summary, pairs, pl_title, pl_summary in rows:
        current = {(kind, polish) for kind, polish, _ in pairs or ()}
        if ("title", pl_title) in current:  # a title written for an older Polish title is not shown
            found[slug] = (title, summary if ("summary", pl_summary) in current else "")
    return found


def card_body_html(shown: CardLanguage, live_edition) -> Markup:
    """The card body as HTML; a Polish body inside a translated page is marked as Polish.

    The Polish body comes from the edition's stored HTML (`body_html`); a translated body is rendered once
    per process and text (bounded like every body)."""
    text = shown.edition.body or ""
    body = (body_html(live_edition) if text == live_edition.body else _translated_html(text)) if text else ""
    if body and shown.translation is not None and not getattr(shown, "body_translated", False):
        return Markup('<div lang="pl">') + body + Markup("</div>")
    return body


@lru_cache(maxsize=512)
def _translated_html(text: str) -> Markup:
    return render_markdown(text)
