"""The live instruments: request counts and latencies per route, search timings.

Counters and histograms live in this process. Under gunicorn, set PROMETHEUS_MULTIPROC_DIR (deploy/ does)
and prometheus_client writes every worker's values to files there; a scrape answered by any worker adds
them all up (kiosk.ops.metrics). This module imports no domain code, so any domain may call it.
"""

import time
from functools import lru_cache

from flask import Flask, g, request
from prometheus_client import Counter, Histogram, disable_created_metrics

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
        observe(route, request.method, response.status_code, time.perf_counter() - started)
    return response


def observe(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency (also called by kiosk.web.fastlane for what it answers)."""
    count, latency = _series(route, method, status)
    count.inc()
    latency.observe(seconds)


@lru_cache(maxsize=4096)
def _series(route: str, method: str, status: int) -> tuple:
    # `labels()` checks and looks its labels up under a lock on each call; a route's series never change.
    return REQUESTS.labels(route, method, str(status)), LATENCY.labels(route, method)


def record_search(seconds: float, degraded: bool) -> None:
    """Called by kiosk.search.services.search for every search."""
    SEARCH_LATENCY.observe(seconds)
    if degraded:
        SEARCH_DEGRADED.inc()
