"""Search pages and API: thin views over kiosk.search.services."""

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_babel import get_locale

from kiosk.extensions import db
from kiosk.requestargs import free_text, id_arg, int_arg
from kiosk.web.layout import render_in_kept_layout

from . import services
from .links import ResultLinks

bp = Blueprint("search", __name__, template_folder="templates")
PER_PAGE = 10


def _filters() -> dict:
    return {"point": request.args.get("point") or None, "category": request.args.get("category") or None}


@bp.get("/api/v1/search")
@free_text("q")
def api_search():
    limit = int_arg("limit", 10, 50)
    response = services.search(request.args.get("q", ""), limit=limit, log_query=True, **_filters())
    services.end_search_transaction()
    services.localize_hits(response.results, str(get_locale()))
    return jsonify(response.to_dict())


@bp.get("/api/v1/suggest")
@free_text("q")
def api_suggest():
    limit = int_arg("limit", 8, 20)
    text = request.args.get("q", "")
    return jsonify({"query": services.clean_query(text), "completions": services.suggest(text, limit)})


@bp.get("/szukaj")
@free_text("q")
def results():
    page = int_arg("page", 1, 20)
    filters = _filters()
    response = services.search(request.args.get("q", ""), limit=page * PER_PAGE, log_query=page == 1, **filters)
    services.end_search_transaction()
    shown = response.results[(page - 1) * PER_PAGE :] if response.total else response.results[:PER_PAGE]
    services.localize_hits(shown, str(get_locale()))
    pages = -(-response.total // PER_PAGE)
    links = ResultLinks(response.query, filters, response.query_id)
    return render_in_kept_layout("search/results.html", ("title", "languages", "main"), r=response, page=page,
                                 pages=pages, filters=filters, links=links,
                                 language_path=links.languages(), hit_rows=links.hit_rows(shown),
                                 facet_rows=links.facet_rows(response.facets))  # fmt: skip


@bp.get("/szukaj/klik")
@free_text("q")
def opened():
    """Log which card a resident opened from the results, then go there (only to a published card)."""
    slug = request.args.get("slug", "")
    if not services.record_opened(slug, request.args.get("q", ""), id_arg("id")):
        abort(404)
    db.session.commit()
    return redirect(url_for("web.card", slug=slug))
