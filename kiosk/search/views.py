"""Search pages and API: thin views over kiosk.search.services."""

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale

from kiosk.extensions import db

from . import services

bp = Blueprint("search", __name__, template_folder="templates")
PER_PAGE = 10


def _int_arg(name: str, default: int, maximum: int) -> int:
    """A whole number from 1 to `maximum`; anything else is a 400 with a message."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        abort(400, f"Parametr „{name}” musi być liczbą od 1 do {maximum}.")
    return int(raw)


def _filters() -> dict:
    return {"point": request.args.get("point") or None, "category": request.args.get("category") or None}


@bp.get("/api/v1/search")
def api_search():
    limit = _int_arg("limit", 10, 50)
    response = services.search(request.args.get("q", ""), limit=limit, log_query=True, **_filters())
    db.session.commit()
    services.localize_hits(response.results, str(get_locale()))
    return jsonify(response.to_dict())


@bp.get("/api/v1/suggest")
def api_suggest():
    limit = _int_arg("limit", 8, 20)
    text = request.args.get("q", "")
    return jsonify({"query": services.clean_query(text), "completions": services.suggest(text, limit)})


@bp.get("/szukaj")
def results():
    page = _int_arg("page", 1, 20)
    filters = _filters()
    response = services.search(request.args.get("q", ""), limit=page * PER_PAGE, log_query=page == 1, **filters)
    db.session.commit()
    shown = response.results[(page - 1) * PER_PAGE :] if response.total else response.results[:PER_PAGE]
    services.localize_hits(shown, str(get_locale()))
    pages = -(-response.total // PER_PAGE)
    return render_template("search/results.html", r=response, shown=shown, page=page, pages=pages, filters=filters)


@bp.get("/szukaj/klik")
def opened():
    """Log which card a resident opened from the results, then go there (only to a published card)."""
    slug = request.args.get("slug", "")
    query_id = request.args.get("id", "")
    if not services.record_opened(slug, request.args.get("q", ""), int(query_id) if query_id.isdigit() else None):
        abort(404)
    db.session.commit()
    return redirect(url_for("web.card", slug=slug))
