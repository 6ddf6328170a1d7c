"""The results page's links, built as `url_for` builds them, at a fraction of its cost.

A results page holds a dozen to thirty links to two routes without path variables (`/szukaj`,
`/szukaj/klik`) that differ only in their query strings. `url_for` sends each through Werkzeug's router;
here each is the route's path (from `url_for`, once per request) plus the arguments encoded exactly as
Werkzeug encodes them, each argument's encoding kept (card slugs and a page's query recur). The results
page makes every link through `ResultLinks`; tests/search/test_links.py checks them against `url_for`.
"""

from functools import lru_cache
from urllib.parse import quote_plus

from flask import url_for

SAFE = "!$'()*,/:;?@"  # what werkzeug.urls._urlencode leaves unquoted


@lru_cache(maxsize=4096)
def _argument(name: str, value) -> str:
    return quote_plus(name, safe=SAFE) + "=" + quote_plus(str(value), safe=SAFE)


def link(path: str, **args) -> str:
    """`url_for` of a route without path variables: `path`, then the arguments that are not None, in order."""
    query = "&".join(_argument(name, value) for name, value in args.items() if value is not None)
    return f"{path}?{query}" if query else path


class ResultLinks:
    """Every link of one results page: its query, its filters and the logged search's id."""

    def __init__(self, query: str, filters: dict, query_id: int | None = None):
        self.query, self.filters, self.query_id = query, filters, query_id
        self.results_path = url_for("search.results")
        self.opened_path = url_for("search.opened")

    def opened(self, slug: str) -> str:
        """A result's link: through the click log to the card."""
        return link(self.opened_path, slug=slug, q=self.query, id=self.query_id)

    def opened_all(self, hits) -> dict[str, str]:
        """Each hit's link by slug, built here at once (a call from the template costs more than the link)."""
        return {hit.slug: self.opened(hit.slug) for hit in hits}

    def facets_all(self, facets: dict) -> dict[str, dict]:
        """Per facet, the link of each value and (under None) the one removing that filter, as `facet` builds them."""
        return {facet: {value: self.facet(facet, value) for value in [None, *(f["value"] for f in values)]}
                for facet, values in facets.items()}  # fmt: skip

    def search(self, query: str) -> str:
        """Another query, without filters ("did you mean")."""
        return link(self.results_path, q=query)

    def languages(self) -> str:
        """This search's link, ready for `lang=` to be added (the language links keep the query and filters)."""
        here = link(self.results_path, q=self.query or None, **self.filters)
        return here + ("&" if "?" in here else "?")

    def page(self, number: int) -> str:
        return link(self.results_path, q=self.query, page=number, **self.filters)

    def facet(self, facet: str, value: str | None) -> str:
        """This query with one filter set to `value` (None: that filter removed), the other filter kept."""
        return link(self.results_path, **dict(self.filters, q=self.query, **{facet: value}))
