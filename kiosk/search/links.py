"""The results page's links, built as `url_for` builds them, at a fraction of its cost.

A results page holds a dozen to thirty links to two routes without path variables (`/szukaj`,
`/szukaj/klik`) that differ only in their query strings. `url_for` sends each through Werkzeug's router;
here each is the route's path (from `url_for`, once per request) plus the arguments encoded exactly as
Werkzeug encodes them, each argument's encoding kept (card slugs and a page's query recur). The results
page makes every link through `ResultLinks`; tests/search/test_links.py checks them against `url_for`.
"""

from functools import lru_cache
from urllib.parse import quote_plus

from flask import current_app, url_for
from flask.globals import request_ctx
from markupsafe import Markup, escape

SAFE = "!$'()*,/:;?@"  # what werkzeug.urls._urlencode leaves unquoted


@lru_cache(maxsize=4096)
def _argument(name: str, value) -> str:
    return quote_plus(name, safe=SAFE) + "=" + quote_plus(str(value), safe=SAFE)


def _route_paths() -> tuple[str, str]:
    """The results and click routes' paths as `url_for` builds them, kept per script root (a site may be served
    below a path prefix); nothing else in them varies between requests."""
    script_name = request_ctx.url_adapter.script_name
    kept = current_app.extensions.setdefault("search_route_paths", {})
    paths = kept.get(script_name)
    if paths is None:
        paths = kept[script_name] = (url_for("search.results"), url_for("search.opened"))
    return paths


def _marked(hit, name: str) -> Markup:
    """The hit's field as HTML: the highlighted text the search made (Markup: escaped, with <mark>), else escaped."""
    marked = hit.highlights.get(name) if hit.highlights else None
    return marked or escape(getattr(hit, name))


@lru_cache(maxsize=4096)
def _name_with_count(name: str, count: int) -> Markup:
    return escape(name) + f" ({count})"  # facet values recur on every page


def link(path: str, **args) -> str:
    """`url_for` of a route without path variables: `path`, then the arguments that are not None, in order."""
    query = "&".join(_argument(name, value) for name, value in args.items() if value is not None)
    return f"{path}?{query}" if query else path


class ResultLinks:
    """Every link of one results page: its query, its filters and the logged search's id."""

    def __init__(self, query: str, filters: dict, query_id: int | None = None):
        self.query, self.filters, self.query_id = query, filters, query_id
        self.results_path, self.opened_path = _route_paths()
        self._click_tail = "".join(f"&{_argument(n, v)}" for n, v in (("q", query), ("id", query_id)) if v is not None)

    def opened(self, slug: str) -> str:
        """A result's link through the click log to the card: `link` with slug, q and id (q and id encoded once)."""
        return f"{self.opened_path}?{_argument('slug', slug)}{self._click_tail}"

    def hit_rows(self, hits) -> list[tuple[str, Markup, Markup, object]]:
        """(link, title, summary, hit) per hit, the title and summary as HTML with the search's marks."""
        return [(self.opened(hit.slug), _marked(hit, "title"), _marked(hit, "summary"), hit) for hit in hits]

    def facet_rows(self, facets: dict) -> dict[str, list[tuple[str, Markup, bool]]]:
        """Per facet, (link, "name (count)" as HTML, chosen) per value; a chosen value's link removes its filter."""
        rows = {}
        for facet, values in facets.items():
            links, chosen = self._facet_links(facet, [f["value"] for f in values]), self.filters.get(facet)
            rows[facet] = [(links[None if f["value"] == chosen else f["value"]],
                            _name_with_count(f["label"], f["count"]), f["value"] == chosen)
                           for f in values]  # fmt: skip
        return rows

    def _facet_links(self, facet: str, values: list[str]) -> dict[str | None, str]:
        """Each value's link (this query with the filter set to it, the other filter kept), and under None the one
        removing the filter: `link` of the filters and q. The links differ in that facet's argument only, so the
        others are encoded once."""
        args = dict(self.filters, q=self.query, **{facet: None})  # the order `link` gets them in
        names = list(args)
        slot = names.index(facet)
        before = [_argument(n, args[n]) for n in names[:slot] if args[n] is not None]
        after = [_argument(n, args[n]) for n in names[slot + 1 :] if args[n] is not None]
        links = {value: self._joined([*before, _argument(facet, value), *after]) for value in values}
        links[None] = self._joined([*before, *after])
        return links

    def _joined(self, arguments: list[str]) -> str:
        return f"{self.results_path}?{'&'.join(arguments)}" if arguments else self.results_path

    def search(self, query: str) -> str:
        """Another query, without filters ("did you mean")."""
        return link(self.results_path, q=query)

    def languages(self) -> str:
        """This search's link, ready for `lang=` to be added (the language links keep the query and filters)."""
        here = link(self.results_path, q=self.query or None, **self.filters)
        return here + ("&" if "?" in here else "?")

    def page(self, number: int) -> str:
        return link(self.results_path, q=self.query, page=number, **self.filters)
