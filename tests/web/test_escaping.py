"""Every non-HTML template is escaped: the feed and the sitemap stay valid XML, JSON-LD stays inert."""

import json
import re
from xml.etree import ElementTree

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = "Zasiłek <b>&</b> dodatek"
HOSTILE = {
    "title": HOSTILE_TITLE,
    "summary": "Tekst ]]> <!-- & --> </summary><entry><title>wstrzyknięte</title></entry> \"'",
    "body": "## Opis\n\n</script><script>alert(1)</script>",
}


@pytest.fixture
def card(db, factory):
    facts = factory.facts()
    facts["category"].name = 'Dokumenty & "sprawy" <i>'
    db.session.commit()
    return factory.published_card("zasilek", **HOSTILE)


def test_feed_with_markup_in_a_title_is_valid_atom(card, client):
    response = client.get("/feed.atom")
    feed = ElementTree.fromstring(response.data)  # raises on invalid XML
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text.startswith(HOSTILE_TITLE)
    assert entries[0].find(f"{ATOM}summary").text == HOSTILE["summary"]
    assert entries[0].find(f"{ATOM}category").get("label") == 'Dokumenty & "sprawy" <i>'


def test_sitemap_stays_valid_xml(card, client):
    urlset = ElementTree.fromstring(client.get("/sitemap.xml").data)
    assert any((loc.text or "").endswith("/uslugi/zasilek") for loc in urlset.iter())


def test_json_ld_with_a_closing_script_tag_in_a_title_stays_inert(db, factory, client):
    factory.published_card("skrypt", title="Zasiłek </script><script>alert(1)</script>",
                           summary="</SCRIPT><img src=x onerror=alert(1)>")  # fmt: skip
    html = client.get("/uslugi/skrypt").get_data(as_text=True)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S | re.I)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["name"] == "Zasiłek </script><script>alert(1)</script>"
    assert "<script>alert" not in html and "<img src=x" not in html.lower()


def test_openapi_and_api_are_json_with_hostile_text(card, client):
    assert client.get("/api/v1/openapi.json").is_json
    data = client.get("/api/v1/cards/zasilek").get_json()
    assert HOSTILE_TITLE in json.dumps(data, ensure_ascii=False)


def test_every_template_but_plain_text_is_autoescaped(app):
    for name in ("web/feed.atom", "web/sitemap.xml", "kiosk_ui/sw.js", "web/card.html", "x.rss", "x.json", None):
        assert app.select_jinja_autoescape(name), name
    assert not app.select_jinja_autoescape("mail/reminder.txt")
    rendered = app.jinja_env.from_string("{{ t }}").render(t=HOSTILE_TITLE)
    assert rendered == "Zasiłek &lt;b&gt;&amp;&lt;/b&gt; dodatek"
