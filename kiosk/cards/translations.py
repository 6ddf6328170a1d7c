"""Business rules for card translations (English, Ukrainian) and their honest display.

A translation is written, submitted, approved and published like an edition, with the same four-eyes
rules. Each translated text is kept next to the Polish text it translates, so when a new Polish
edition changes a translated text the published translation is marked behind (and audited), and the
page shows the live Polish text for that part, with a notice. Services add and flush; the caller
commits.
"""

import hashlib
import json

from sqlalchemy import func, select

from kiosk.accounts.models import Role, User
from kiosk.audit import record_audit
from kiosk.clock import now
from kiosk.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from kiosk.extensions import db

from . import signoff
from .models import Card, CardChange, Edition
from .translation_models import TRANSLATION_LANGUAGES, Translation, TranslationStatus

OPEN = (TranslationStatus.DRAFT, TranslationStatus.IN_REVIEW, TranslationStatus.APPROVED)
MAX_TEXT = 20_000
MAX_TITLE = 300  # the column's size (String(300)), as the Polish title's


# --- the Polish texts a translation covers ----------------------------------------------------------


def polish_rows(edition: Edition) -> dict:
    """The translatable Polish texts of an edition by kind, rows in order."""
    return {
        "title": edition.title,
        "summary": edition.summary or "",
        "documents": [d.name for d in edition.documents],
        "document_notes": [d.note for d in edition.documents],
        "fees": [(f.what, f.how_to_pay, f.exemptions) for f in edition.fees],
        "settle_text": edition.settle_text or "",
        "point_notes": [p.note for p in edition.points],
        "body": edition.body or "",
    }


def polish_texts(edition: Edition) -> set[tuple[str, str]]:
    """Every (field, Polish text) pair of an edition a translation can translate."""
    rows = polish_rows(edition)
    found = {("title", rows["title"]), ("summary", rows["summary"]), ("settle_text", rows["settle_text"]),
             ("body", rows["body"])}  # fmt: skip
    found |= {("document", t) for t in rows["documents"]} | {("document_note", t) for t in rows["document_notes"]}
    found |= {("point_note", t) for t in rows["point_notes"]}
    for what, how, exemptions in rows["fees"]:
        found |= {("fee_what", what), ("fee_how_to_pay", how), ("fee_exemptions", exemptions)}
    return found


def make_pairs(edition: Edition, texts: dict) -> list[list[str]]:
    """[field, Polish, translated] for each translated text, matched to the Polish rows by position."""
    rows = polish_rows(edition)
    pairs = []

    def add(kind: str, polish: str, translated) -> None:
        translated = _clean(translated)
        limit = MAX_TITLE if kind == "title" else MAX_TEXT
        if len(translated) > limit:
            raise ValidationError(f"Tekst tłumaczenia ({kind}) jest za długi: najwyżej {limit:,} znaków."
                                  .replace(",", " "), kind)  # fmt: skip
        if translated and polish:
            pairs.append([kind, polish, translated])

    add("title", rows["title"], texts.get("title"))
    add("summary", rows["summary"], texts.get("summary"))
    for key, kind in (("documents", "document"), ("document_notes", "document_note"), ("point_notes", "point_note")):
        given = list(texts.get(key) or [])
        if len(given) > len(rows[key]):
            raise ValidationError(f"Tłumaczenie ma więcej pozycji ({key}: {len(given)}) niż karta ({len(rows[key])}).")
        for polish, translated in zip(rows[key], given, strict=False):
            add(kind, polish, translated)
    fees = list(texts.get("fees") or [])
    if len(fees) > len(rows["fees"]):
        raise ValidationError("Tłumaczenie ma więcej opłat niż karta.", "fees")
    for polish, translated in zip(rows["fees"], fees, strict=False):
        for kind, pl, tr in zip(("fee_what", "fee_how_to_pay", "fee_exemptions"), polish, _fee(translated),
                                strict=True):  # fmt: skip
            add(kind, pl, tr)
    add("settle_text", rows["settle_text"], texts.get("settle_text"))
    add("body", rows["body"], texts.get("body"))
    if not any(p[0] == "title" for p in pairs):
        raise ValidationError("Tłumaczenie musi mieć tytuł.", "title")
    return pairs


def _clean(value) -> str:
    """A text as stored: trimmed, without NUL characters (PostgreSQL refuses them)."""
    return str(value or "").replace("\x00", "").strip()


def _normal_texts(texts: dict) -> dict:
    """The texts as written, in the shape of a translation file."""
    fees = [dict(zip(("what", "how_to_pay", "exemptions"), _fee(f), strict=True)) for f in texts.get("fees") or []]
    return {
        "title": _clean(texts.get("title")),
        "summary": _clean(texts.get("summary")),
        "documents": [_clean(d) for d in texts.get("documents") or []],
        "document_notes": [_clean(d) for d in texts.get("document_notes") or []],
        "fees": [{k: _clean(v) for k, v in f.items()} for f in fees],
        "settle_text": _clean(texts.get("settle_text")),
        "point_notes": [_clean(d) for d in texts.get("point_notes") or []],
        "body": _clean(texts.get("body")),
    }


def _fee(value) -> tuple:
    if isinstance(value, dict):
        return value.get("what"), value.get("how_to_pay"), value.get("exemptions")
    return value, None, None


def source_hash(pairs: list) -> str:
    """A short fingerprint of the Polish texts a translation was written for."""
    canonical = json.dumps([[kind, polish] for kind, polish, _ in pairs], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def translation_hash(tr: Translation) -> str:
    canonical = json.dumps([tr.language, tr.title, tr.summary, tr.body, tr.pairs], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def is_behind(tr: Translation, edition: Edition) -> bool:
    """True when a Polish text the translation covers is no longer in the live edition."""
    current = polish_texts(edition)
    return any((kind, polish) not in current for kind, polish, _ in tr.pairs or ())


# --- the workflow ---------------------------------------------------------------------------------


TRANSLATION = signoff.Reviewed(
    statuses=TranslationStatus,
    name=lambda tr: "Tłumaczenie",
    genitive=lambda tr: "tłumaczenia",
    contributors=lambda tr: set(tr.contributor_ids or ()) | ({tr.author_id} if tr.author_id else set()),
    content_hash=translation_hash,
)


def _require_language(language: str) -> str:
    if language not in TRANSLATION_LANGUAGES:
        raise ValidationError(f"Nieznany język tłumaczenia „{language}”. Dostępne: en, uk.", "language")
    return language


def open_translation_of(card: Card, language: str) -> Translation | None:
    """The card's translation into `language` that is being written or reviewed, if any."""
    return db.session.scalar(
        select(Translation).where(
            Translation.card_id == card.id, Translation.language == language, Translation.status.in_(OPEN)
        )
    )


def published_translation(card: Card, language: str) -> Translation | None:
    return db.session.scalar(
        select(Translation).where(
            Translation.card_id == card.id,
            Translation.language == language,
            Translation.status == TranslationStatus.PUBLISHED,
        )
    )


def write_translation(card: Card, language: str, texts: dict, actor: User, expected_hash: str | None = None
                      ) -> Translation:  # fmt: skip
    """Write (or rewrite) the draft translation of the card's live edition into `language`.

    `expected_hash` is the draft's content hash the writer started from ("" for no draft yet): when someone
    saved in between, nothing is overwritten (ConflictError). None skips the check (import, scripts)."""
    signoff.require_role(actor, Role.EDITOR)
    _require_language(language)
    edition = card.live_edition
    if edition is None:
        raise InvalidTransition("Tłumaczy się opublikowane wydanie; ta karta go nie ma.")
    tr = open_translation_of(card, language)
    if tr is not None and tr.status != TranslationStatus.DRAFT:
        raise InvalidTransition("Tłumaczenie jest w przeglądzie; zwróć je do poprawy, aby je zmienić.")
    if expected_hash is not None and expected_hash != (tr.content_hash if tr is not None else ""):
        raise ConflictError(
            "Ktoś w międzyczasie zapisał to tłumaczenie; sprawdź jego treść i wprowadź zmiany ponownie."
        )
    pairs = make_pairs(edition, texts)
    if tr is None:
        number = db.session.scalar(
            select(func.max(Translation.number)).where(Translation.card_id == card.id, Translation.language == language)
        )
        tr = Translation(card=card, language=language, number=(number or 0) + 1, author_id=actor.id,
                         contributor_ids=[])  # fmt: skip
        db.session.add(tr)
    tr.pairs, tr.texts = pairs, _normal_texts(texts)
    tr.edition = edition
    values = {kind: translated for kind, _, translated in tr.pairs}
    tr.title, tr.summary, tr.body = values["title"], values.get("summary", ""), values.get("body", "")
    tr.source_hash, tr.content_hash = source_hash(tr.pairs), translation_hash(tr)
    tr.contributor_ids = sorted(set(tr.contributor_ids or ()) | {actor.id})
    tr.updated_at = now()
    db.session.flush()
    record_audit(actor, "write_translation", tr, card=card, edition=edition, language=language)
    return tr


def submit_translation(tr: Translation, actor: User) -> Translation:
    """Send a draft translation for review; its text is frozen from now on."""
    signoff.submit(TRANSLATION, tr, actor)
    record_audit(actor, "submit_translation", tr, card=tr.card, language=tr.language)
    return tr


def approve_translation(tr: Translation, actor: User) -> Translation:
    """Approve a translation on substance; never by anyone who wrote it."""
    signoff.approve(TRANSLATION, tr, actor)
    record_audit(actor, "approve_translation", tr, card=tr.card, language=tr.language)
    return tr


def send_back_translation(tr: Translation, actor: User, comment: str) -> Translation:
    """Return a translation to its translators as a draft; every sign-off is void."""
    signoff.send_back(TRANSLATION, tr, actor, comment)
    record_audit(actor, "send_back_translation", tr, card=tr.card, comment=comment, language=tr.language)
    return tr


def publish_translation(tr: Translation, actor: User) -> Translation:
    """Put an approved translation on the public pages, replacing the previous one of its language."""
    signoff.check_publish(TRANSLATION, tr, actor)
    _go_live(tr, reviewed=True)
    tr.publisher_id = actor.id
    record_audit(actor, "publish_translation", tr, card=tr.card, language=tr.language)
    return tr


def _go_live(tr: Translation, reviewed: bool) -> None:
    previous = published_translation(tr.card, tr.language)
    if previous is not None and previous is not tr:
        previous.status = TranslationStatus.SUPERSEDED
    tr.status, tr.published_at, tr.reviewed = TranslationStatus.PUBLISHED, now(), reviewed
    live = tr.card.live_edition
    tr.behind_since = now() if live is not None and is_behind(tr, live) else None
    db.session.flush()
    db.session.add(CardChange(card_id=tr.card_id, kind="translated", at=now()))


def mark_translations_behind(edition: Edition) -> list[Translation]:
    """Called when `edition` goes live: mark behind every published translation whose Polish text changed."""
    card_id = edition.card_id or (edition.card.id if edition.card is not None else None)
    if card_id is None:  # a new card has no translation yet
        return []
    with db.session.no_autoflush:
        published = list(
            db.session.scalars(
                select(Translation).where(
                    Translation.card_id == card_id,
                    Translation.status == TranslationStatus.PUBLISHED,
                    Translation.behind_since.is_(None),
                )
            )
        )
        marked = [tr for tr in published if is_behind(tr, edition)]
        for tr in marked:
            tr.behind_since = now()
            record_audit(None, "translation_behind", tr, card=edition.card, language=tr.language,
                         edition_number=edition.number)  # fmt: skip
    return marked


def translations_behind() -> list[Translation]:
    """Published translations marked behind, by language then owner, for the freshness dashboard."""
    query = (
        select(Translation)
        .join(Card, Translation.card_id == Card.id)
        .where(Translation.status == TranslationStatus.PUBLISHED, Translation.behind_since.is_not(None))
        .order_by(Translation.language, Card.owner_name, Card.slug)
    )
    return list(db.session.scalars(query))


def translations_awaiting(actor: User, limit: int = 100) -> list[Translation]:
    """Translations waiting for `actor`'s signature, as `editions_awaiting`: in review (approvers, their
    departments) and approved (publishers); never one they wrote, nor one they approved themselves."""
    statuses = [s for role, s in ((Role.APPROVER, TranslationStatus.IN_REVIEW),
                                  (Role.PUBLISHER, TranslationStatus.APPROVED)) if actor.has_role(role)]  # fmt: skip
    if not statuses or not actor.active:
        return []
    query = select(Translation).join(Card, Translation.card_id == Card.id).where(Translation.status.in_(statuses))
    departments = {d.id for d in actor.departments}
    waiting = []
    for tr in db.session.scalars(query.order_by(Translation.submitted_at, Translation.id)):
        mine = actor.id in set(tr.contributor_ids or ()) | {tr.author_id}
        signed = tr.status == TranslationStatus.APPROVED and tr.approver_id == actor.id
        outside = (
            tr.status == TranslationStatus.IN_REVIEW and departments and tr.card.owner_department_id not in departments
        )
        if not (mine or signed or outside):
            waiting.append(tr)
    return waiting[:limit]


def get_translation(translation_id: int) -> Translation:
    tr = db.session.get(Translation, translation_id)
    if tr is None:
        raise NotFound("Nie ma takiego tłumaczenia.")
    return tr
