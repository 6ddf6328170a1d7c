"""Public history: the body compared as rendered text, dates written out per language, no internal comments."""

import re
from datetime import datetime

import pytest

from kiosk import clock
from kiosk.cards import services

WEDNESDAY = datetime(2026, 5, 13, 8, 0)
SECRET = "Uwaga wewnętrzna: sprawdzić z radcą prawnym"


@pytest.fixture
def history(db, factory):
    with clock.frozen(WEDNESDAY):
        editor, approver, publisher = team = factory.team()
        card = factory.published_card("dowod-test", team=team)
        body = "## Kto składa\n\nWniosek składasz **osobiście** albo przez pełnomocnika."
        edition = services.open_draft(card, editor, factory.content(body=body))
        services.submit_edition(edition, editor)
        services.approve_edition(edition, approver, comment=SECRET)
        services.publish_edition(edition, publisher)
        db.session.commit()
    return card


def test_body_changes_read_as_rendered_text_not_markdown(client, history):
    html = client.get("/uslugi/dowod-test/historia").get_data(as_text=True)
    section = html[html.index('id="e2"') : html.index('id="e1"')]
    assert "##" not in section and "**" not in section
    assert "Kto składa\nWniosek składasz <del>osobiście.</del>" in section
    assert re.search(r"<ins>[^<]*przez pełnomocnika\.</ins>", section)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("pl", "Wydanie 02 z dnia 13 maja 2026"), ("en", "May 13, 2026"), ("uk", "13 травня 2026\u202fр.")],
)
def test_dates_are_written_out_in_the_reader_language(client, history, lang, expected):
    html = client.get(f"/uslugi/dowod-test/historia?lang={lang}").get_data(as_text=True)
    assert expected in html and "13.05.2026 " not in html


def test_internal_approver_comment_is_never_public(client, history):
    pages = ["/uslugi/dowod-test/historia", "/uslugi/dowod-test", "/uslugi/dowod-test/druk", "/zmiany",
             "/feed.atom", "/api/v1/cards/dowod-test", "/api/v1/cards/dowod-test/editions"]  # fmt: skip
    for path in pages:
        response = client.get(path)
        assert SECRET not in response.get_data(as_text=True), path


def test_changed_rows_read_as_lines_removed_and_added(db, factory, client):
    editor, approver, publisher = team = factory.team()
    card = factory.published_card("oplaty-test", team=team)
    content = factory.content()
    fees = [content["fees"][0], dict(content["fees"][1], amount=None)]  # the second fee now varies
    edition = services.open_draft(card, editor, factory.content(fees=fees, documents=content["documents"][:1]))
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    services.publish_edition(edition, publisher)
    db.session.commit()
    html = client.get("/uslugi/oplaty-test/historia").get_data(as_text=True)
    section = html[html.index('id="e2"') : html.index('id="e1"')]
    assert "<del>Pełnomocnictwo: 17,00\u00a0zł</del>" in section
    assert "<ins>Pełnomocnictwo: kwota zmienna</ins>" in section
    assert "<del>Fotografia 35 × 45 mm" in section and "Wydanie dowodu" not in section  # unchanged rows are not listed
