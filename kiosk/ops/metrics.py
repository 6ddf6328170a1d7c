"""`/metrics` content: every worker's instruments (multiprocess mode) plus state read at scrape time.

The state gauges (index lag, freshness, intake queues, silent kiosks) are read from the database by the
process that answers the scrape, so they are the same whichever worker does.
"""

import os

from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from kiosk.cards.models import CardChange
from kiosk.clock import today
from kiosk.extensions import db
from kiosk.freshness.services import card_statuses, summarise
from kiosk.intake.models import CLOSED_STATUSES, Case, CaseStatus
from kiosk.kiosk_ui.services import fleet_status
from kiosk.search.sync import get_index

from .instruments import LIVE


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


class StateCollector:
    """Gauges computed from the database (and this server's index) when Prometheus scrapes."""

    def collect(self):
        yield _gauge("okienko_search_index_lag_changes", "Change-log entries this server's index has not applied.",
                     [((), _index_lag())])  # fmt: skip
        yield _gauge("okienko_freshness_cards", "Published cards by review state.", _freshness(), ["state"])
        yield _gauge("okienko_intake_cases_open", "Open intake cases by status.", _intake(), ["status"])
        yield _gauge("okienko_intake_supplements_overdue", "Incomplete cases past their supplement deadline.",
                     [((), _overdue())])  # fmt: skip
        yield _gauge("okienko_kiosks_silent", "Kiosks without a heartbeat within KIOSK_SILENT_MINUTES.",
                     [((), _silent_kiosks())])  # fmt: skip


def _gauge(name: str, doc: str, samples, labels=()) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=list(labels))
    for values, value in samples:
        family.add_metric(list(values), value)
    return family


def _index_lag() -> int:
    latest = db.session.scalar(select(func.max(CardChange.id))) or 0
    return max(latest - get_index().applied_id(), 0)


def _freshness():
    return [((state,), count) for state, count in summarise(card_statuses())["totals"].items()]


def _intake():
    counts = dict(db.session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
    return [((str(s),), counts.get(s, 0)) for s in CaseStatus if s not in CLOSED_STATUSES]


def _overdue() -> int:
    query = select(func.count()).where(Case.status == CaseStatus.INCOMPLETE, Case.deadline_on < today())
    return db.session.scalar(query) or 0


def _silent_kiosks() -> int:
    return sum(1 for row in fleet_status() if row.silent)


def exposition() -> bytes:
    """The metrics in Prometheus text format: every worker's counters (multiprocess mode) plus live state."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in LIVE:
            registry.register(metric)
    registry.register(StateCollector())
    try:
        return generate_latest(registry)
    finally:
        db.session.rollback()  # read-only: end the transaction the state queries opened
