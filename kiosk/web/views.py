"""Public pages: home and card pages (the web issue extends these)."""

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from kiosk.cards.models import Card, Edition
from kiosk.cards.services import get_published_card
from kiosk.extensions import db
from kiosk.facts.models import Category
from kiosk.markdown_render import render_markdown

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/web")


def int_arg(name: str, default: int, maximum: int = 10_000) -> int:
    """A positive integer query parameter; anything else is a 400 with a message."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        abort(400, f"Parametr „{name}” musi być liczbą od 1 do {maximum}.")
    return int(raw)


@bp.get("/")
def home():
    page = int_arg("page", 1)
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name)).all()
    per_page = 100
    cards = db.session.execute(
        select(Card.slug, Edition.title, Edition.summary, Edition.category_id)
        .join(Edition, Card.live_edition_id == Edition.id)
        .order_by(Edition.title)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if page > 1 and not cards:
        abort(404)
    return render_template("web/home.html", categories=categories, cards=cards)


@bp.get("/uslugi/<slug>")
def card(slug: str):
    card = get_published_card(slug)
    edition = card.live_edition
    return render_template("web/card.html", card=card, edition=edition, body=render_markdown(edition.body))
