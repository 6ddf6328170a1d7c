"""A per-process cache of shared facts by id, so a card page needs no joins to them.

Facts are few (tens of rows) and change rarely. Every ORM write to a fact bumps a version number in
the `setting` table in the same transaction; readers fetch that number with the card (no extra query)
and reload the cache when it moved, so every process sees a committed change at once.
"""

import threading

from flask import current_app
from sqlalchemy import Integer, String, cast, event, insert, select, update
from sqlalchemy.orm import Session

from kiosk.extensions import db

from .models import Category, Department, FormFile, LegalAct, LifeSituation, Location, Setting, SharedFee

FACT_MODELS = (Category, Department, FormFile, LegalAct, LifeSituation, Location, SharedFee)
VERSION_KEY = "facts_version"


def facts_version_column():
    """A scalar subquery for the current facts version, to select alongside other rows."""
    return select(Setting.value).where(Setting.key == VERSION_KEY).scalar_subquery()


class FactsCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._version: object = object()
        self._facts: dict = {}

    def facts(self, version: str | None) -> dict:
        """{model: {id: detached object}} as of `version` (read in the caller's transaction)."""
        with self._lock:
            if version != self._version or not self._facts:
                self._facts = _load_all()
                self._version = version
            return self._facts


def _load_all() -> dict:
    # A separate session: the objects stay loaded and detached, untouched by the request's commits.
    with Session(db.engine) as session:
        return {model: {obj.id: obj for obj in session.scalars(select(model))} for model in FACT_MODELS}


def facts_cache() -> FactsCache:
    return current_app.extensions.setdefault("facts_cache", FactsCache())


@event.listens_for(Session, "before_flush")
def _remember_fact_writes(session, flush_context, instances):
    if any(isinstance(obj, FACT_MODELS) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["bump_facts_version"] = True


@event.listens_for(Session, "after_flush")
def _bump_facts_version(session, flush_context):
    if not session.info.pop("bump_facts_version", False):
        return
    connection = session.connection()
    bumped = connection.execute(
        update(Setting).where(Setting.key == VERSION_KEY).values(value=cast(cast(Setting.value, Integer) + 1, String))
    )
    if bumped.rowcount == 0:
        connection.execute(insert(Setting).values(key=VERSION_KEY, value="1"))
