"""Rendering a card's public pages into the page store: after a publish, and by `flask pages render`.

A card's pages are its web page, its kiosk screen (plain, and as each kiosk in service shows it) and its JSON,
in Polish and in each language it has a published translation in. They are rendered by asking the application
itself for them (a test client, each request in its own context, at the public address), so the store holds
exactly what a request gets and no page's logic has a second copy here. A page already current in the store
is a hit, not a render, so rendering everything again is cheap.

Pages that show which points are open (the web page, the kiosk screen) are kept under today's date and the
open points, so a stored one becomes a miss at the next opening or closing; the first view after it renders.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app, has_request_context
from sqlalchemy import and_, select

from kiosk.background import defer
from kiosk.cards.models import Card, CardChange
from kiosk.cards.translation_models import Translation, TranslationStatus
from kiosk.extensions import db, listen_on_session
from kiosk.kiosk_ui.models import KioskDevice
from kiosk.page_cache import page_cache

from .store import page_store

PENDING = "pages_pending"  # session.info: ids of cards whose change log grew in this transaction


@dataclass
class RenderReport:
    cards: int = 0
    pages: int = 0
    failed: int = 0


def live_cards(slugs: Iterable[str] | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """Every live card (or the live ones of `slugs`) with its languages: Polish, then each published translation."""
    published = and_(Translation.card_id == Card.id, Translation.status == TranslationStatus.PUBLISHED)
    query = (select(Card.slug, Translation.language).outerjoin(Translation, published)
             .where(Card.live_edition_id.is_not(None)).order_by(Card.slug, Translation.language))  # fmt: skip
    if slugs is not None:
        query = query.where(Card.slug.in_(list(slugs)))
    languages: dict[str, list[str]] = {}
    for slug, language in db.session.execute(query):
        languages.setdefault(slug, ["pl"]).extend([language] if language else [])
    return [(slug, tuple(langs)) for slug, langs in languages.items()]


def store_is_on() -> bool:
    """Pages reach the store only through the page cache: both must be on."""
    return page_cache() is not None and page_store() is not None


def render_cards(cards: list[tuple[str, tuple[str, ...]]], progress: Callable[[], None] = lambda: None) -> RenderReport:
    """Render the pages of `cards` (as `live_cards` lists them) into the page store; `progress()` after each card."""
    app = current_app._get_current_object()
    client = app.test_client(use_cookies=False)  # no language or kiosk remembered from one page to the next
    adapter = app.url_map.bind("localhost")
    kiosks = [None, *db.session.scalars(select(KioskDevice.code).where(KioskDevice.retired_at.is_(None)))]
    report = RenderReport()
    for slug, languages in cards:
        for language in languages:
            for path in _card_paths(adapter, slug, language, kiosks):
                with app.app_context():  # each request in a context of its own, as in production
                    status = client.get(path, base_url=app.config["KIOSK_PUBLIC_URL"]).status_code
                report.pages += 1
                report.failed += status != 200
        report.cards += 1
        progress()
    return report


def _card_paths(adapter, slug: str, language: str, kiosks: list) -> list[str]:
    """A card's pages in `language`: the web page, the JSON and the kiosk screen plain and per kiosk in service."""
    lang = {"lang": language} if language != "pl" else {}
    paths = [adapter.build(endpoint, {"slug": slug, **lang}) for endpoint in ("web.card", "api.card")]
    return paths + [adapter.build("kiosk_ui.card", {"slug": slug, **({"k": k} if k else {}), **lang}) for k in kiosks]


def render_changed_cards(card_ids: list[int]) -> RenderReport:
    """Render the pages of these cards that are live (the rest were withdrawn: nothing to show)."""
    slugs = db.session.scalars(select(Card.slug).where(Card.id.in_(card_ids)))
    return render_cards(live_cards(list(slugs)))


# --- the commit hook: a publish, a withdrawal or a translation published renders the card's pages ---------------


def _note_changes(session, _flush_context):
    changed = {obj.card_id for obj in session.new if isinstance(obj, CardChange)}
    if changed:
        session.info.setdefault(PENDING, set()).update(changed)


def _after_commit(session):
    changed = session.info.pop(PENDING, None)
    # In a request (the back office) the work goes to the background thread. A CLI job that changes many cards
    # (the content import) is followed by `flask pages render` instead of rendering inside its commit.
    if (
        changed
        and has_request_context()
        and current_app.config.get("WEB_PAGE_RENDER_ON_PUBLISH", True)
        and store_is_on()
    ):
        defer(render_changed_cards, sorted(changed))


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # only the outermost rollback discards the change
        session.info.pop(PENDING, None)


def install_commit_hook() -> None:
    """Listen on the Flask-SQLAlchemy session class (once per process)."""
    listen_on_session(("after_flush", _note_changes), ("after_soft_rollback", _after_rollback),
                      ("after_commit", _after_commit))  # fmt: skip
