"""Machine-readable companions of the site: the Atom feed of changes, sitemap.xml and robots.txt."""

from flask import Response, render_template, url_for

from kiosk.cards.translation_view import translated_languages_by_slug
from kiosk.facts import services as facts

from . import services
from .caching import cached_page, remembered
from .views import bp

FEED_SIZE = 50


@bp.get("/feed.atom")
def feed():
    stamp = remembered("site", services.site_stamp)
    return cached_page(
        stamp,
        lambda: render_template("web/feed.atom", changes=services.recent_changes(per_page=FEED_SIZE).items,
                                updated=stamp.modified),
        mimetype="application/atom+xml",
    )  # fmt: skip


@bp.get("/sitemap.xml")
def sitemap():
    stamp = remembered("site", services.site_stamp)
    return cached_page(
        stamp,
        lambda: render_template(
            "web/sitemap.xml",
            cards=services.sitemap_entries(),
            translated=translated_languages_by_slug(),
            updated=stamp.modified,
            categories=facts.list_categories(),
            situations=facts.list_life_situations(),
            locations=facts.list_locations(),
        ),
        mimetype="application/xml",
    )


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /szukaj", "Allow: /",
             f"Sitemap: {url_for('web.sitemap', _external=True)}", ""]  # fmt: skip
    response = Response("\n".join(lines), mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
