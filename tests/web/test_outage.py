"""A database that is down answers 503 with Retry-After and a plain message: never a 500, never a trace.

The app is pointed at a database that cannot be reached (a closed loopback port for PostgreSQL, a file in a
directory that does not exist for SQLite), as during a restart of the database server.
"""

import pytest

from kiosk import create_app
from tests.conftest import PG_URL

UNREACHABLE = (
    "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2"
    if PG_URL
    else "sqlite:////nonexistent-okienko-dir/okienko.db"
)


@pytest.fixture
def down(app):
    settings = {**app.config, "SQLALCHEMY_DATABASE_URI": UNREACHABLE}
    settings.pop("SQLALCHEMY_ENGINES", None)
    settings.pop("SQLALCHEMY_BINDS", None)
    broken = create_app(settings)
    with broken.app_context():
        yield broken.test_client()


@pytest.mark.parametrize("path", ["/", "/uslugi/dowod-osobisty", "/szukaj?q=dowod", "/kiosk/"])
def test_pages_say_try_again_in_a_moment(down, path):
    response = down.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 503, path
    assert response.headers["Retry-After"] == "5"
    assert "Traceback" not in body and "OperationalError" not in body and "nonexistent" not in body
    assert "chwilowo niedostępny" in body or "Spróbuj ponownie" in body


@pytest.mark.parametrize("path", ["/api/v1/cards", "/api/v1/search?q=dowod"])
def test_the_api_answers_json_503(down, path):
    response = down.get(path)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["status"] == 503


def test_the_message_follows_the_interface_language(down):
    body = down.get("/uslugi/dowod-osobisty?lang=en").get_data(as_text=True)
    assert "temporarily unavailable" in body
