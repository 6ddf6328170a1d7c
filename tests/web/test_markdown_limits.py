"""Markdown cannot cost a worker its CPU: bodies are bounded everywhere, rendering is linear, and a
published edition is rendered once, not on each request."""

import shutil
import sys
import time

import pytest

from kiosk.accounts.models import Role
from kiosk.cards import services
from kiosk.cards.models import Edition
from kiosk.errors import ValidationError
from kiosk.markdown_render import _PARSER, MAX_BODY_CHARS, render_markdown
from tests.admin.conftest import login, post
from tests.backoffice import FreshContextClient

N = MAX_BODY_CHARS
# Each of these took Python-Markdown from seconds to minutes (16,000 "[" took ~90 s). Each is built for a size
# budget n, so the test can compare the work done at n and at 4n.
PATHOLOGICAL = {
    "brackets": lambda n: "[" * n,
    "images": lambda n: "![" * (n // 2),
    "open links": lambda n: "[a](" * (n // 4),
    "nested links": lambda n: "[[" * (n // 8) + "a" + "](b)" * (n // 8),
    "raw html": lambda n: "<a " * (n // 3),
    "nested emphasis": lambda n: "*" * (n // 2 - 1) + "a" + "*" * (n // 2 - 1),
    "mixed emphasis": lambda n: "**_" * (n // 3),
    "underscores": lambda n: "_a " * (n // 3),
    "backticks": lambda n: "`" * n,
    "backtick runs": lambda n: "`a``" * (n // 4),
    # Indentation grows with depth, so the text grows with depth squared: depth scales with the root of n.
    "deep list": lambda n: "".join(" " * (2 * i) + "- x\n" for i in range(int(135 * (n / N) ** 0.5))),
    "deep ordered list": lambda n: "".join(" " * (3 * i) + "1. x\n" for i in range(int(110 * (n / N) ** 0.5))),
    "deep quote": lambda n: ">" * (n - 2) + " a",
    "list markers": lambda n: "- " * (n // 2),
    "entities": lambda n: "&#" * (n // 2),
    "autolinks": lambda n: "<http://" * (n // 8),
    "table columns": lambda n: "|" * (n // 2 - 1) + "\n" + "|-" * (n // 4),
}


def _calls_to_render(text: str) -> int:
    """Python and C function calls made while rendering: a count of work that neither a loaded machine nor a
    tracer (coverage) inflates, unlike seconds."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        render_markdown(text)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_markdown_renders_in_linear_time(name):
    build = PATHOLOGICAL[name]
    small, large = build(N // 4), build(N)
    assert len(large) <= MAX_BODY_CHARS
    # Four times the input: linear work is about 4x the calls, quadratic 16x.
    assert _calls_to_render(large) <= 5 * _calls_to_render(small) + 1_000, name
    # A backstop for work inside one C call (a backtracking regex), where calls are not counted. CPU time, so a
    # loaded machine does not inflate it; Python-Markdown needed minutes for several of these.
    started = time.thread_time()
    render_markdown(large)
    assert time.thread_time() - started < 10.0, name


def test_a_body_over_the_limit_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="dopuszczalne jest 20 000"):
        render_markdown("a" * (MAX_BODY_CHARS + 1))
    render_markdown("a" * MAX_BODY_CHARS)


def test_saving_an_oversized_draft_is_refused_in_the_domain(db, factory):
    editor = factory.user(roles=[Role.EDITOR])
    card = factory.card("dlugi", editor)
    db.session.commit()
    with pytest.raises(ValidationError, match="Treść karty ma 20 001 znaków"):
        services.open_draft(card, editor, factory.content(body="x" * (MAX_BODY_CHARS + 1)))
    db.session.rollback()
    draft = services.open_draft(card, editor, factory.content())
    db.session.commit()
    with pytest.raises(ValidationError):
        services.save_draft(draft, factory.content(body="[" * (MAX_BODY_CHARS + 1)), editor, draft.lock_version)


def test_import_refuses_an_oversized_body_naming_the_file(db, runner, tmp_path, content_dir):
    work = tmp_path / "content"
    shutil.copytree(content_dir, work)
    path = next(p for p in sorted((work / "cards").glob("*.md")) if p.name.count(".") == 1)  # a Polish card
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "[" * MAX_BODY_CHARS, encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(work)])
    assert result.exit_code != 0
    assert path.name in result.output and "dopuszczalne jest 20 000" in result.output
    assert db.session.query(Edition).count() == 0


@pytest.fixture
def editor_client(app, db, factory):
    from kiosk.accounts import services as accounts
    from tests.backoffice import PASSWORD

    app.test_client_class = FreshContextClient
    accounts.create_user("redaktor", "Redaktor", PASSWORD, [Role.EDITOR])
    db.session.commit()
    client = app.test_client()
    assert login(client, "redaktor").status_code == 302
    return client


def test_admin_preview_of_an_oversized_body_is_a_message_not_a_render(editor_client):
    started = time.perf_counter()
    response = post(editor_client, "/admin/cards/preview", {"body": "[" * (MAX_BODY_CHARS * 3)})
    assert time.perf_counter() - started < 5
    assert response.status_code == 413
    assert "dopuszczalne jest 20 000" in response.get_data(as_text=True)
    response = post(editor_client, "/admin/cards/preview", {"body": "[" * MAX_BODY_CHARS})
    assert response.status_code == 200


@pytest.fixture
def renders(monkeypatch):
    calls = []
    original = _PARSER.render

    def counting(text, *args, **kwargs):
        calls.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(_PARSER, "render", counting)
    return calls


def test_a_published_edition_is_rendered_once_at_publication(app, db, factory, client, renders):
    app.config["WEB_PAGE_CACHE"] = False  # every request renders its template; the body must not be re-rendered
    card = factory.published_card("raz", body="## Raz\n\nTylko **raz**.")
    assert len(renders) == 1
    assert "<strong>raz</strong>" in card.live_edition.rows_snapshot["body_html"]
    for path in ("/uslugi/raz", "/uslugi/raz/druk", "/kiosk/uslugi/raz", "/uslugi/raz", "/kiosk/uslugi/raz"):
        response = client.get(path)
        assert response.status_code == 200 and "<strong>raz</strong>" in response.get_data(as_text=True)
    assert len(renders) == 1


def test_an_edition_published_before_bodies_were_stored_renders_once_per_process(app, db, factory, client, renders):
    app.config["WEB_PAGE_CACHE"] = False
    card = factory.published_card("stare", body="Stare **wydanie**.")
    snapshot = dict(card.live_edition.rows_snapshot)
    snapshot.pop("body_html")
    card.live_edition.rows_snapshot = snapshot
    db.session.commit()
    renders.clear()
    for _ in range(3):
        assert "<strong>wydanie</strong>" in client.get("/uslugi/stare").get_data(as_text=True)
        assert "<strong>wydanie</strong>" in client.get("/kiosk/uslugi/stare").get_data(as_text=True)
    assert len(renders) == 1
