"""Importing and exporting card translations with the Polish cards (`content/cards/<slug>.<lang>.md`)."""

from pathlib import Path

from sqlalchemy import func, select

from kiosk.accounts.models import User
from kiosk.audit import record_audit
from kiosk.cards.models import Card
from kiosk.cards.translation_models import Translation, TranslationStatus
from kiosk.cards.translations import OPEN, _go_live, make_pairs, source_hash, translation_hash
from kiosk.clock import now
from kiosk.errors import ValidationError
from kiosk.extensions import db

from .translationfile import TranslationFile, read_translation_file, render_translation_file, translation_paths
from .yamlsource import ContentFileError


def import_translations(directory: Path, importer: User, report) -> None:
    """Publish the translation files whose text or review state changed; a person's open translation wins."""
    files = [read_translation_file(path) for path in translation_paths(directory)]
    cards = {c.slug: c for c in db.session.scalars(select(Card))}
    current = {(t.card_id, t.language): t for t in db.session.scalars(
        select(Translation).where(Translation.status.in_((*OPEN, TranslationStatus.PUBLISHED))))}  # fmt: skip
    for tf in files:
        card = cards.get(tf.slug)
        path = directory / "cards" / f"{tf.slug}.{tf.language}.md"
        if card is None:
            raise ContentFileError(path, None, "", f"brak opublikowanej karty „{tf.slug}” do tego tłumaczenia")
        if card.live_edition is None:  # its first edition is scheduled: the translation follows the next import
            report.blocked.append(f"{tf.slug}.{tf.language}")
            continue
        existing = current.get((card.id, tf.language))
        if existing is not None and existing.status != TranslationStatus.PUBLISHED:
            report.blocked.append(f"{tf.slug}.{tf.language}")
            continue
        if existing is not None and (existing.texts, existing.reviewed, existing.source_hash) == (
            tf.texts,
            tf.reviewed,
            tf.source or existing.source_hash,
        ):
            continue
        _publish_file(card, tf, path, importer)
        report.translations.append(f"{tf.slug}.{tf.language}")


def _publish_file(card: Card, tf: TranslationFile, path: Path, importer: User) -> Translation:
    try:
        pairs = make_pairs(card.live_edition, tf.texts)
    except ValidationError as exc:
        if not tf.source:  # a new file must fit the card; an old one may have been written for other rows
            raise ContentFileError(path, None, exc.field, exc.message) from None
        pairs = []
    written_for = tf.source or source_hash(pairs)
    number = db.session.scalar(
        select(func.max(Translation.number)).where(Translation.card_id == card.id, Translation.language == tf.language)
    )
    tr = Translation(card=card, language=tf.language, number=(number or 0) + 1, edition=card.live_edition,
                     title=tf.texts["title"], summary=tf.texts["summary"], body=tf.texts["body"], texts=tf.texts,
                     # Written for other Polish texts: which part changed is unknown, so no part is shown.
                     pairs=pairs if written_for == source_hash(pairs) else [],
                     source_hash=written_for, author_id=importer.id, contributor_ids=[importer.id],
                     approver_id=importer.id, publisher_id=importer.id, submitted_at=now(),
                     approved_at=now())  # fmt: skip
    db.session.add(tr)
    tr.content_hash = tr.submitted_hash = tr.approved_hash = translation_hash(tr)
    _go_live(tr, reviewed=tf.reviewed)
    if written_for != source_hash(pairs) or not pairs:
        tr.behind_since = now()
    record_audit(importer, "import_translation", tr, card=card, language=tf.language, reviewed=tf.reviewed)
    return tr


def export_translations(directory: Path) -> int:
    """Write every published translation back as it was written; returns the number of files."""
    query = (
        select(Card.slug, Translation)
        .join(Card, Translation.card_id == Card.id)
        .where(Translation.status == TranslationStatus.PUBLISHED, Card.live_edition_id.is_not(None))
    )
    count = 0
    for slug, tr in db.session.execute(query):
        tf = TranslationFile(slug, tr.language, tr.texts or {"title": tr.title}, tr.reviewed, tr.source_hash)
        (directory / "cards" / f"{slug}.{tr.language}.md").write_text(render_translation_file(tf), encoding="utf-8")
        count += 1
    return count
