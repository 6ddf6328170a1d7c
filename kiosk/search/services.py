"""The search interface every caller uses: index, rebuild, search, suggest, and the query log.

Services add and flush; the caller commits (a view, a CLI command).
"""

import logging
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import String, case, cast, delete, func, or_, select
from sqlalchemy.orm import Session

from kiosk.cards.models import Card, CardKind, Edition, EditionPoint
from kiosk.cards.stamp import content_version, content_version_column, read_row
from kiosk.clock import now
from kiosk.errors import ValidationError
from kiosk.extensions import db
from kiosk.facts.cache import facts_cache, facts_version_column
from kiosk.facts.models import Category, Location
from kiosk.ops.instruments import record_search
from kiosk.page_cache import forget, remembered
from kiosk.process_caches import database_key, process_cache

from . import multilingual, query_log
from . import query as q
from .documents import iter_all_documents
from .engine import IndexUnavailable
from .models import SearchQuery
from .polish import analyse_query, fold, phrase_signature, same_phrase, synonyms_from, tokens
from .sync import catch_up, catch_up_locked, change_stamp_column, get_index

log = logging.getLogger(__name__)
PARALLEL_FROM = 1000  # cards; below this a rebuild is faster in one process


@dataclass
class SearchResponse:
    """What a search returns; with `total == 0` the results are the most-used cards instead."""

    query: str
    total: int
    results: list[q.Hit]
    suggestion: str | None = None
    facets: dict = field(default_factory=lambda: {"category": [], "point": []})
    degraded: bool = False
    query_id: int | None = None

    def to_dict(self) -> dict:
        results = [{"slug": h.slug, "title": h.title, "summary": h.summary, "score": h.score,
                    "highlights": h.highlights, "kind": h.kind, "referral_to": h.referral_to}
                   for h in self.results]  # fmt: skip
        return {"query": self.query, "total": self.total, "results": results, "suggestion": self.suggestion,
                "facets": self.facets, "degraded": self.degraded}  # fmt: skip


# --- keeping the index -------------------------------------------------------------------------------


def rebuild(progress: Callable[[], None] = lambda: None) -> int:
    """Rebuild the whole index from the database; returns the number of cards indexed.

    The build starts from a recorded change-log position; right after the swap, still holding the
    writers' lock, it replays every change logged since, so a publish that lands mid-build is never lost
    (other processes may already have applied it to the old index and think themselves up to date).
    """
    from kiosk.cards.models import CardChange

    idx = get_index()
    procs = min(os.cpu_count() or 1, 4) if published_count() > PARALLEL_FROM else 1

    def replay_changes_since_start() -> None:
        with Session(db.engine) as fresh:  # a new transaction: sees what committed during the build
            catch_up_locked(fresh, idx)

    with Session(db.engine) as session:
        started_at = session.scalar(select(func.max(CardChange.id))) or 0
        count = idx.build(iter_all_documents(session), started_at, progress, procs=procs,
                          after_swap=replay_changes_since_start)  # fmt: skip
    idx.known = -1
    return count


def published_count() -> int:
    """How many cards a rebuild will index (for the progress bar)."""
    return db.session.scalar(select(func.count()).select_from(Card).where(Card.live_edition_id.is_not(None)))


# --- searching ---------------------------------------------------------------------------------------


def clean_query(text: str | None) -> str:
    """Any input as a query: control characters dropped, spaces collapsed, length capped."""
    text = text or ""
    if not text.isprintable():  # only then can it hold a control or format character (category C)
        text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    return text[: current_app.config.get("MAX_QUERY_LENGTH", 200)].strip()


@dataclass(frozen=True)
class Stamp:
    """What search's per-process caches key on, read in one query at the start of each search.

    Each part changes in the same transaction as the data it stands for, so a publish committed by
    any process is seen by the next search in every process.
    """

    change: int  # the change log's last id: the index, referral cards
    facts: str | None  # the shared facts' version: names of categories and service points
    translations: tuple  # published translations: count, last id, last publication
    live: int | None  # the newest live edition


def read_stamp() -> Stamp:
    """The current stamp, kept per process while the content version stands.

    The content version (kiosk.cards.stamp) moves in the same transaction as any write to what the stamp
    reads, and is itself re-read at most once per WEB_STAMP_TTL (like the card pages' validators): under load a
    search then reads nothing from the database, and a publish in any process is searched within that second.
    The stamp and its version are read in one query on the stamp reader's autocommit connections, so a search
    begins no transaction of its own and never keeps a stamp older than the version it is kept under.
    """
    version = remembered(("content-version",), content_version)
    store = current_app.extensions.setdefault("search_stamp", {})
    kept = store.get("kept")
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    read_version, change, facts, *translations, live = read_row(_stamp_query(), {})
    stamp = Stamp(change or 0, facts, tuple(translations), live)
    store["kept"] = (read_version, stamp)
    return stamp


@lru_cache(maxsize=1)
def _stamp_query():
    return select(content_version_column(), change_stamp_column(), facts_version_column(),
                  *multilingual.translations_stamp_columns(), multilingual.live_stamp_column())  # fmt: skip


def search(text: str | None, point: str | None = None, category: str | None = None, limit: int = 10,
           log_query: bool = False, languages: bool = True) -> SearchResponse:  # fmt: skip
    """Cards matching what a resident typed, best first; the most-used cards when nothing matches.

    Ukrainian and English queries go through `search_foreign` (unless `languages` is False; then a query
    that matches nothing returns no cards, not the most-used ones).
    """
    return _search(clean_query(text), point, category, limit, log_query, languages, read_stamp())


def _search(text: str, point, category, limit: int, log_query: bool, languages: bool, stamp: Stamp) -> SearchResponse:
    started = time.perf_counter()
    foreign = _foreign(text, stamp) if languages else None
    if foreign is not None:
        return _timed(started, search_foreign(text, foreign, point, category, limit, log_query, stamp))
    try:
        response = _index_search(text, point, category, limit, stamp)
    except IndexUnavailable as exc:
        log.warning("search index unavailable, using the database instead: %s", exc)
        response = _database_search(text, point, category, limit)
    except Exception:  # derived data must never turn a search into an error page
        log.exception("search failed on the index, using the database instead")
        response = _database_search(text, point, category, limit)
    if response.total == 0 and text and languages:  # nothing in Polish: perhaps English or Ukrainian after all
        foreign = _foreign(text, stamp, force=True)
        if foreign is not None:
            return _timed(started, search_foreign(text, foreign, point, category, limit, log_query, stamp))
    record_search(time.perf_counter() - started, response.degraded)
    if text and log_query:
        response.query_id = _log(text, response.total)
    if response.total == 0 and languages:  # not in the Polish search behind a foreign one: it uses matches only
        response.results = popular_cards(limit, stamp)
    keywords = mark_referrals(response.results, stamp)
    if response.total:
        response.results = referrals_first(response.results, keywords, text)
    return response


def _timed(started: float, response: SearchResponse) -> SearchResponse:
    """Ukrainian and English searches count in the search metrics like Polish ones."""
    record_search(time.perf_counter() - started, response.degraded)
    return response


def _foreign(text: str, stamp: Stamp, force: bool = False):
    try:
        return multilingual.understand(text, _content_file("vocabulary.yaml"), force, (stamp.translations, stamp.live))
    except Exception:  # never let the foreign-language layer break a search
        log.exception("multilingual query analysis failed")
        return None


def search_foreign(text: str, foreign, point, category, limit: int, log_query: bool, stamp: Stamp) -> SearchResponse:
    """A Ukrainian or English query: translations and the vocabulary's Polish words, merged."""
    polish = _search(clean_query(foreign.polish), point, category, 10, False, False, stamp) if foreign.polish else None
    ranked = [h.slug for h in polish.results] if polish is not None and polish.total else []
    scores = {} if point or category else foreign.scores  # filters apply to the Polish engine's results
    slugs = multilingual.merge(multilingual.ForeignQuery(foreign.polish, scores), ranked, limit)
    by_slug = {h.slug: h for h in (polish.results if polish is not None else [])}
    missing = [s for s in slugs if s not in by_slug]
    for slug, (title, summary) in published_texts(missing, stamp).items():
        by_slug[slug] = q.Hit(slug=slug, title=title, summary=summary, score=0.0)
    hits = [by_slug[s] for s in slugs if s in by_slug]
    response = SearchResponse(
        query=text,
        total=len(hits),
        results=hits,
        facets=polish.facets if polish is not None else {"category": [], "point": []},
    )
    if text and log_query:
        response.query_id = _log(text, response.total)
    if response.total == 0:
        response.results = popular_cards(limit, stamp)
    mark_referrals(response.results, stamp)
    return response


_CARD_TEXTS: dict = process_cache({})


def published_texts(slugs: list[str], stamp: Stamp) -> dict[str, tuple[str, str]]:
    """The title and summary of each published card among `slugs`, kept per process per change-log id.

    Only a logged change (publish, withdraw, revert) gives a card another live edition, and editions never
    change, so a card's texts read once serve every search until the stamp moves.
    """
    key = (database_key(), stamp.change)
    entry = _CARD_TEXTS.get("entry")
    if entry is None or entry[0] != key:
        entry = _CARD_TEXTS["entry"] = (key, {})  # one assignment: another thread never sees half of it
    known = entry[1]
    missing = [slug for slug in slugs if slug not in known]
    if missing:
        rows = {r.slug: (r.title, r.summary) for r in db.session.execute(_published().where(Card.slug.in_(missing)))}
        known.update({slug: rows.get(slug) for slug in missing})  # None: not published
    return {slug: known[slug] for slug in slugs if known[slug] is not None}


def mark_referrals(hits: list[q.Hit], stamp: Stamp | None = None) -> dict[str, tuple[str, ...]]:
    """Referral cards say where to go right in the results: their kind and first institution.

    Returns each referral hit's keywords.
    """
    referrals = referral_cards(stamp or read_stamp())
    for hit in hits:
        if hit.slug in referrals:
            hit.kind, hit.referral_to = CardKind.REFERRAL.value, referrals[hit.slug][0]
    return {hit.slug: referrals[hit.slug][1] for hit in hits if hit.slug in referrals}


_REFERRALS: dict = process_cache({})


def referral_cards(stamp: Stamp) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every live referral card: its first institution's name and its keywords (one query per change).

    A new edition, a withdrawal or a renamed institution moves the stamp, so this is never stale.
    """
    key = (database_key(), stamp.change, stamp.facts)
    if _REFERRALS.get("key") != key:
        first_point = (EditionPoint.edition_id == Edition.id) & (EditionPoint.position == 0)
        rows = db.session.execute(
            select(Card.slug, Location.name, Edition.keywords)
            .join(Edition, Card.live_edition_id == Edition.id)
            .outerjoin(EditionPoint, first_point)
            .outerjoin(Location, EditionPoint.location_id == Location.id)
            .where(Edition.kind == CardKind.REFERRAL.value)
        )
        found = {slug: (name or "", tuple(keywords or ())) for slug, name, keywords in rows}
        _REFERRALS["value"], _REFERRALS["key"] = found, key
    return _REFERRALS["value"]


def referrals_first(hits: list[q.Hit], keywords: dict[str, tuple[str, ...]], text: str) -> list[q.Hit]:
    """A query that is exactly a referral card's keyword ("paszportu", "800+") puts that card first.

    A resident naming a matter another institution handles must be sent to the right door, not shown a
    city card that merely shares a word; the rest keep their order.
    """
    query = phrase_signature(text)
    if not query or not keywords:
        return hits

    def named(hit) -> bool:
        index = _keyword_index(keywords[hit.slug])
        return any(same_phrase(query, k) for form in query[0] for k in index.get((len(query), form), ()))

    wanted = [h for h in hits if h.slug in keywords and named(h)]
    return wanted + [h for h in hits if h not in wanted] if wanted else hits


@lru_cache(maxsize=1024)
def _keyword_index(keywords: tuple[str, ...]) -> dict[tuple[int, str], list]:
    """A referral card's keyword signatures by word count and each form of the first word: a query is compared
    only with the phrases it could be (as many words, the first one alike)."""
    index: dict[tuple[int, str], list] = {}
    for keyword in keywords:
        signature = phrase_signature(keyword)
        for form in signature[0] if signature else ():
            index.setdefault((len(signature), form), []).append(signature)
    return index


def _index_search(text: str, point, category, limit: int, stamp: Stamp) -> SearchResponse:
    idx = get_index()
    catch_up(db.session, idx, stamp.change)
    searcher = idx.searcher()
    words = analyse_query(text, _synonyms())
    query = q.build_query(words, searcher.reader())
    if query is None:
        return SearchResponse(query=text, total=0, results=[])
    allow = q.allowed_docs(searcher, point, category)
    hits, total, facets = q.run(searcher, query, allow, limit)
    if total == 0:  # nothing outside the bodies: look at every word everywhere before giving up
        full = q.build_query(words, searcher.reader(), prune=False)
        hits, total, facets = q.run(searcher, full, allow, limit)
    hint = q.suggestion(searcher, text) if total < 3 else None
    return SearchResponse(query=text, total=total, results=hits, suggestion=hint,
                          facets=_label_facets(facets, stamp.facts))  # fmt: skip


SYNONYMS_KEY = ("synonyms",)


def _synonyms():
    """The synonyms file's contents; whether the file changed is looked at once per WEB_STAMP_TTL, not per search."""
    return remembered(SYNONYMS_KEY, lambda: synonyms_from(_content_file("synonyms.yaml")))


def _content_file(name: str) -> Path:
    return _content_path(current_app.config["KIOSK_CONTENT_DIR"], name)


@lru_cache(maxsize=64)
def _content_path(directory: str, name: str) -> Path:
    return Path(directory) / name  # a Path costs more to build than the rest of a search's file check


_FACET_NAMES: dict = process_cache({})


def _facet_names(facts_version: str | None) -> dict[str, dict[str, str]]:
    """Each filter value's name, per facts snapshot (the facts cache hands out one object per version)."""
    facts = facts_cache().facts(facts_version)
    kept = _FACET_NAMES.get("entry")
    if kept is None or kept[0] is not facts:
        names = {"category": {c.slug: c.name for c in facts[Category].values()},
                 "point": {p.slug: p.name for p in facts[Location].values()}}  # fmt: skip
        kept = _FACET_NAMES["entry"] = (facts, names)
    return kept[1]


def _label_facets(counts: dict, facts_version: str | None) -> dict:
    """Counts per filter value, with the names residents read (from the shared-facts cache), largest first."""
    names = _facet_names(facts_version)
    return {facet: [{"value": v, "label": names[facet].get(v, v), "count": n}
                    for v, n in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))]
            for facet, values in counts.items()}  # fmt: skip


def _database_search(text: str, point, category, limit: int) -> SearchResponse:
    """The fallback when the index cannot be used: ILIKE over title, summary and keywords."""
    words = [w for w in tokens(text) if len(w) > 1][:8]
    if not words:
        return SearchResponse(query=text, total=0, results=[], degraded=True)
    stmt = _published().where(or_(*[_like_any(w) for w in words]))
    if category:
        stmt = stmt.join(Category, Edition.category_id == Category.id).where(Category.slug == category)
    if point:
        at_point = (select(EditionPoint.id).join(Location, EditionPoint.location_id == Location.id)
                    .where(EditionPoint.edition_id == Edition.id, Location.slug == point))  # fmt: skip
        stmt = stmt.where(at_point.exists())
    rows = db.session.execute(stmt.order_by(Edition.title)).all()
    hits = [q.Hit(slug=r.slug, title=r.title, summary=r.summary, score=0.0,
                  highlights={"title": q.escape(r.title), "summary": q.escape(r.summary)})
            for r in rows[:limit]]  # fmt: skip
    return SearchResponse(query=text, total=len(rows), results=hits, degraded=True)


def _published():
    return select(Card.slug, Edition.title, Edition.summary).join(Edition, Card.live_edition_id == Edition.id)


def _like_any(word: str):
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    columns = (Edition.title, Edition.summary, cast(Edition.keywords, String))
    return or_(*[c.ilike(pattern, escape="\\") for c in columns])


def suggest(prefix: str | None, limit: int = 8) -> list[dict]:
    """Completions while a resident types: titles of cards matching the words so far."""
    text = clean_query(prefix)
    if len(text) < 2:
        return []
    try:
        idx = get_index()
        catch_up(db.session, idx, read_stamp().change)  # the stamp's compiled SQL: cheaper than max(id) via the ORM
        searcher = idx.searcher()
        query = q.build_query(analyse_query(text, _synonyms()), searcher.reader(), prefix_last=True, only=q.HEAD)
        if query is None:
            return []
        return [{"text": hit["title"], "slug": hit["slug"]} for hit in q.top_titles(searcher, query, limit)]
    except IndexUnavailable as exc:
        log.warning("suggest without an index: %s", exc)
        rows = db.session.execute(_published().where(Edition.title.ilike(f"%{text}%")).limit(limit)).all()
        return [{"text": r.title, "slug": r.slug} for r in rows]


# --- the query log -----------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"\d[\d\s-]{5,}\d|\S+@\S+")


def mask_personal(text: str) -> str:
    """Queries are logged without personal data: PESEL-like numbers and e-mail addresses are masked."""
    return _IDENTIFIER.sub("…", text)


def end_search_transaction() -> None:
    """Commit what a search wrote through the session (its log, where the log is not written on its own).

    On PostgreSQL a search reads its stamp and writes its log on autocommit connections, so the session
    usually holds no transaction: committing nothing would still run every commit hook.
    """
    if db.session.registry.has() and db.session().in_transaction():  # no session opened: nothing to commit
        db.session.commit()


def _log(text: str, total: int) -> int:
    """Log a search without personal data; returns its id (kiosk.search.query_log: at once, or batched)."""
    return query_log.write(mask_personal(text)[:200], total, now())


def purge_query_log(at: datetime | None = None) -> int:
    """Delete searches logged longer ago than SEARCH_LOG_RETENTION_DAYS (typed text may name a person)."""
    cutoff = (at or now()) - timedelta(days=current_app.config["SEARCH_LOG_RETENTION_DAYS"])
    return db.session.execute(delete(SearchQuery).where(SearchQuery.at < cutoff)).rowcount


def record_opened(slug: str, text: str = "", query_id: int | None = None) -> bool:
    """Note that a resident opened `slug` from a search; False when no such published card exists."""
    if db.session.scalar(select(Card.id).where(Card.slug == slug, Card.live_edition_id.is_not(None))) is None:
        return False
    typed = mask_personal(clean_query(text))[:200]
    if query_id:
        query_log.write_pending(query_id)
    entry = db.session.get(SearchQuery, query_id) if query_id else None
    if entry is None and query_id and query_log.open_waiting(query_id, slug, typed):
        return True  # the search waits in another worker's batch; the click holds its row until the batch fills it in
    if entry is None or entry.opened_slug is not None:
        entry = SearchQuery(text=typed, result_count=None)
        db.session.add(entry)
    entry.opened_slug = slug
    db.session.flush()
    return True


_POPULAR: dict = process_cache({})


def popular_cards(limit: int = 10, stamp: Stamp | None = None) -> list[q.Hit]:
    """The cards residents open most often from search; alphabetical ones fill any gap.

    Given the search's stamp, the list is kept per process under its change-log id (so a withdrawn or renamed
    card is never offered) for at most SEARCH_POPULAR_TTL seconds (default 60; 0 under tests): only how often
    cards were opened may be that old. Every query that finds nothing shows this list, and reading it costs
    two queries over every live card and the query log.
    """
    ttl = current_app.config.get("SEARCH_POPULAR_TTL", 0 if current_app.testing else 60.0)
    if stamp is None or ttl <= 0:
        return _read_popular_cards(limit)
    key = (database_key(), stamp.change, limit)
    moment = time.monotonic()
    kept = _POPULAR.get(key)
    if kept is None or kept[0] <= moment:
        if len(_POPULAR) > 64:
            _POPULAR.clear()
        kept = _POPULAR[key] = (moment + ttl, _read_popular_cards(limit))
    return list(kept[1])


def _read_popular_cards(limit: int) -> list[q.Hit]:
    opened = func.count(SearchQuery.id)
    ranked = (_published().join(SearchQuery, SearchQuery.opened_slug == Card.slug)
              .group_by(Card.slug, Edition.title, Edition.summary).order_by(opened.desc(), Edition.title))  # fmt: skip
    rows = list(db.session.execute(ranked.limit(limit)))
    seen = {r.slug for r in rows}
    if len(rows) < limit:
        rest = db.session.execute(_published().order_by(Edition.title).limit(limit + len(seen)))
        rows += [r for r in rest if r.slug not in seen][: limit - len(rows)]
    return [q.Hit(slug=r.slug, title=r.title, summary=r.summary, score=0.0, highlights={}) for r in rows]


def normalise_query(text: str) -> str:
    """The form queries are grouped by: folded like the index (no case, no diacritics), single spaces."""
    return " ".join(fold(text or "").split())


@dataclass
class QueryGap:
    """A query residents could not use: it found nothing, or found cards none of which was opened."""

    query: str
    zero_results: int
    no_click: int
    last_seen: datetime

    @property
    def count(self) -> int:
        return self.zero_results + self.no_click


def query_gaps(days: int = 90, limit: int | None = 50) -> list[QueryGap]:
    """Zero-result and no-click queries of the last `days`, grouped by `normalise_query`, most frequent first."""
    zero = SearchQuery.result_count == 0
    no_click = (SearchQuery.result_count > 0) & SearchQuery.opened_slug.is_(None)
    text = func.lower(SearchQuery.text)
    counts = (func.sum(case((zero, 1), else_=0)), func.sum(case((no_click, 1), else_=0)))
    rows = db.session.execute(
        select(text, *counts, func.max(SearchQuery.at))
        .where(SearchQuery.at >= now() - timedelta(days=days), zero | no_click)
        .group_by(text)
    )  # fmt: skip
    gaps: dict[str, QueryGap] = {}
    for raw, zeros, clicks, last in rows:
        key = normalise_query(raw)
        if not key:
            continue
        gap = gaps.setdefault(key, QueryGap(key, 0, 0, last))
        gap.zero_results += int(zeros or 0)
        gap.no_click += int(clicks or 0)
        gap.last_seen = max(gap.last_seen, last)
    ordered = sorted(gaps.values(), key=lambda g: (-g.count, -g.zero_results, g.query))
    return ordered[:limit] if limit else ordered


def add_synonym(phrase: str, words: list[str]) -> None:
    """Teach search a resident's word: `phrase` → `words` in content/synonyms.yaml (merged, comments kept)."""
    phrase = " ".join(phrase.lower().split())
    words = [" ".join(w.lower().split()) for w in words if w.strip()]
    if not phrase or not words or len(phrase) > 80:
        raise ValidationError("Podaj słowo mieszkańca i co najmniej jedno słowo z kart.", "words")
    path = _content_file("synonyms.yaml")
    with _synonyms_lock:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        existing = (yaml.safe_load("\n".join(lines)) or {}).get(phrase, [])
        merged = list(dict.fromkeys([*existing, *words]))
        entry = yaml.safe_dump({phrase: merged}, allow_unicode=True, default_flow_style=None, width=1000).strip()
        key_line = yaml.safe_dump({phrase: None}, allow_unicode=True).split(":")[0] + ":"
        lines = [line for line in lines if not line.startswith(key_line + " ")]
        if "# added from search gaps" not in lines:
            lines += ["", "# added from search gaps"]
        lines.append(entry)
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(path)  # atomic: searches never read a half-written file
    forget(SYNONYMS_KEY)  # the editor tries the word next: this process reads the file again at once


_synonyms_lock = threading.Lock()


def index_problem() -> str | None:
    """Why the index cannot be opened now, or None when it can (for the readiness probe)."""
    try:
        get_index().open()
    except IndexUnavailable as exc:
        return str(exc)
    return None


def localize_hits(hits: list[q.Hit], language: str) -> list[q.Hit]:
    """Titles and summaries in the reader's language where a current published translation has them."""
    from kiosk.cards.translation_view import translated_hit_texts

    texts = translated_hit_texts([h.slug for h in hits], language)
    for hit in hits:
        if hit.slug in texts:
            hit.title, summary = texts[hit.slug]
            hit.summary = summary or hit.summary
            hit.highlights = {"title": q.escape(hit.title), "summary": q.escape(hit.summary)}
            hit.language = language
    return hits
