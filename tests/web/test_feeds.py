"""Atom feed of published changes, sitemap.xml and robots.txt."""

from xml.etree import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_atom_feed_lists_published_editions(db, factory, client):
    factory.published_card("dowod-test")
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text.startswith("Wydanie dowodu osobistego – Wydanie 01")
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/uslugi/dowod-test/historia#e1")


def test_sitemap_lists_cards_categories_and_points(db, factory, client):
    factory.published_card("dowod-test")
    urlset = ElementTree.fromstring(client.get("/sitemap.xml").data)
    locs = {u.find(f"{SITEMAP}loc").text for u in urlset.findall(f"{SITEMAP}url")}
    assert {"http://localhost/uslugi/dowod-test", "http://localhost/kategorie/dokumenty",
            "http://localhost/punkty/bok-test", "http://localhost/"} <= locs  # fmt: skip


def test_robots_points_to_the_sitemap(client):
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in text and "Disallow: /admin/" in text
