"""Content checks: problems a reader of a card would trip over, found without anyone reporting them.

`run_checks` looks at every card's live edition with a fixed number of queries, and keeps one open
`ReviewFlag` (source "check") per problem: new problems are added, problems no longer found are closed.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, insert, select, update
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from kiosk.audit import record_audit
from kiosk.cards.models import Card, Edition, EditionDocument, EditionFee, EditionLegalAct, EditionStatus
from kiosk.cards.published import card_load_options
from kiosk.clock import now, today
from kiosk.extensions import db
from kiosk.facts.models import Category, FormFile, LifeSituation, Location, SharedFee

from .models import FlagSource, ReviewFlag
from .services import CHECK_ACTION
from .verification import open_doubts

PAST_YEAR = re.compile(r"\bw\s+roku\s+((?:19|20)\d{2})\b|\bw\s+((?:19|20)\d{2})\s*r(?:\.|oku\b)", re.IGNORECASE)
INTERNAL_LINK = re.compile(r"""href\s*=\s*["'](/[^"'#?\s]*)|\]\((/[^)#?\s]*)""")
SLUG_ROUTES = {"web.card": "card", "web.category": "category", "web.point": "point", "web.situation": "situation"}


@dataclass(frozen=True)
class ContentCheck:
    """One run of the content checks, as the audit trail records it (the dashboard's "last check")."""

    opened: int
    closed: int
    id = None


@dataclass(frozen=True)
class Finding:
    card_id: int
    code: str
    reason: str
    detail: str = ""

    @property
    def key(self) -> tuple:
        return self.card_id, self.code, self.detail


def run_checks() -> tuple[int, int]:
    """Run every content check over all cards and store the findings; returns (opened, closed)."""
    findings = {f.key: f for f in find_problems()}
    open_flags = db.session.execute(
        select(ReviewFlag.id, ReviewFlag.card_id, ReviewFlag.code, ReviewFlag.detail)
        .where(ReviewFlag.source == FlagSource.CHECK, ReviewFlag.resolved_at.is_(None))
    ).all()  # fmt: skip
    known = {(r.card_id, r.code, r.detail): r.id for r in open_flags}
    at = now()
    new = [f for key, f in findings.items() if key not in known]
    gone = [flag_id for key, flag_id in known.items() if key not in findings]
    if new:
        db.session.execute(insert(ReviewFlag), [
            {"card_id": f.card_id, "source": FlagSource.CHECK, "code": f.code, "reason": f.reason,
             "subject_type": "card", "subject_id": f.card_id, "detail": f.detail, "created_at": at,
             "resolved_by": "", "resolution": ""} for f in new])  # fmt: skip
    for start in range(0, len(gone), 500):
        db.session.execute(update(ReviewFlag).where(ReviewFlag.id.in_(gone[start : start + 500]))
                           .values(resolved_at=at, resolved_by="kontrola treści", resolution="fixed"))  # fmt: skip
    record_audit(None, CHECK_ACTION, ContentCheck(len(new), len(gone)), opened=len(new), closed=len(gone),
                 comment=f"Kontrola treści: nowe problemy {len(new)}, usunięte {len(gone)}.")  # fmt: skip
    return len(new), len(gone)


def find_problems() -> list[Finding]:
    """Every problem in every live edition (and every scheduled edition left unpublished)."""
    live = list(db.session.execute(
        select(Card.id, Edition.id.label("edition_id"), Edition.summary, Edition.body)
        .join(Edition, Edition.id == Card.live_edition_id)
    ))  # fmt: skip
    found = _overdue_schedules()
    targets = _link_targets()
    documents = _counts(EditionDocument.edition_id)
    legal = _counts(EditionLegalAct.edition_id)
    no_amount = _fees_without_amount()
    year = today().year
    doubts = _open_doubts()
    for row in live:
        text = f"{row.summary}\n{row.body}"
        found += check_text(row.id, text, year, targets)
        if not documents.get(row.edition_id):
            found.append(Finding(row.id, "no_documents", "Karta nie wymienia żadnych dokumentów."))
        if not legal.get(row.edition_id):
            found.append(Finding(row.id, "no_legal_basis", "Karta nie podaje podstawy prawnej."))
        for what in no_amount.get(row.edition_id, ()):
            found.append(Finding(row.id, "fee_without_amount", f"Opłata „{what}” nie ma kwoty.", what[:300]))
        for note in doubts.get(row.id, ()):
            found.append(Finding(row.id, "unverified", f"Informacja oznaczona jako niezweryfikowana: {note}",
                                 note[:300]))  # fmt: skip
    return found


def _open_doubts() -> dict[int, list[str]]:
    """Each live card's open doubts (its own, its facts' and its shared facts'), a fixed number of queries."""
    cards = db.session.scalars(select(Card).where(Card.live_edition_id.is_not(None)).options(*card_load_options()))
    return {card.id: list(dict.fromkeys(str(d.note) for d in open_doubts(card))) for card in cards}


def check_text(card_id: int, text: str, year: int, targets: dict) -> list[Finding]:
    """Past years written as current ("w 2023 r.") and internal links to pages that do not exist."""
    found = []
    for past in sorted({int(m.group(1) or m.group(2)) for m in PAST_YEAR.finditer(text)} - set(range(year, 2100))):
        found.append(Finding(card_id, "past_year", f"Tekst mówi o roku {past} jak o bieżącym („w {past} r.”).",
                             str(past)))  # fmt: skip
    for path in sorted({a or b for a, b in INTERNAL_LINK.findall(text)}):
        if not internal_page_exists(path, targets):
            found.append(Finding(card_id, "broken_link", f"Odnośnik do nieistniejącej strony: {path}", path[:300]))
    return found


def internal_page_exists(path: str, targets: dict) -> bool:
    """True when an internal path leads to a page or form that exists now."""
    if path.rstrip("/") in targets["forms"]:
        return True
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, args = adapter.match(path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    kind = SLUG_ROUTES.get(endpoint)
    return kind is None or args.get("slug") in targets[kind]


def _link_targets() -> dict:
    live = select(Card.slug).where(Card.live_edition_id.is_not(None))
    forms = {url.split("://", 1)[-1].partition("/")[2] for url in db.session.scalars(select(FormFile.url))}
    return {
        "card": set(db.session.scalars(live)),
        "category": set(db.session.scalars(select(Category.slug))),
        "point": set(db.session.scalars(select(Location.slug))),
        "situation": set(db.session.scalars(select(LifeSituation.slug))),
        "forms": {"/" + path.rstrip("/") for path in forms if path},
    }


def _live_editions():
    return select(Card.live_edition_id).where(Card.live_edition_id.is_not(None))


def _counts(column) -> dict[int, int]:
    query = select(column, func.count()).where(column.in_(_live_editions())).group_by(column)
    return dict(db.session.execute(query).all())


def _fees_without_amount() -> dict[int, list[str]]:
    query = (
        select(EditionFee.edition_id, EditionFee.what)
        .outerjoin(SharedFee, SharedFee.id == EditionFee.shared_fee_id)
        .where(EditionFee.edition_id.in_(_live_editions()), EditionFee.amount.is_(None), SharedFee.amount.is_(None))
    )
    out = defaultdict(list)
    for edition_id, what in db.session.execute(query):
        out[edition_id].append(what)
    return out


def _overdue_schedules() -> list[Finding]:
    query = select(Edition.card_id, Edition.number, Edition.effective_date).where(
        Edition.status == EditionStatus.APPROVED, Edition.effective_date < today()
    )
    return [
        Finding(card_id, "schedule_missed",
                f"Wydanie {number:02d} miało wejść w życie {effective:%d.%m.%Y} i nie zostało opublikowane.",
                str(number))
        for card_id, number, effective in db.session.execute(query)
    ]  # fmt: skip
