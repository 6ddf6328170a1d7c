"""Links a page makes back to itself (language switch, paging) never lead off the site, whatever path was asked for.

Browsers read `\\` as `/` and drop tabs and newlines, so a 404 page for `/\\evil.example` that linked to
`/\\evil.example?lang=en` would send a resident to `//evil.example`.
"""

import re

import pytest
from werkzeug.test import EnvironBuilder

HOSTILE_PATHS = ["/\\evil.example/x", "/\\\\evil.example", "/%5Cevil.example/uslugi", "/\\/evil.example"]


def fetch(app, path: str):
    environ = EnvironBuilder(path="/", method="GET").get_environ()
    environ["PATH_INFO"] = path.replace("%5C", "\\")  # as a server decodes it
    return app.response_class.from_app(app.wsgi_app, environ)


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_error_pages_link_back_only_inside_the_site(app, db, path):
    response = fetch(app, path)
    html = response.get_data(as_text=True)
    assert response.status_code in (400, 404), response.status_code
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and not [h for h in hrefs if "evil" in h or h.startswith(("//", "/\\"))], hrefs


def test_the_language_switch_still_links_to_the_same_page(app, db, client, factory):
    factory.published_card("dowod")
    html = client.get("/uslugi/dowod").get_data(as_text=True)
    assert 'href="/uslugi/dowod?lang=en"' in html and 'href="/uslugi/dowod?lang=uk"' in html
