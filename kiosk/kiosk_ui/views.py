"""Kiosk screens under /kiosk/ (touch, keyboard and screen reader) and the kiosk fleet under /admin/kioski/."""

import secrets
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from kiosk.cards.published import count_cards_by_category, get_published_card, list_live_cards
from kiosk.cards.translation_view import card_body_html, localize_card
from kiosk.clock import now
from kiosk.errors import DomainError, ValidationError
from kiosk.extensions import csrf, db
from kiosk.facts import services as facts
from kiosk.formatting import format_datetime
from kiosk.intake import lookup
from kiosk.intake.services import CODE_ALPHABET
from kiosk.outage import database_unavailable, service_unavailable
from kiosk.page_cache import kept_pieces, page_digest, published_card_stamp, with_opening_state
from kiosk.requestargs import free_text
from kiosk.search import services as search
from kiosk.web import fastlane

from . import COOKIE, qr, services
from .fleet import bp as fleet_bp  # noqa: F401  (registered by the app factory)

STATIC = Path(__file__).resolve().parent / "static"
bp = Blueprint("kiosk_ui", __name__, url_prefix="/kiosk", template_folder="templates", static_folder="static")
LIST_LIMIT = 60
CODE_KEYS = "".join(sorted(CODE_ALPHABET))


@bp.before_request
def identify_kiosk():
    """The kiosk id comes from ?k= (the start URL) or the cookie the start URL left."""
    g.kiosk_code = (request.args.get("k") or request.cookies.get(COOKIE) or "").strip().lower()[:40]
    g.kiosk = services.find_kiosk(g.kiosk_code)  # the fast lane's check finds it the same way


@bp.after_request
def remember_kiosk(response: Response) -> Response:
    code = request.args.get("k")
    if code and g.get("kiosk") is not None and request.cookies.get(COOKIE) != code:
        response.set_cookie(COOKIE, code, max_age=10 * 365 * 86400, httponly=True, samesite="Lax")
    return response


@bp.app_template_global()
def kurl(endpoint: str, **values) -> str:
    """A link inside the kiosk: it keeps the kiosk id and the interface language."""
    # Always k, then lang, then the rest: the service worker's cache keys are these exact URLs.
    query = {
        "k": values.pop("k", None) or g.get("kiosk_code") or None,
        "lang": values.pop("lang", None) or str(get_locale()),
    }
    return url_for(endpoint, **query, **values)


def lang_url(code: str) -> str:
    """This screen in another language (the results screen keeps its query; no other screen reads one)."""
    carried = ("k", "q") if request.endpoint == "kiosk_ui.results" else ("k",)
    args = {k: v for k, v in request.args.items() if k in carried}
    return kurl(request.endpoint, **(request.view_args or {}), **{**args, "lang": code})


@bp.context_processor
def kiosk_context():
    config = current_app.config
    return {"kiosk": g.get("kiosk"), "lang_url": lang_url, "made_at": format_datetime(now()),
            "asset_version": asset_version(), "idle_seconds": config["KIOSK_IDLE_SECONDS"],
            "countdown_seconds": config["KIOSK_COUNTDOWN_SECONDS"],
            "heartbeat_seconds": config["KIOSK_HEARTBEAT_SECONDS"]}  # fmt: skip


@lru_cache(maxsize=1)
def asset_version() -> str:
    """Changes whenever a kiosk asset changes, so the service worker refreshes its cache (read once per process:
    a deploy restarts the workers, like every fingerprint of deployed files)."""
    stamps = [int(p.stat().st_mtime) for p in STATIC.iterdir() if p.is_file()]
    return format(max(stamps, default=0) + len(stamps), "x")


@bp.errorhandler(DomainError)
@bp.errorhandler(HTTPException)
@bp.errorhandler(Exception)
def friendly_error(exc):
    """Never a browser or stack-trace page on the kiosk: a screen with "try again" and "start"."""
    code = getattr(exc, "status_code", None) or getattr(exc, "code", None)
    code = code if isinstance(code, int) else 500  # a database error's `code` is a string such as "9h9h"
    if database_unavailable(exc):
        code = 503
        current_app.logger.error("Database unavailable on %s: %s", request.path, exc.__class__.__name__)
        db.session.rollback()
    elif code >= 500:
        current_app.logger.exception("kiosk screen failed on %s", request.path)
        db.session.rollback()
    if request.endpoint == "kiosk_ui.heartbeat":
        message = getattr(exc, "message", None) or getattr(exc, "description", None) or "error"
        response = jsonify({"error": {"status": code, "message": str(message) if code < 500 else "error"}}), code
    else:
        response = render_template("kiosk_ui/error.html", code=code), code
    return service_unavailable(response) if code == 503 else response


@bp.get("/")
def home():
    point = g.kiosk.location if g.kiosk else None
    return render_template("kiosk_ui/home.html", categories=facts.list_categories(), point=point,
                           counts=count_cards_by_category(), situations=facts.list_life_situations())  # fmt: skip


@bp.get("/kategorie/<slug>")
def category(slug: str):
    category = facts.get_category(slug)
    rows = list_live_cards(1, LIST_LIMIT, category=category).items
    return render_template("kiosk_ui/list.html", heading=category, rows=rows)


@bp.get("/sytuacje/<slug>")
def situation(slug: str):
    situation = facts.get_life_situation(slug)
    rows = list_live_cards(1, LIST_LIMIT, situation=situation).items
    return render_template("kiosk_ui/list.html", heading=situation, rows=rows)


@bp.get("/tutaj")
def here():
    point = g.kiosk.location if g.kiosk else None
    if point is None:
        return redirect(kurl("kiosk_ui.home"))
    rows = list_live_cards(1, LIST_LIMIT, point=point).items
    return render_template("kiosk_ui/list.html", heading=point, rows=rows, here=True)


@bp.get("/szukaj")
@free_text("q")
def results():
    response = search.search(request.args.get("q", ""), limit=20, log_query=True)
    search.end_search_transaction()
    search.localize_hits(response.results, str(get_locale()))
    return render_template("kiosk_ui/list.html", heading=None, rows=response.results, found=response)


# A card screen shows when it was made ("printed at", the offline notice). It is kept rendered with this slot
# in the place of that time and split around it, and each response puts its own time in, so a kept screen
# never shows an old time. NUL cannot be stored in PostgreSQL text nor pass the query-string guard, and the
# random middle is new with each process, so no content can contain the slot.
MADE_AT_SLOT = f"\x00made-at-{secrets.token_hex(16)}\x00"
SLOT = MADE_AT_SLOT.encode()


def _card_page(template: str, slug: str, screen: tuple = (), **extra):
    """A card screen from the page cache, keyed on everything it shows: the card's stamp (with the date and
    which points are open), the language, this kiosk, its assets and what of the query it reads (`screen`)."""
    lang = str(get_locale())
    stamp = _screen_stamp(slug, lang)
    kiosk = g.kiosk
    if kiosk is None and g.kiosk_code:  # an unknown kiosk id is carried in the links: rendered, never kept
        return _made_now(_render_card(template, slug, stamp.translation or None, **extra).encode().split(SLOT))
    key = card_screen_key(template, request.path, lang, screen, kiosk, stamp)
    place = ("kiosk", request.path, lang, kiosk.code if kiosk is not None else None)  # variants share a file
    pieces = kept_pieces(key, lambda: _render_card(template, slug, stamp.translation or None, **extra),
                         MADE_AT_SLOT, place)  # fmt: skip
    fastlane.offer(current_screen_key, (template, request.path, lang, screen, g.kiosk_code, slug), key,
                   lambda: page_digest(key), made_now)  # fmt: skip
    return _made_now(pieces)


def _screen_stamp(slug: str, lang: str):
    return with_opening_state(published_card_stamp(slug, lang))


def card_screen_key(template: str, path: str, lang: str, screen: tuple, kiosk, stamp) -> tuple:
    here = (kiosk.code, kiosk.id, kiosk.name, kiosk.location_id, kiosk.has_printer) if kiosk is not None else None
    return ("kiosk", template, path, lang, screen, here, asset_version(), stamp.parts)


def current_screen_key(template: str, path: str, lang: str, screen: tuple, code: str, slug: str) -> tuple:
    """A card screen's key read anew, the kiosk found as identify_kiosk finds it (the fast lane's check)."""
    return card_screen_key(template, path, lang, screen, services.find_kiosk(code), _screen_stamp(slug, lang))


def made_now(pieces) -> bytes:
    """A kept screen with this response's "made at" time in its slot."""
    return format_datetime(now()).encode().join(pieces)


def _made_now(pieces) -> Response:
    return Response(made_now(pieces), mimetype="text/html")


def _render_card(template: str, slug: str, translation: tuple | None, **extra) -> str:
    card = get_published_card(slug)
    shown = localize_card(card, str(get_locale()), stamp=translation)
    edition = shown.edition
    body = card_body_html(shown, card.live_edition) if template == "kiosk_ui/card.html" else None
    return render_template(template, card=card, edition=edition, place=services.place_matter(edition, g.kiosk),
                           status=facts.point_status, body=body, shown=shown, made_at=Markup(MADE_AT_SLOT),
                           **extra)  # fmt: skip


@bp.get("/uslugi/<slug>")
def card(slug: str):
    return _card_page("kiosk_ui/card.html", slug)


@bp.get("/uslugi/<slug>/druk")
def card_print(slug: str):
    return _card_page("kiosk_ui/print.html", slug, screen=(request.args.get("format") == "a4",))


@bp.get("/uslugi/<slug>/lista")
def checklist(slug: str):
    """The "what to bring" list on a phone, opened from the kiosk's QR code with the ticked items."""
    ticked = qr.parse_ticks(request.args.get("ok", ""))
    return _card_page("kiosk_ui/checklist.html", slug, screen=tuple(ticked), ticked=ticked)


@bp.get("/uslugi/<slug>/qr.svg")
def card_qr(slug: str):
    get_published_card(slug)
    return qr.svg_response(qr.public_url("web.card", slug=slug), "Adres karty na stronie urzędu")


@bp.get("/uslugi/<slug>/zgloszenie.svg")
def feedback_qr(slug: str):
    """The card's "something is wrong" form, opened on the resident's phone (no typing at the kiosk)."""
    get_published_card(slug)
    return qr.svg_response(qr.public_url("freshness.feedback_form", slug=slug), "Zgłoszenie błędu w karcie")


@bp.get("/uslugi/<slug>/lista.svg")
def checklist_qr(slug: str):
    get_published_card(slug)
    ticks = ".".join(str(i) for i in qr.parse_ticks(request.args.get("ok", "")))
    target = qr.public_url("kiosk_ui.checklist", slug=slug, ok=ticks or None)
    return qr.svg_response(target, "Lista dokumentów do zabrania")


@bp.get("/qr.svg")
def link_qr():
    """An external link (gov.pl, ePUAP) as a QR code: nothing on the kiosk leaves the kiosk."""
    target = request.args.get("u", "")
    if not qr.is_web_link(target):
        abort(400)
    return qr.svg_response(target, "Link do otwarcia w telefonie")


@bp.get("/dane.json")
def offline_data():
    """What offline search needs: every published card in brief and the content version."""
    response = jsonify({"version": services.content_version(), "built_at": now().isoformat(),
                        "cards": services.published_cards_data(), **services.offline_screens()})  # fmt: skip
    response.cache_control.no_cache = True
    return response


@bp.get("/podpowiedzi")
@free_text("q")
def suggestions():
    """Suggestions for the on-screen keyboard: completions, then the typo-forgiving full search."""
    limit = min(max(request.args.get("limit", 6, type=int) or 6, 1), 10)
    response = jsonify({"completions": services.suggest_cards(request.args.get("q", ""), limit=limit)})
    response.cache_control.no_store = True
    return response


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())


def _case_rows() -> list:
    """The number keypad: the service points' prefixes ("BOK/"), digits and "/"."""
    prefixes = [prefix + "/" for prefix in dict.fromkeys(current_app.config["INTAKE_POINT_PREFIXES"].values())]
    return [prefixes, "123", "456", "789", "/0"]


@bp.get("/sprawa")
def case_status():
    """The receipt's "check the status at the kiosk": the same rate-limited lookup as /sprawa on the web."""
    # Only printable characters reach the lookup (PostgreSQL refuses NUL bytes in a query parameter).
    number, code = (_printable(request.args.get(name, ""))[:40] for name in ("nr", "kod"))
    result = error = None
    if number or code:
        try:
            result = lookup.lookup_status(number, code, request.remote_addr or "")
        except DomainError as exc:
            error = exc
        db.session.commit()  # a failed attempt counts towards the limit too
    html = render_template("kiosk_ui/status.html", result=result, error=error, number=number,
                           case_rows=_case_rows(), code_keys=CODE_KEYS)  # fmt: skip
    response = make_response(html, getattr(error, "status_code", 200))
    response.cache_control.no_store = True  # never kept by the browser or the service worker
    return response


@bp.get("/ping")
def ping():
    response = jsonify({"version": services.content_version()})
    response.cache_control.no_store = True
    return response


@bp.post("/heartbeat")
@csrf.exempt  # no cookies or session are involved: the kiosk's own token authenticates the call
def heartbeat():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("Heartbeat: oczekiwano obiektu JSON z polami kiosk, version, error.")
    services.record_heartbeat(str(data.get("kiosk", "")), request.headers.get("X-Kiosk-Token", ""),
                              data.get("version"), str(data.get("error") or ""))  # fmt: skip
    db.session.commit()
    return jsonify({"version": services.content_version()})


@bp.get("/blad")
def error_screen():
    return render_template("kiosk_ui/error.html", code=503)


@bp.get("/sw.js")
def service_worker():
    response = make_response(render_template("kiosk_ui/sw.js"))
    response.mimetype = "text/javascript"
    response.cache_control.no_cache = True
    return response
