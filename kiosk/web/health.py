"""Probes for the process manager and the load balancer: `/healthz` (alive) and `/readyz` (can serve).

Both answer JSON, are never cached and need no session; `/readyz` says which dependency is down.
"""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from kiosk.extensions import db
from kiosk.search.services import index_problem

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return _no_store(jsonify({"status": "ok"})), 200


@bp.get("/readyz")
def readyz():
    checks = {"database": database_problem(), "index": index_problem()}
    for name, problem in checks.items():
        if problem:  # the detail (paths, driver messages) goes to the log, never to the client
            current_app.logger.warning("readiness: %s unavailable: %s", name, problem)
    ready = not any(checks.values())
    body = {"status": "ok" if ready else "unavailable",
            "checks": {name: "unavailable" if problem else "ok" for name, problem in checks.items()}}  # fmt: skip
    return _no_store(jsonify(body)), 200 if ready else 503


def database_problem() -> str | None:
    """Why the database cannot answer a trivial query, or None when it can."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready"
        db.session.rollback()
        return f"{type(exc).__name__}: {exc}"
    finally:
        db.session.remove()
    return None


def _no_store(response):
    response.cache_control.no_store = True
    return response
