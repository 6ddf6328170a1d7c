"""Keeping each process's index in step with the change log (CardChange) in the database.

A transaction that logs a public change marks the session; only when it commits does the index
catch up, reading committed rows. A rolled-back transaction therefore never reaches the index.
Searches catch up too (one cheap max(id) query), so processes that did not make the change converge.
"""

import logging

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.cards.models import Card, CardChange
from kiosk.extensions import db, listen_on_session

from .documents import load_documents
from .engine import IndexUnavailable, SearchIndex

log = logging.getLogger(__name__)
PENDING = "search_pending"


def get_index() -> SearchIndex:
    """This app's index handle (one per process and index directory)."""
    handle = current_app.extensions.get("search")
    if handle is None or str(handle.path) != current_app.config["KIOSK_INDEX_DIR"]:
        handle = current_app.extensions["search"] = SearchIndex(current_app.config["KIOSK_INDEX_DIR"])
    return handle


def catch_up(session: Session, idx: SearchIndex | None = None, latest: int | None = None) -> int:
    """Apply the committed changes this index has not seen; returns how many cards were touched.

    `latest` is the change log's last id when the caller has just read it (`change_stamp_column`).
    """
    idx = idx or get_index()
    if latest is None:
        latest = session.scalar(select(func.max(CardChange.id))) or 0
    if latest == idx.known:
        return 0
    if latest < idx.known:  # a stamp kept for a moment (WEB_STAMP_TTL) behind what this process has applied
        latest = session.scalar(select(func.max(CardChange.id))) or 0
        if latest == idx.known:
            return 0
    with idx.writing():
        return catch_up_locked(session, idx, latest)


def change_stamp_column():
    """A scalar subquery for the change log's last id, to select alongside other stamps."""
    return select(func.max(CardChange.id)).scalar_subquery()


def catch_up_locked(session: Session, idx: SearchIndex, latest: int | None = None) -> int:
    """`catch_up` for a caller that already holds `idx.writing()` (a rebuild replaying what it missed)."""
    if latest is None:
        latest = session.scalar(select(func.max(CardChange.id))) or 0
    idx.open()
    done = idx.applied_id()
    if latest < done:
        raise IndexUnavailable(f"index is ahead of the change log ({done} > {latest}); rebuild it")
    touched = _apply(session, idx, done, latest) if latest > done else 0
    idx.known = latest
    return touched


def _apply(session: Session, idx: SearchIndex, done: int, latest: int) -> int:
    card_ids = set(session.scalars(select(CardChange.card_id).where(CardChange.id > done, CardChange.id <= latest)))
    docs = load_documents(session, card_ids)
    live = {d["slug"] for d in docs}
    gone = set(session.scalars(select(Card.slug).where(Card.id.in_(card_ids)))) - live
    idx.apply(docs, gone, latest)
    return len(card_ids)


# --- the commit hook ----------------------------------------------------------------------------------


def _note_changes(session, flush_context):
    if any(isinstance(obj, CardChange) for obj in session.new):
        session.info[PENDING] = True


def _forget_changes(session):
    session.info.pop(PENDING, None)


def _after_commit(session):
    if not session.info.pop(PENDING, False) or not has_app_context():
        return
    idx = get_index()
    if not idx.path.exists():  # never built here yet: `flask search rebuild` creates it
        log.info("no search index at %s yet; run `flask search rebuild`", idx.path)
        return
    try:
        with Session(db.engine) as fresh:  # the committed session may not emit SQL here
            catch_up(fresh, idx)
    except IndexUnavailable as exc:
        log.warning("search index not updated after commit: %s", exc)
    except Exception:  # the commit already happened; never fail the caller over derived data
        log.exception("search index update after commit failed")


def install_commit_hook() -> None:
    """Listen on the Flask-SQLAlchemy session class (once per process)."""
    listen_on_session(("after_flush", _note_changes), ("after_soft_rollback", _after_rollback),
                      ("after_commit", _after_commit))  # fmt: skip


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # only the outermost rollback discards the change
        _forget_changes(session)
