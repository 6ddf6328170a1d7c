"""The front desk's queues and the statistics: read-only queries, paginated and index-backed."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload

from kiosk.accounts.models import User
from kiosk.cards.models import Card, Edition
from kiosk.clock import LOCAL_TZ, today
from kiosk.errors import NotFound, ValidationError
from kiosk.extensions import db
from kiosk.facts.models import Department

from .models import Case, CaseStatus
from .services import department_ids, is_desk

PER_PAGE = 50
CSV_LIMIT = 10_000
DONE = (CaseStatus.ISSUED, CaseStatus.DELIVERED)


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    statuses: tuple[CaseStatus, ...]
    order: tuple


QUEUES = {
    q.slug: q
    for q in (
        Queue("dzisiaj", "Przyjęte dzisiaj", (), (Case.received_at.desc(),)),
        Queue("braki", "Niekompletne – wg terminu uzupełnienia", (CaseStatus.INCOMPLETE,),
              (Case.deadline_on, Case.id)),
        Queue("do-przekazania", "Kompletne – do przekazania wydziałom", (CaseStatus.COMPLETE,),
              (Case.completed_at, Case.id)),
        Queue("w-wydzialach", "W wydziałach – najpierw spóźnione", (CaseStatus.AT_DEPARTMENT,),
              (Case.department_id, Case.expected_on, Case.id)),
        Queue("do-odbioru", "Gotowe do odbioru", (CaseStatus.READY,), (Case.ready_at, Case.id)),
    )
}  # fmt: skip


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    late_by_department: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _visible(query: Select, user: User) -> Select:
    """Department staff see their department's cases only."""
    return query if is_desk(user) else query.where(Case.department_id.in_(department_ids(user) or {-1}))


def _local_day_start_utc() -> datetime:
    return datetime.combine(today(), time(0), tzinfo=LOCAL_TZ)


def _filtered(queue: Queue, user: User, filters: dict) -> Select:
    query = _visible(select(Case), user)
    if queue.statuses:
        query = query.where(Case.status.in_(queue.statuses))
    else:  # a cancelled registration leaves every queue
        query = query.where(Case.received_at >= _local_day_start_utc(), Case.status != CaseStatus.CANCELLED)
    if filters.get("point"):
        query = query.where(Case.location_id == filters["point"])
    if filters.get("department"):
        query = query.where(Case.department_id == filters["department"])
    if filters.get("number"):
        query = query.where(Case.number == filters["number"].strip().upper())
    if filters.get("late"):
        query = query.where(Case.expected_on < today())
    return query


def get_queue(slug: str) -> Queue:
    if slug not in QUEUES:
        raise NotFound("Nie ma takiej kolejki.")
    return QUEUES[slug]


def queue_page(slug: str, user: User, filters: dict, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of a queue, with the count; the department queue also counts late cases per department."""
    queue = get_queue(slug)
    query = _filtered(queue, user, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(
        query.options(joinedload(Case.location), joinedload(Case.department))
        .order_by(*queue.order).limit(per_page).offset((page - 1) * per_page)
    ).all()  # fmt: skip
    result = Page(list(items), total or 0, page, per_page)
    if slug == "w-wydzialach":
        result.late_by_department = late_by_department(user, filters)
    return result


def late_by_department(user: User, filters: dict) -> list:
    """Per department: cases held, and how many are past their expected date (the seed's risk 3)."""
    inner = _filtered(QUEUES["w-wydzialach"], user, {**filters, "late": False}).subquery()
    late = func.sum(case((inner.c.expected_on < today(), 1), else_=0))
    query = (select(Department.name, func.count(), late).select_from(inner)
             .outerjoin(Department, Department.id == inner.c.department_id)
             .group_by(Department.name).order_by(late.desc()))  # fmt: skip
    return db.session.execute(query).all()


def queue_rows(slug: str, user: User, filters: dict) -> list[Case]:
    """Every row of a queue for the CSV export (capped), in queue order."""
    queue = get_queue(slug)
    query = _filtered(queue, user, filters).options(joinedload(Case.location), joinedload(Case.department))
    return list(db.session.scalars(query.order_by(*queue.order).limit(CSV_LIMIT)))


# --- statistics ---------------------------------------------------------------------------------------


def _period_bounds(months: int) -> tuple[int, int]:
    if not 1 <= months <= 36:
        raise ValidationError("Okres statystyk: od 1 do 36 miesięcy.", "months")
    end = today()
    first = end.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first.year * 100 + first.month, end.year * 100 + end.month


@dataclass
class _Tally:
    count: int = 0
    incomplete: int = 0
    late: int = 0
    days: Counter = field(default_factory=Counter)

    def row(self, key, name: str) -> dict:
        return {"key": key, "name": name, "count": self.count, "incomplete": self.incomplete, "late": self.late,
                "incomplete_share": self.incomplete / self.count if self.count else 0.0,
                "median_days": _median(self.days)}  # fmt: skip


def _median(histogram: Counter) -> float | None:
    """The median of values given as {value: how many}."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted, seen, middle = ((total - 1) // 2, total // 2), 0, []
    for value in sorted(histogram):
        middle += [value for position in wanted if seen <= position < seen + histogram[value]]
        seen += histogram[value]
    return sum(middle) / len(middle)


def _card_names(ids) -> dict:
    names = dict(db.session.execute(select(Card.id, Edition.title).join(Edition, Edition.id == Card.live_edition_id)
                                    .where(Card.id.in_(ids))).all())  # fmt: skip
    missing = set(ids) - set(names)
    if missing:  # withdrawn cards: the title the cases were registered under
        query = select(Case.card_id, func.max(Case.card_title)).where(Case.card_id.in_(missing)).group_by(Case.card_id)
        names.update(db.session.execute(query).all())
    return names


def statistics(user: User, months: int = 12, department_id: int | None = None) -> dict:
    """Per card, per department and per month: volume, share incomplete, late returns, median days to issue.

    Two grouped scans of one covering index over the period; the rest is summed here.
    """
    start, end = _period_bounds(months)
    where = [Case.period >= start, Case.period <= end, Case.status != CaseStatus.CANCELLED]
    if not is_desk(user):
        where.append(Case.department_id.in_(department_ids(user) or {-1}))
    if department_id:
        where.append(Case.department_id == department_id)
    incomplete = func.sum(case((Case.was_incomplete, 1), else_=0))
    late = func.sum(case((Case.late, 1), else_=0))
    keys = (Case.period, Case.card_id, Case.department_id)
    rows = db.session.execute(select(*keys, func.count(), incomplete, late).where(*where).group_by(*keys)).all()
    days = (Case.card_id, Case.department_id, Case.days_to_close)
    done = select(*days, func.count()).where(*where, Case.status.in_(DONE)).group_by(*days)
    by_month, by_card, by_dept = defaultdict(_Tally), defaultdict(_Tally), defaultdict(_Tally)
    for period, card_id, dept_id, n, inc, lt in rows:
        for tally in (by_month[period], by_card[card_id], by_dept[dept_id]):
            tally.count, tally.incomplete, tally.late = tally.count + n, tally.incomplete + inc, tally.late + lt
    for card_id, dept_id, value, n in db.session.execute(done):
        by_card[card_id].days[value] += n
        by_dept[dept_id].days[value] += n
    cards, depts = _card_names(list(by_card)), dict(db.session.execute(select(Department.id, Department.name)).all())
    months_rows = [{"period": p, "label": f"{p % 100:02d}.{p // 100}", **by_month[p].row(p, "")}
                   for p in _periods(start, end)]  # fmt: skip
    order = lambda row: (-row["count"], row["name"])  # noqa: E731
    return {"months": months_rows, "start": start, "end": end,
            "by_card": sorted((t.row(k, cards.get(k, "—")) for k, t in by_card.items()), key=order),
            "by_department": sorted((t.row(k, depts.get(k, "—")) for k, t in by_dept.items()), key=order)}  # fmt: skip


def _periods(start: int, end: int) -> list[int]:
    periods, period = [], start
    while period <= end:
        periods.append(period)
        period = period + 1 if period % 100 < 12 else (period // 100 + 1) * 100 + 1
    return periods


def chart(months_rows: list[dict], width: int = 720, height: int = 240) -> dict:
    """Bar geometry for the monthly SVG chart: registrations, with the incomplete part in a second colour."""
    top = max((m["count"] for m in months_rows), default=0) or 1
    slot = width / max(len(months_rows), 1)
    bars = []
    for i, m in enumerate(months_rows):
        h = (height - 40) * m["count"] / top
        hi = (height - 40) * m["incomplete"] / top
        bars.append({**m, "x": round(i * slot + slot * 0.15, 1), "w": round(slot * 0.7, 1),
                     "y": round(height - 20 - h, 1), "h": round(h, 1), "yi": round(height - 20 - hi, 1),
                     "hi": round(hi, 1), "cx": round(i * slot + slot / 2, 1)})  # fmt: skip
    return {"bars": bars, "width": width, "height": height, "top": top}


__all__ = ["QUEUES", "chart", "queue_page", "queue_rows", "statistics"]
