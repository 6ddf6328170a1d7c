"""The results page's links are exactly what `url_for` builds, for any query, slug, filter and id."""

from urllib.parse import urlsplit

import pytest
from flask import url_for

from kiosk.search.links import ResultLinks, link
from kiosk.search.query import Hit

ODD_TEXTS = ["dowód osobisty", "<script>alert(1)</script>", "a&b=c d", "100% + 50%", "dowód?x=1#frag", "/../admin",
             "'\"`", "Паспорт громадянина", "passport renewal", "zażółć gęślą jaźń", "😀 emoji", "  ", "", "%2F+",
             "x" * 200, "\u202edowód", "mark</mark>", "~!$'()*,/:;?@[]"]  # fmt: skip
ODD_SLUGS = ["dowod-osobisty-wydanie", "karta_2", "ą-ę", "a b", "a/b", "?&=#"]
FILTERS = [{"point": None, "category": None}, {"point": "bok-stary-rynek", "category": None},
           {"point": None, "category": "dokumenty i meldunek"}, {"point": "p&q", "category": "c/d"}]  # fmt: skip


@pytest.mark.parametrize("site", ["http://localhost", "http://localhost/okienko"])
def test_every_link_equals_url_for(app, site):
    """Also under a script root (a site served below a path prefix)."""
    with app.test_request_context("/szukaj", base_url=site):
        for text in ODD_TEXTS:
            for filters in FILTERS:
                for query_id in (None, 1, 2_147_483_647):
                    links = ResultLinks(text, filters, query_id)
                    for slug in ODD_SLUGS:
                        assert links.opened(slug) == url_for("search.opened", slug=slug, q=text, id=query_id)
                    assert links.search(text) == url_for("search.results", q=text)
                    assert links.page(3) == url_for("search.results", q=text, page=3, **filters)
                    choices = ("p&q", "bok", "c/d", "wartość & inna")
                    values = [{"value": v, "label": "P & Q <b>", "count": 2} for v in choices]
                    rows = links.facet_rows({"point": values, "category": values, "none": []})  # built at once
                    for facet in ("point", "category"):  # the filter set to each value; a chosen value's removes it
                        wanted = [None if filters[facet] == v else v for v in choices]
                        expected = [url_for("search.results", **dict(filters, q=text, **{facet: w})) for w in wanted]
                        assert [row[0] for row in rows[facet]] == expected
                        assert [row[1:] for row in rows[facet]] == [("P &amp; Q &lt;b&gt; (2)", filters[facet] == v)
                                                                    for v in choices]  # fmt: skip
                    assert rows["none"] == []
                    switch = url_for("search.results", q=text or None, **filters, lang="uk")
                    assert links.languages() + "lang=uk" == switch  # the language links keep query and filters
        assert ResultLinks("", FILTERS[0]).results_path == url_for("search.results") == urlsplit(site).path + "/szukaj"


def test_link_without_arguments_is_the_path(app):
    with app.test_request_context("/"):
        assert link("/szukaj") == "/szukaj" == url_for("search.results")
        assert link("/szukaj", q=None, page=None) == "/szukaj"
        assert link("/szukaj", q="") == url_for("search.results", q="") == "/szukaj?q="


def test_hit_rows_show_the_search_marks_and_escape_everything_else(app):
    with app.test_request_context("/szukaj"):
        links = ResultLinks("dowód", {"point": None, "category": None}, 7)
        marked = Hit(slug="a", title="<b>x", summary="", score=1.0,
                     highlights={"title": "&lt;b&gt;<mark>x</mark>", "summary": ""})  # fmt: skip
        plain = Hit(slug="b", title="<script>", summary="a & b", score=1.0)
        rows = links.hit_rows([marked, plain])
        assert rows[0] == (links.opened("a"), "&lt;b&gt;<mark>x</mark>", "", marked)
        assert rows[1] == (links.opened("b"), "&lt;script&gt;", "a &amp; b", plain)
