"""The open-data API under /api/v1/: read-only JSON with stable field names."""

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import get_locale

from kiosk.cache_headers import public_cache_control
from kiosk.cards import published
from kiosk.cards.translation_view import localize_card
from kiosk.errors import NotFound
from kiosk.facts import services as facts
from kiosk.page_cache import kept_page, page_digest, published_card_stamp
from kiosk.requestargs import int_arg
from kiosk.web import fastlane

from . import serializers
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_PER_PAGE = 100


def _filter(name: str, lookup):
    slug = request.args.get(name)
    if slug is None:
        return None
    try:
        return lookup(slug)
    except NotFound:
        abort(400, f"Nieznana wartość filtra „{name}”: {slug[:80]}")


@bp.after_request
def cacheable(response):
    """Public, briefly cached JSON with an ETag, so clients can revalidate with If-None-Match."""
    if request.method == "GET" and response.status_code == 200:
        public_cache_control(response, 60)
        response.add_etag()
        response.make_conditional(request)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/cards")
def cards():
    filters = {"category": _filter("category", facts.get_category), "point": _filter("point", facts.get_location),
               "situation": _filter("situation", facts.get_life_situation)}  # fmt: skip
    page = published.list_live_cards(int_arg("page", 1, 100_000), int_arg("per_page", 20, MAX_PER_PAGE), **filters)
    args = {k: v for k, v in request.args.items() if k in ("category", "point", "situation", "per_page")}
    links = {"self": url_for("api.cards", page=page.page, **args, _external=True)}
    if page.has_next:
        links["next"] = url_for("api.cards", page=page.page + 1, **args, _external=True)
    if page.has_prev:
        links["prev"] = url_for("api.cards", page=page.page - 1, **args, _external=True)
    return jsonify(items=[serializers.card_summary(r) for r in page.items], page=page.page, per_page=page.per_page,
                   total=page.total, pages=page.pages, links=links)  # fmt: skip


@bp.get("/cards/<slug>")
def card(slug: str):
    """The card as JSON, from the page cache under the card's stamp (its edition, confirmation, the facts and
    the translation; the JSON shows no opening state). Its absolute links come from KIOSK_PUBLIC_URL, never from
    the Host asked at, so every host shares one entry (and the page rendered into the shared store)."""
    lang = str(get_locale())
    stamp = published_card_stamp(slug, lang)
    key = _card_key(request.path, lang, stamp)
    body = kept_page(key, lambda: _card_json(slug, lang, stamp.translation or None), key[:3])
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Language"] = lang if stamp.translated else "pl"  # the stamp's parts say which
    fastlane.offer(current_card_key, (request.path, lang, slug), key, lambda: page_digest(key))
    return response


def _card_key(path: str, lang: str, stamp) -> tuple:
    return ("api-card", path, lang, stamp.parts)  # its first three name its file in the shared page store


def current_card_key(path: str, lang: str, slug: str) -> tuple:
    """The card JSON's key read anew (the fast lane's check)."""
    return _card_key(path, lang, published_card_stamp(slug, lang))


def _card_json(slug: str, lang: str, translation: tuple | None) -> bytes:
    card = published.get_published_card(slug)
    shown = localize_card(card, lang, plain=True, stamp=translation)
    data = {**serializers.card_detail(card, shown.edition), "language": serializers.card_language(shown)}
    return jsonify(data).get_data()


@bp.get("/cards/<slug>/editions")
def editions(slug: str):
    card = published.get_published_card(slug)
    items = [serializers.edition_entry(e, changes) for e, changes in published.edition_history(card)]
    return jsonify(slug=card.slug, items=items)


@bp.get("/service-points")
def service_points():
    locations = facts.list_locations() if request.args.get("all") == "1" else facts.list_service_points()
    return jsonify(items=[serializers.service_point(loc) for loc in locations])


@bp.get("/categories")
def categories():
    counts = published.count_cards_by_category()
    return jsonify(items=[serializers.category(c, counts.get(c.id, 0)) for c in facts.list_categories()])


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
