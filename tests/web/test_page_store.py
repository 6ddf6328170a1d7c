"""The shared page store: a page rendered by one process is served by another without rendering, never stale,
bounded to one file per page, and a broken store is only a miss. Two apps on one database and one store
directory stand for two processes (each has its own page cache)."""

import json
import os
import re
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import template_rendered

from kiosk import clock, create_app
from kiosk.api import views as api_views
from kiosk.background import wait_for_background
from kiosk.cards import translations as tr_services
from kiosk.kiosk_ui.models import KioskDevice
from kiosk.pages import store
from tests.factories import Factory

from .helpers import MORNING, publish_new_edition

PAGES = ("/uslugi/dowod-test", "/kiosk/uslugi/dowod-test", "/api/v1/cards/dowod-test")


@pytest.fixture
def process(app):
    """A new process's worth of app (its own page cache) on this test's database and page store."""
    keys = ("TESTING", "SQLALCHEMY_DATABASE_URI", "KIOSK_INDEX_DIR", "SECRET_KEY", "KIOSK_CONTENT_DIR",
            "KIOSK_PAGE_STORE_DIR")  # fmt: skip
    return lambda **config: create_app({**{key: app.config[key] for key in keys}, "WEB_STAMP_TTL": 0, **config})


class Renders:
    """Templates rendered and JSON cards built by one app."""

    def __init__(self, app, monkeypatch):
        self.templates, self.json = [], []
        template_rendered.connect(self._rendered, app)
        built = api_views._card_json
        monkeypatch.setattr(api_views, "_card_json", lambda *args: self.json.append(args) or built(*args))

    def _rendered(self, _app, template, context, **_extra):
        self.templates.append(template.name)

    @property
    def count(self) -> int:
        return len(self.templates) + len(self.json)


def _shown(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else response.text


def _files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["KIOSK_PAGE_STORE_DIR"]).rglob("*") if p.is_file())


def test_a_page_rendered_by_one_process_is_served_by_another_without_rendering(team_card, process, monkeypatch):
    first, second = process(), process()
    with clock.frozen(MORNING):
        made = {path: first.test_client().get(path) for path in PAGES}
        renders = Renders(second, monkeypatch)
        served = {path: second.test_client().get(path) for path in PAGES}
    assert renders.count == 0
    for path in PAGES:
        assert served[path].status_code == 200 and served[path].data == made[path].data, path
    assert "Dowód" in served[PAGES[0]].text
    assert len(_files(first)) == len(PAGES)


def test_the_kiosk_screen_from_the_store_shows_the_time_of_its_own_response(team_card, process):
    first, second = process(), process()
    with clock.frozen(MORNING):
        made = first.test_client().get(PAGES[1]).text
    with clock.frozen(datetime(2026, 5, 13, 8, 1)):
        served = second.test_client().get(PAGES[1]).text
    made_at, served_at = (re.search(r"dane z ([^<]+)<", page).group(1) for page in (made, served))
    assert made_at != served_at and made.replace(made_at, served_at) == served


def test_a_publish_or_fact_change_in_one_process_is_never_served_stale_by_another(db, team_card, process):
    team, card = team_card
    first, second = process(), process()
    with clock.frozen(MORNING):
        for path in PAGES:
            second.test_client().get(path)  # the second process's page cache and the store hold the old pages
    with clock.frozen(datetime(2026, 5, 13, 9, 0)):
        publish_new_edition(db, Factory(db), card, team, title="Dowód osobisty – nowe zasady")
        Factory(db).facts()["location"].address = "Stary Rynek 1, wejście od ul. Zduńskiej 3"
        db.session.commit()
        for path in PAGES:
            first.test_client().get(path)  # the first process renders the new pages into the store
            text = _shown(second.test_client().get(path))
            assert "Dowód osobisty – nowe zasady" in text and "Zduńskiej 3" in text, path


def test_a_translation_published_in_one_process_reaches_another(db, team_card, process):
    team, card = team_card
    editor, approver, publisher = team
    first, second = process(), process()
    english = [f"{path}?lang=en" for path in PAGES]
    with clock.frozen(MORNING):
        for path in english:
            assert "Getting an ID card" not in _shown(second.test_client().get(path))
        tr = tr_services.write_translation(card, "en", {"title": "Getting an ID card"}, editor)
        tr_services.submit_translation(tr, editor)
        tr_services.approve_translation(tr, approver)
        tr_services.publish_translation(tr, publisher)
        db.session.commit()
        for path in english:
            first.test_client().get(path)
            assert "Getting an ID card" in _shown(second.test_client().get(path)), path


def test_a_page_rendered_with_other_settings_or_code_is_a_miss(team_card, process, monkeypatch):
    """The store outlives processes: a command run with another site's settings, or the pages of the code
    before a deploy, are never served (their links, their markup would be wrong)."""
    elsewhere = process(KIOSK_PUBLIC_URL="https://okienko.example.org")
    linked = (PAGES[0], PAGES[2])  # the web page and the JSON hold absolute links; the kiosk screen holds none
    with clock.frozen(MORNING):
        made = {path: _shown(elsewhere.test_client().get(path)) for path in PAGES}
        assert all("okienko.example.org" in made[path] for path in linked)
        renders = Renders(here := process(), monkeypatch)
        assert all("okienko.example.org" not in _shown(here.test_client().get(path)) for path in linked)
        here.test_client().get(PAGES[1])
        assert renders.count == len(PAGES)
        monkeypatch.setattr(store, "deployed_code", lambda: "the next release")
        renders = Renders(deployed := process(), monkeypatch)
        assert all(deployed.test_client().get(path).status_code == 200 for path in PAGES)
        assert renders.count == len(PAGES)
    assert len(_files(here)) == len(PAGES)


def _break_every_file(app, damage) -> None:
    files = _files(app)
    assert files
    for path in files:
        path.write_bytes(damage(path.read_bytes()))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-20] + b"x" * 20,  # corrupt body
        lambda data: data.replace(data[15:47], b"0" * 32, 1),  # another key's digest
        lambda data: b"",  # empty
        lambda data: b"\x00\xff garbage \n\n",  # not a page at all
    ],
    ids=["truncated", "corrupt", "wrong-digest", "empty", "garbage"],
)
def test_a_broken_file_is_a_miss_and_the_page_is_rendered(team_card, process, monkeypatch, damage):
    first, second = process(), process()
    with clock.frozen(MORNING):
        made = {path: first.test_client().get(path).data for path in PAGES}
        _break_every_file(first, damage)
        renders = Renders(second, monkeypatch)
        for path in PAGES:
            response = second.test_client().get(path)
            assert response.status_code == 200 and response.data == made[path], path
    assert renders.count == len(PAGES)


def test_an_unreadable_or_unwritable_store_is_only_a_miss(team_card, process, tmp_path, caplog):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the store should be")
    first = process(KIOSK_PAGE_STORE_DIR=str(blocked))
    with clock.frozen(MORNING):
        assert all(first.test_client().get(path).status_code == 200 for path in PAGES)
    assert "page store" in caplog.text
    second = process()
    with clock.frozen(MORNING):
        for path in PAGES:
            second.test_client().get(path)
        for path in _files(second):  # a directory where a page's file should be
            path.unlink()
            path.mkdir()
        third = process()
        assert all(third.test_client().get(path).status_code == 200 for path in PAGES)


def test_the_store_keeps_one_file_per_page_however_many_publishes(db, team_card, process):
    team, card = team_card
    for hour in (9, 10, 11):
        with clock.frozen(datetime(2026, 5, 13, hour, 0)):
            publish_new_edition(db, Factory(db), card, team, title=f"Dowód osobisty – wersja {hour}")
            app = process()  # a new process each time: nothing served from a page cache
            assert all(f"wersja {hour}" in _shown(app.test_client().get(path)) for path in PAGES)
    assert len(_files(app)) == len(PAGES)


def test_render_command_renders_every_live_card_with_progress(db, factory, team_card, process, runner, monkeypatch):
    team, card = team_card
    with clock.frozen(MORNING):
        factory.published_translation(card, "en", team=team, texts={"title": "Getting an ID card"})
        factory.card("szkic-test")  # a draft: nothing to show
        db.session.add(KioskDevice(code="bok-1", name="BOK, parter"))
        db.session.commit()
        result = runner.invoke(args=["pages", "render", "--all"])
        assert result.exit_code == 0, result.output
        assert "Renderowanie stron kart" in result.output and "Kart: 1, stron: 8" in result.output
        renders = Renders(second := process(), monkeypatch)
        client = second.test_client()
        paths = [*PAGES, "/kiosk/uslugi/dowod-test?k=bok-1", *(f"{p}?lang=en" for p in PAGES)]
        assert all(client.get(path).status_code == 200 for path in paths)
        assert "Getting an ID card" in client.get(PAGES[0] + "?lang=en").text
    assert renders.count == 0
    assert len(_files(second)) == 8
    assert client.get("/uslugi/szkic-test").status_code == 404


def test_render_command_sweeps_what_a_killed_process_left_half_written(app, team_card, runner):
    shard = Path(app.config["KIOSK_PAGE_STORE_DIR"]) / "ab"
    shard.mkdir(parents=True)
    old, fresh = shard / ".killed.tmp", shard / ".being-written.tmp"
    for path in (old, fresh):
        path.write_bytes(b"okienko-page/1 half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    with clock.frozen(MORNING):
        assert runner.invoke(args=["pages", "render", "--all"]).exit_code == 0
    assert not old.exists() and fresh.exists()


def test_render_command_takes_slugs_and_says_which_it_skipped(db, team_card, runner):
    with clock.frozen(MORNING):
        result = runner.invoke(args=["pages", "render", "--slug", "dowod-test", "--slug", "nie-ma-takiej"])
    assert result.exit_code == 0, result.output
    assert "Pominięto nie-ma-takiej" in result.output and "Kart: 1, stron: 3" in result.output
    assert runner.invoke(args=["pages", "render"]).exit_code == 2


def test_render_command_refuses_when_the_store_is_off(app, runner):
    app.config["KIOSK_PAGE_STORE_DIR"] = ""
    result = runner.invoke(args=["pages", "render", "--all"])
    assert result.exit_code == 1 and "KIOSK_PAGE_STORE_DIR" in result.output


def test_a_publish_renders_the_cards_pages_into_the_store_in_the_background(app, db, team_card, process, monkeypatch):
    team, card = team_card
    app.config["WEB_PAGE_RENDER_ON_PUBLISH"] = True
    with clock.frozen(datetime(2026, 5, 13, 9, 0)):
        with app.test_request_context("/admin/"):  # as the back office publishes: in a request
            publish_new_edition(db, Factory(db), card, team, title="Dowód osobisty – nowe zasady")
        assert wait_for_background()
        assert len(_files(app)) == len(PAGES)
        renders = Renders(reader := process(), monkeypatch)
        for path in PAGES:
            assert "nowe zasady" in _shown(reader.test_client().get(path)), path
    assert renders.count == 0


def test_a_commit_outside_a_request_renders_nothing(app, db, team_card):
    """The content import and other CLI jobs are followed by `flask pages render`, not rendered in their commit."""
    team, card = team_card
    app.config["WEB_PAGE_RENDER_ON_PUBLISH"] = True
    with clock.frozen(datetime(2026, 5, 13, 9, 0)):
        publish_new_edition(db, Factory(db), card, team, title="Dowód osobisty – nowe zasady")
        assert wait_for_background()
    assert not _files(app)


def test_the_scheduled_publish_job_renders_the_pages_it_published(db, team_card, runner, process, monkeypatch):
    team, card = team_card
    with clock.frozen(MORNING):
        Factory(db).scheduled_edition(card, team, on=date(2026, 5, 14), title="Dowód osobisty – od jutra")
    with clock.frozen(datetime(2026, 5, 14, 8, 0)):
        result = runner.invoke(args=["cards", "publish-due"])
        assert result.exit_code == 0 and "opublikowano dowod-test" in result.output, result.output
        renders = Renders(reader := process(), monkeypatch)
        assert all("od jutra" in _shown(reader.test_client().get(path)) for path in PAGES)
    assert renders.count == 0


def test_a_translation_published_in_the_back_office_renders_the_cards_pages(app, db, team_card, process, monkeypatch):
    team, card = team_card
    editor, approver, publisher = team
    app.config["WEB_PAGE_RENDER_ON_PUBLISH"] = True
    with clock.frozen(MORNING):
        with app.test_request_context("/admin/translations/"):
            tr = tr_services.write_translation(card, "en", {"title": "Getting an ID card"}, editor)
            tr_services.submit_translation(tr, editor)
            tr_services.approve_translation(tr, approver)
            tr_services.publish_translation(tr, publisher)
            db.session.commit()
        assert wait_for_background()
        assert len(_files(app)) == 2 * len(PAGES)  # Polish and English
        renders = Renders(reader := process(), monkeypatch)
        assert all("Getting an ID card" in _shown(reader.test_client().get(f"{path}?lang=en")) for path in PAGES)
    assert renders.count == 0
