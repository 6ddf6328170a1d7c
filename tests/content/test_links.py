"""One link rule (`kiosk.links.check_link`) for every URL field: content files, the domain, the back office."""

import pytest
from sqlalchemy import select

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.cards import services as cards
from kiosk.cards.content import References
from kiosk.cards.models import Edition
from kiosk.content.cardfile import read_card_file
from kiosk.content.facts import SPECS, read_fact_file
from kiosk.content.yamlsource import ContentFileError
from kiosk.errors import ValidationError
from kiosk.facts.models import LegalAct
from kiosk.links import check_link
from tests.admin.conftest import form_data, login, post
from tests.backoffice import PASSWORD, FreshContextClient

GOOD = ["https://www.plock.eu/", "http://bip.plock.eu/wniosek.pdf?x=1#a", "HTTPS://EXAMPLE.COM/Ścieżka",
        "/static/formularze/dowod.pdf", "/", "https://bip.płock.pl:8443/a%20b", "https://[2001:db8::1]/x"]  # fmt: skip
HOSTILE = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "JAVASCRIPT:alert(1)", "javascript&#58;alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "DATA:text/html,<script>", "vbscript:msgbox(1)", "VBScript:x",
    "file:///etc/passwd", "ftp://example.com/x", "mailto:a@b.pl", "blob:https://x/1",
    "//evil.example.com/x", "///evil.example.com", "/\\evil.example.com", "\\\\evil.example.com\\x",
    "https:\\\\evil.example.com", "https:/\\evil.example.com", "https:evil.example.com", "https:///x",
    "https://", "http://:80/", "https://www.plock.eu@evil.example.com/", "https://user:pw@plock.eu/",
    " javascript:alert(1)", "\tjavascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
    "\x01javascript:alert(1)", "javascript\x00:alert(1)", "https://plock.eu/\x00", "https://plock.eu/a b",
    "https://plock.eu/\u200b", "\u202ehttps://plock.eu", "\ufeffjavascript:alert(1)", "https://plock.eu\u3000/x",
    "https://plock.eu:99999/", "https://plock.eu:abc/", "www.plock.eu", "plock.eu/wniosek.pdf", "wniosek.pdf",
    "?x=1", "#anchor", "https://plock.eu/" + "a" * 500, " /static/x.pdf", "/static/x.pdf ",
]  # fmt: skip


@pytest.mark.parametrize("value", GOOD)
def test_safe_links_are_accepted_as_written(value):
    assert check_link(value) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_links_are_refused_with_a_polish_message(value):
    with pytest.raises(ValidationError) as refused:
        check_link(value, "Adres formularza", "forms")
    assert refused.value.field == "forms"
    assert refused.value.message.startswith("Adres formularza") and len(refused.value.message) < 400


def test_empty_link_means_no_link():
    assert check_link("") == "" and check_link(None) == ""


# --- content files ------------------------------------------------------------------------------------


CARD = """---
title: Test
category: dokumenty
online:
  channel: epuap
  url: {online}
forms:
  - title: Wniosek
    url: {form}
---

Treść.
"""


HOSTILE_YAML = ["'javascript:alert(1)'", "'JaVaScRiPt:alert(1)'", "'//evil.example.com'", "'data:text/html,x'",
                "\"java\\tscript:alert(1)\"", "' https://plock.eu'"]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE_YAML)
@pytest.mark.parametrize("where", ["online", "form"])
def test_card_file_with_a_hostile_link_names_file_line_and_field(app, db, factory, tmp_path, value, where):
    factory.facts()
    values = {"online": "https://epuap.gov.pl/x", "form": "/static/wniosek.pdf"} | {where: value}
    path = tmp_path / "karta-testowa.md"
    path.write_text(CARD.format(**values), encoding="utf-8")
    with pytest.raises(ContentFileError) as refused:
        read_card_file(path, References.load())
    text = str(refused.value)
    assert "karta-testowa.md:" in text
    assert ("online.url" if where == "online" else "forms[0].url") in text
    assert "https://" in text  # the hint says what is accepted


def test_card_file_with_safe_links_reads(app, db, factory, tmp_path):
    factory.facts()
    path = tmp_path / "karta-testowa.md"
    path.write_text(CARD.format(online="http://epuap.gov.pl/x", form="/static/wniosek.pdf"), encoding="utf-8")
    content = read_card_file(path, References.load()).content
    assert content["online_url"] == "http://epuap.gov.pl/x" and content["forms"][0]["url"] == "/static/wniosek.pdf"


@pytest.mark.parametrize("value", ["'javascript:alert(1)'", "'vbscript:x'", "'//evil.example.com'", "'\\\\evil'"])
def test_legal_acts_file_with_a_hostile_link_is_refused(tmp_path, value):
    (tmp_path / "legal-acts.yaml").write_text(f"- slug: kpa\n  title: KPA\n  url: {value}\n", encoding="utf-8")
    spec = next(s for s in SPECS if s.filename == "legal-acts.yaml")
    with pytest.raises(ContentFileError) as refused:
        read_fact_file(tmp_path, spec)
    assert "[0].url" in str(refused.value) and "legal-acts.yaml:3" in str(refused.value)


# --- the domain: whoever saves an edition -----------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("online_url", "javascript:alert(1)"),
                                              ("forms", [{"title": "Wniosek", "url": "data:text/html,x"}]),
                                              ("forms", [{"title": "Wniosek", "url": ""}])])  # fmt: skip
def test_saving_a_draft_with_a_hostile_link_is_refused_by_the_domain(app, db, factory, field, value):
    editor = factory.user(roles=[Role.EDITOR])
    draft = cards.open_draft(factory.card("karta", editor), editor, factory.content())
    db.session.commit()
    with pytest.raises(ValidationError):
        cards.save_draft(draft, factory.content(**{field: value}), editor, draft.lock_version)
    db.session.rollback()
    assert db.session.get(Edition, draft.id).online_url == ""


# --- the back office ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(app, db):
    app.test_client_class = FreshContextClient
    accounts.create_user("admin", "Admin", PASSWORD, [Role.ADMINISTRATOR, Role.EDITOR])
    db.session.commit()
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    return client


@pytest.mark.parametrize("value", ["JaVaScRiPt:alert(1)", "//evil.example.com/", "https:\\\\evil.example.com",
                                   "java\tscript:alert(1)", "data:text/html,x"])  # fmt: skip
def test_back_office_legal_act_with_a_hostile_link_is_refused_next_to_the_field(app, db, admin_client, value):
    form = {"slug": "ustawa", "title": "Ustawa", "reference": "", "url": value, "status": "in_force"}
    response = post(admin_client, "/admin/legal_acts/new/", form, token_from="/admin/legal_acts/new/")
    assert response.status_code == 200
    assert "https://" in response.get_data(as_text=True)
    assert db.session.scalar(select(LegalAct).where(LegalAct.slug == "ustawa")) is None


@pytest.mark.parametrize(("field", "value"), [("online_url", "JaVaScRiPt:alert(1)"),
                                              ("forms-0-url", "vbscript:msgbox(1)"),
                                              ("forms-0-url", "//evil.example.com/wniosek.pdf")])  # fmt: skip
def test_back_office_edition_with_a_hostile_link_is_refused(app, db, factory, admin_client, field, value):
    card = factory.published_card("dowod", forms=[{"title": "Wniosek", "url": "/static/wniosek.pdf"}])
    db.session.commit()
    assert post(admin_client, f"/admin/cards/{card.id}/open-draft").status_code == 302
    data = form_data(admin_client.get(f"/admin/cards/{card.id}/edit").get_data(as_text=True))
    response = admin_client.post(f"/admin/cards/{card.id}/edit", data={**data, field: value})
    assert response.status_code == 200
    assert "Podaj pełny adres zaczynający się od https://" in response.get_data(as_text=True)
