"""Trust exactly the configured number of reverse proxies (KIOSK_PROXY_HOPS; deploy/ uses 1: nginx).

With one hop, the client address is the last X-Forwarded-For entry (the one nginx appended) and the
scheme comes from X-Forwarded-Proto; anything a client put in front is ignored. With 0 (the default,
for `flask run` and direct access) the headers are ignored entirely, so nobody can forge an address
to slip past a rate limit.
"""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def proxy_hops(value) -> int:
    try:
        hops = int(value or 0)
    except (TypeError, ValueError):
        hops = -1
    if not 0 <= hops <= 5:
        raise RuntimeError(f"KIOSK_PROXY_HOPS must be a whole number from 0 to 5, not {value!r}")
    return hops


def init_app(app: Flask) -> None:
    hops = proxy_hops(app.config.get("PROXY_HOPS", 0))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
