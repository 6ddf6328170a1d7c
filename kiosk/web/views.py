"""Public pages for citizens: home, cards, categories, life situations, service points, changes."""

import re
from datetime import date

from flask import Blueprint, abort, current_app, g, render_template, request, session
from flask_babel import get_locale, get_translations, refresh
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.cards.published import count_cards_by_category, edition_history, get_published_card, list_live_cards
from kiosk.cards.translation_view import card_body_html
from kiosk.facts import services as facts
from kiosk.page_cache import published_card_stamp
from kiosk.requestargs import int_arg

from . import fastlane, services
from .caching import cached_page, etag_for, keyed, release, remembered, with_opening_state
from .i18n import template_gettext
from .presenters import card_jsonld, diff_row, signatory
from .translated import alternates_of, card_page_stamp, content_language, localize_card

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/web")

LANGUAGE_NAMES = {"pl": "Polski", "en": "English", "uk": "Українська"}
WEEKDAY_NAMES = {"mon": _l("poniedziałek"), "tue": _l("wtorek"), "wed": _l("środa"), "thu": _l("czwartek"),
                 "fri": _l("piątek"), "sat": _l("sobota"), "sun": _l("niedziela")}  # fmt: skip
MAX_QUERY_STRING = 2048
# Search takes any text a resident types (the engine caps it); the server's own request-line limit
# still bounds the whole address.
SEARCH_ENDPOINTS = {"search.results", "search.api_search", "search.api_suggest", "kiosk_ui.results"}
MAX_SEARCH_QUERY_STRING = 32 * 1024
# The accessibility statement's dates: update `updated` whenever the statement changes materially.
STATEMENT_DATES = {"published": date(2026, 11, 25), "prepared": date(2026, 11, 25), "updated": date(2026, 11, 25)}
ACCESS_WORDS = re.compile(r"dostępn|niepełnospr|winda|pętl|podjazd", re.IGNORECASE)
PER_PAGE = 50
MAX_PAGE = 10_000


@bp.before_app_request
def check_query_and_language():
    """Refuse over-long or malformed query strings; remember an explicit language choice."""
    refresh()  # the locale is cached on the app context, which tests share between requests
    limit = MAX_SEARCH_QUERY_STRING if request.endpoint in SEARCH_ENDPOINTS else MAX_QUERY_STRING
    if len(request.query_string) > limit:
        abort(400, _("Adres strony jest za długi."))
    lang = request.args.get("lang")
    if lang is not None:
        if lang not in current_app.config["LANGUAGES"]:
            abort(400, _("Nieznany język. Dostępne: pl, en, uk."))
        session["lang"] = lang


@bp.app_context_processor
def site_context():
    """What every template gets; nothing in it varies but the language, so it is built once per language's catalogue
    (Flask-Babel keeps one per language for the life of the process)."""
    translations = get_translations()
    kept = current_app.extensions.setdefault("web_site_context", {})
    context = kept.get(translations)
    if context is None:
        context = kept[translations] = {
            "lang": str(get_locale()), "languages": LANGUAGE_NAMES, "weekday_names": WEEKDAY_NAMES,
            "localized": localized, "point_status": facts.point_status, "card_jsonld": card_jsonld,
            **template_gettext(), "has_feedback": "freshness.feedback_form" in current_app.view_functions}  # fmt: skip
    return context


bp.add_app_template_filter(diff_row, "diff_row")
bp.add_app_template_filter(signatory, "signatory")


def localized(obj, field: str = "name") -> str:
    """A fact's name in the interface language when it has one, else the Polish name."""
    lang = str(get_locale())
    return (lang != "pl" and getattr(obj, f"{field}_{lang}", "")) or getattr(obj, field)


@bp.get("/")
def home():
    site = remembered("site", services.site_stamp)
    return cached_page(with_opening_state(site), lambda: render_template(
        "web/home.html", categories=facts.list_categories(), situations=facts.list_life_situations(),
        counts=keyed("category_counts", site.parts, count_cards_by_category),
        recent=keyed("recent_changes", site.parts, services.latest_changes),
        points=facts.list_service_points()))  # fmt: skip


def card_validators(slug: str, lang: str) -> tuple:
    """What a card page's bytes and headers depend on besides its address: the deployed templates and the
    card's stamp with the opening state (the fast lane checks them with this function before each replay)."""
    return release(), with_opening_state(published_card_stamp(slug, lang))


@bp.get("/uslugi/<slug>")
def card(slug: str):
    return _card_page("web/card.html", slug)


@bp.get("/uslugi/<slug>/druk")
def card_print(slug: str):
    return _card_page("web/card_print.html", slug)


def _card_page(template: str, slug: str):
    lang = str(get_locale())
    validators = card_validators(slug, lang)
    stamp = card_page_stamp(validators[1])
    response = content_language(cached_page(stamp, lambda: _render_card(template, slug)), lang, stamp.translated)
    fastlane.offer(card_validators, (slug, lang), validators, lambda: etag_for(stamp))  # kept under its ETag
    return response


def _render_card(template: str, slug: str) -> str:
    card = get_published_card(slug)
    shown = localize_card(card, str(get_locale()), stamp=g.get("translation_stamp"))
    return render_template(template, card=card, edition=shown.edition, body=card_body_html(shown, card.live_edition),
                           register=services.register_of_changes(card), shown=shown,
                           alternates=alternates_of(card))  # fmt: skip


@bp.get("/uslugi/<slug>/historia")
def card_history(slug: str):
    card = get_published_card(slug)
    return render_template("web/history.html", card=card, edition=card.live_edition,
                           history=edition_history(card))  # fmt: skip


@bp.get("/uslugi")
def cards():
    page = list_live_cards(int_arg("page", 1, MAX_PAGE), PER_PAGE)
    return render_template("web/cards.html", page=page)


@bp.get("/kategorie/<slug>")
def category(slug: str):
    category = facts.get_category(slug)
    page = list_live_cards(int_arg("page", 1, MAX_PAGE), PER_PAGE, category=category)
    return render_template("web/listing.html", heading=localized(category), intro=category.description, page=page)


@bp.get("/sytuacje/<slug>")
def situation(slug: str):
    situation = facts.get_life_situation(slug)
    page = list_live_cards(int_arg("page", 1, MAX_PAGE), PER_PAGE, situation=situation)
    return render_template("web/listing.html", heading=localized(situation), intro=situation.description, page=page)


@bp.get("/punkty/<slug>")
def point(slug: str):
    location = facts.get_location(slug)
    page = list_live_cards(int_arg("page", 1, MAX_PAGE), PER_PAGE, point=location)
    return render_template("web/point.html", location=location, status=facts.point_status(location), page=page,
                           week=facts.weekly_hours(location))  # fmt: skip


@bp.get("/punkty")
def points():
    return render_template("web/points.html", locations=facts.list_locations())


@bp.get("/zmiany")
def changes():
    page = services.recent_changes(int_arg("page", 1, MAX_PAGE), 30)
    return render_template("web/changes.html", page=page)


@bp.get("/deklaracja-dostepnosci")
def accessibility():
    points = [(p, [u for u in p.unverified or () if ACCESS_WORDS.search(u)]) for p in facts.list_service_points()]
    return render_template("web/accessibility.html", points=points, **STATEMENT_DATES)
