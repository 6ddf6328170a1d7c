"""Security headers on every response, set by one after_request hook.

The Content-Security-Policy allows scripts only from the site itself or with the request's nonce
(the back office's Flask-Admin templates carry it), never inline scripts or event-handler attributes.
Nothing may frame any page. Pages with personal data (the back office, a case-status result, receipts)
are `no-store, private`, so neither the browser nor a proxy keeps them.
"""

import base64
import hashlib
import secrets

from flask import Flask, current_app, g, request
from werkzeug.wrappers import Response

# The case-status page shows a case's progress; the back office shows names, contacts and receipts.
NO_STORE_PREFIXES = ("/admin", "/sprawa")
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """This request's script nonce (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


# Flask-Admin's filter menu still has `onclick="return false;"`; on back-office pages (which carry a nonce)
# exactly that harmless handler is allowed by its hash, nothing else inline.
FLASK_ADMIN_HANDLERS = ("return false;",)


def _handler_hashes() -> str:
    digests = (base64.b64encode(hashlib.sha256(h.encode()).digest()).decode() for h in FLASK_ADMIN_HANDLERS)
    return "'unsafe-hashes' " + " ".join(f"'sha256-{d}'" for d in digests)


BACK_OFFICE_HANDLERS = _handler_hashes()


def content_security_policy(nonce: str | None) -> str:
    scripts = f"'self' 'nonce-{nonce}' {BACK_OFFICE_HANDLERS}" if nonce else "'self'"
    # Inline style attributes remain in a few templates; styles cannot run code.
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def has_personal_data(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in NO_STORE_PREFIXES)


def _fixed_headers(hsts: bool) -> tuple:
    fixed = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
             ("Referrer-Policy", "strict-origin-when-cross-origin"), ("Cross-Origin-Opener-Policy", "same-origin"),
             ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")]  # fmt: skip
    return tuple([*fixed, ("Strict-Transport-Security", HSTS)] if hsts else fixed)


# Built once: this hook runs on every response, a page-cache hit included.
FIXED_HEADERS = {hsts: _fixed_headers(hsts) for hsts in (False, True)}
PUBLIC_POLICY = content_security_policy(None)
OWN_HEADERS = frozenset(name.lower() for name, _ in (*FIXED_HEADERS[True], ("Content-Security-Policy", "")))


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    nonce = g.get("csp_nonce")
    own = (("Content-Security-Policy", content_security_policy(nonce) if nonce else PUBLIC_POLICY),
           *FIXED_HEADERS[bool(current_app.config.get("KIOSK_HSTS"))])  # fmt: skip
    if OWN_HEADERS.isdisjoint(name.lower() for name, _value in headers):
        headers.extend(own)  # the usual case: appended, without looking each name up again
    else:
        for name, value in own:
            headers[name] = value
    # A form's answer may echo what was sent (a contact in the resident's report); never keep it either.
    if request.method not in ("GET", "HEAD") or has_personal_data(request.path):
        response.cache_control.no_store = True
        response.cache_control.private = True
        response.cache_control.public = False
        response.cache_control.max_age = None
        response.cache_control.s_maxage = None
        response.headers.pop("ETag", None)
        response.headers.pop("Last-Modified", None)
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
