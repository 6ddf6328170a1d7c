"""`/metrics` for Prometheus: only from this machine (not through the proxy) or with the bearer token."""

import hmac
import ipaddress

from flask import Blueprint, Response, abort, current_app, request

from .metrics import exposition

bp = Blueprint("ops", __name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def may_scrape() -> bool:
    """A bearer token equal to METRICS_TOKEN, or a direct loopback connection that no proxy forwarded."""
    token = current_app.config.get("METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given[len("Bearer ") :].encode(), token.encode())
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False  # came through a proxy: the loopback address is the proxy's, not the caller's
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.get("/metrics")
def metrics():
    if not may_scrape():
        abort(404)  # do not advertise the endpoint
    return Response(exposition(), content_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})
