"""Absolute URLs from configuration, never from the Host header a client sent.

`KIOSK_PUBLIC_URL` is the one origin every absolute URL is built with (canonical links, the feed, the
sitemap, JSON-LD, QR codes, print headers, the API). A forged `Host` or `X-Forwarded-Host` therefore
cannot reach a page, and so cannot reach the page cache that serves it to others. `KIOSK_TRUSTED_HOSTS`
turns requests for any other host away with a 400 before the application sees them.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import MapAdapter
from werkzeug.sansio.utils import host_is_trusted


class PublicOriginFlask(Flask):
    """Flask whose request URL adapters build external URLs with the configured public origin."""

    def create_url_adapter(self, request) -> MapAdapter | None:
        adapter = super().create_url_adapter(request)
        if request is not None and adapter is not None:
            public = _split(self.config["KIOSK_PUBLIC_URL"])
            adapter.url_scheme, adapter.server_name = public.scheme, public.netloc
            if public.path:
                adapter.script_name = public.path
        return adapter


@lru_cache(maxsize=8)
def _split(url: str):
    return urlsplit(url)  # once per configured origin, not on every request


REFUSAL_HEADERS = [
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
]


class TrustedHosts:
    """WSGI middleware: a 400 for any Host outside the allow-list (`.example.org` allows subdomains)."""

    def __init__(self, wsgi_app, hosts: list[str]):
        self.wsgi_app, self.hosts = wsgi_app, hosts
        # Werkzeug IDNA-encodes the host and every allowed name on each call; a server sees a handful of hosts.
        self.trusted = lru_cache(maxsize=256)(lambda host: host_is_trusted(host, self.hosts))

    def __call__(self, environ, start_response):
        if not self.trusted((environ.get("HTTP_HOST") or "").lower()):
            body = b"400 Bad Request: unknown host name.\n"
            start_response("400 Bad Request", [*REFUSAL_HEADERS, ("Content-Length", str(len(body)))])
            return [body]
        return self.wsgi_app(environ, start_response)


def register_host_checks(app: Flask) -> None:
    if app.config.get("KIOSK_TRUSTED_HOSTS"):
        app.wsgi_app = TrustedHosts(app.wsgi_app, app.config["KIOSK_TRUSTED_HOSTS"])
