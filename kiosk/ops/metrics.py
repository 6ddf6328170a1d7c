"""Prometheus metrics: request counts and latencies per route, search timings, and state read at scrape time.

Counters and histograms live in this process. Under gunicorn, set PROMETHEUS_MULTIPROC_DIR (deploy/ does)
and prometheus_client writes every worker's values to files there; a scrape answered by any worker then
adds up all of them (`MultiProcessCollector`). Without it (flask run, tests) the values are per process.
The state gauges (index lag, freshness, intake queues, silent kiosks) are read from the database by the
process that answers the scrape, so they are the same whichever worker does.
"""

import os
import time

from flask import Flask, g, request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from kiosk.cards.models import CardChange
from kiosk.clock import today
from kiosk.extensions import db
from kiosk.freshness.services import card_statuses, summarise
from kiosk.intake.models import CLOSED_STATUSES, Case, CaseStatus
from kiosk.kiosk_ui.services import fleet_status
from kiosk.search.sync import get_index

disable_created_metrics()  # the *_created series only double what Prometheus stores
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED = "<unmatched>"  # 404s for unknown paths share one label: a path is never a label value

REQUESTS = Counter("okienko_http_requests", "HTTP requests by route, method and status.",
                   ["route", "method", "status"], registry=None)  # fmt: skip
LATENCY = Histogram("okienko_http_request_duration_seconds", "Time to answer a request, by route.",
                    ["route", "method"], buckets=LATENCY_BUCKETS, registry=None)  # fmt: skip
SEARCH_LATENCY = Histogram("okienko_search_duration_seconds", "Time one search took (index or fallback).",
                           buckets=LATENCY_BUCKETS, registry=None)  # fmt: skip
SEARCH_DEGRADED = Counter("okienko_search_degraded", "Searches answered by the database fallback.", registry=None)
LIVE = (REQUESTS, LATENCY, SEARCH_LATENCY, SEARCH_DEGRADED)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def init_app(app: Flask) -> None:
    """Time every request; the clock starts before any other hook runs."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_observe_request)


def _start_timer() -> None:
    g.ops_started = time.perf_counter()


def _observe_request(response):
    started = g.get("ops_started")
    if started is not None:
        route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        LATENCY.labels(route, request.method).observe(time.perf_counter() - started)
    return response


def record_search(seconds: float, degraded: bool) -> None:
    """Called by kiosk.search.services.search for every search."""
    SEARCH_LATENCY.observe(seconds)
    if degraded:
        SEARCH_DEGRADED.inc()


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
