"""Two app instances on one PostgreSQL, each with its own index directory, converge."""

import pytest

from kiosk import create_app
from kiosk.extensions import db as _db
from kiosk.search import services


@pytest.fixture
def other_instance(database_url, tmp_path):
    """A second app server: same database, its own index directory."""
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                        "KIOSK_INDEX_DIR": str(tmp_path / "other-index")})  # fmt: skip
    return other  # its engine is disposed with every other engine the test used (tests/conftest.py)


@pytest.mark.postgres
def test_a_card_published_through_one_instance_is_found_through_the_other(app, other_instance, factory):
    services.rebuild()
    with other_instance.app_context():
        services.rebuild()
        assert services.search("wycinka").total == 0
        _db.session.remove()
    factory.published_card("wycinka", title="Wycinka drzew")  # through the first instance
    with other_instance.app_context():
        response = services.search("wycinki drzew")
        assert not response.degraded and response.results[0].slug == "wycinka"
        assert other_instance.extensions["search"].applied_id() == app.extensions["search"].applied_id()
        _db.session.remove()
