"""The applications bench/web.py serves under gunicorn: the dynamic ceiling and Okienko with one layer off.

    gunicorn "bench.web_apps:ceiling()"                     # BENCH_PAGE names the file of bytes it returns
    gunicorn "bench.web_apps:okienko(page_cache=False)"     # production settings from the environment
    gunicorn "bench.web_apps:okienko(fast_lane=False)"      # page-cache hits answered through Flask

`okienko()` switches caching layers off for a with/without comparison. The page cache and the validator
memo are settings; the other layers have no setting (they are not meant to be switched off in production),
so the bench replaces them here with what the code would do without them.
"""

import os
from pathlib import Path

from flask import Flask, Response


def ceiling() -> Flask:
    """The smallest Flask app returning the same card bytes: what one request costs before any work."""
    app = Flask(__name__)
    body = Path(os.environ["BENCH_PAGE"]).read_bytes()

    @app.get("/<path:anything>")
    def page(anything):
        return Response(body, mimetype="text/html")

    return app


def okienko(page_cache: bool = True, stamp_ttl: float | None = None, facts_cache: bool = True,
            snapshot: bool = True, stored_body: bool = True, durable_search_log: bool = False,
            fast_lane: bool = True) -> Flask:  # fmt: skip
    """Okienko as deployed, with the named caching layers switched off."""
    from kiosk import create_app

    config = {"WEB_PAGE_CACHE": page_cache, "WEB_FAST_LANE": fast_lane}
    if stamp_ttl is not None:
        config["WEB_STAMP_TTL"] = stamp_ttl
    disable_layers(facts_cache=facts_cache, snapshot=snapshot, stored_body=stored_body)
    if durable_search_log:  # as before: every logged search waits for its WAL flush
        from kiosk.search import query_log

        query_log._LOG_SQL = {}
        config["SEARCH_LOG_BATCH_SECONDS"] = 0
    return create_app(config)


def disable_layers(facts_cache: bool = True, snapshot: bool = True, stored_body: bool = True) -> None:
    """Replace the unswitchable layers with what the code would do without them (for this process)."""
    from kiosk.cards import published
    from kiosk.cards import snapshot as snapshots
    from kiosk.facts import cache as facts
    from kiosk.markdown_render import render_markdown

    if not facts_cache:  # every read loads every fact, as a card page without the cache would join them
        facts.FactsCache.facts = lambda self, version: facts._load_all()
    if not snapshot:  # the card's rows from their tables (the path for editions without a snapshot)

        def load_rows(card, facts_by_id):
            published.db.session.expire(card)  # the same object comes back, its rows loaded
            query = published.select(published.Card).where(published.Card.id == card.id)
            published.db.session.scalar(query.options(*published.card_load_options()))

        published.hydrate_card = load_rows
    if not stored_body:  # Markdown rendered on every read
        snapshots.body_html = lambda edition: render_markdown(edition.body)
        from kiosk.cards import translation_view

        translation_view.body_html = snapshots.body_html
