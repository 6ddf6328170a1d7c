"""Probes: /healthz says the process is up; /readyz says whether the database and the index answer."""

import pytest

from kiosk import create_app
from kiosk.search import services as search

DEAD_DATABASES = ["postgresql://postgres@127.0.0.1:1/nichts", "sqlite:////nonexistent-dir/okienko/kiosk.db"]


def test_healthz_is_json_and_needs_nothing(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_readyz_when_database_and_index_answer(db, factory, client):
    factory.published_card("dowod-test")
    search.rebuild()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {"status": "ok", "checks": {"database": "ok", "index": "ok"}}


def test_readyz_without_an_index_is_503(app, client, tmp_path):
    app.config["KIOSK_INDEX_DIR"] = str(tmp_path / "no-such-index")
    response = client.get("/readyz")
    assert response.status_code == 503 and response.is_json
    assert response.json["checks"] == {"database": "ok", "index": "unavailable"}
    assert str(tmp_path) not in response.get_data(as_text=True)  # no paths for the public


@pytest.mark.parametrize("url", DEAD_DATABASES)
def test_readyz_with_a_dead_database_is_503_and_healthz_still_200(url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": str(tmp_path / "index"),
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}} if "postgresql" in url
                      else {}})  # fmt: skip
    with app.app_context():
        client = app.test_client()
        response = client.get("/readyz")
        assert response.status_code == 503 and response.is_json
        assert response.json["checks"]["database"] == "unavailable"
        text = response.get_data(as_text=True)
        assert "nonexistent" not in text and "127.0.0.1" not in text
        assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_probe_errors_are_json(client, method):
    for path in ("/healthz", "/readyz"):
        response = client.open(path, method=method)
        assert response.status_code == 405 and response.is_json
