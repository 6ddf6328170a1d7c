"""Intake fixtures: the three service points, a published card with two documents, desk and department staff."""

from datetime import datetime

import pytest
from flask.testing import FlaskClient

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.clock import frozen
from kiosk.facts.models import Department, Location
from kiosk.intake import services
from tests.backoffice import PASSWORD, FreshContextClient, csrf_token

# A Wednesday with no holiday near: deadlines count plainly from here.
WEDNESDAY = datetime(2026, 11, 4, 9, 30)


@pytest.fixture(autouse=True)
def fresh_context_client(app):
    app.test_client_class = FreshContextClient


@pytest.fixture
def points(db):
    names = [("bok-stary-rynek", "BOK Stary Rynek"), ("pilsudskiego-6", "Piłsudskiego 6"), ("pom-miodowa", "Miodowa")]
    rows = [Location(slug=slug, name=name, short_name=name, address="Płock", is_service_point=True, position=i)
            for i, (slug, name) in enumerate(names)]  # fmt: skip
    db.session.add_all(rows)
    db.session.commit()
    return {p.slug: p for p in rows}


@pytest.fixture
def card(factory):
    return factory.published_card("dowod-osobisty")


@pytest.fixture
def other_department(db):
    department = Department(slug="wydzial-inny", name="Wydział Inny")
    db.session.add(department)
    db.session.commit()
    return department


@pytest.fixture
def desk_user(db):
    user = accounts.create_user("okienko", "Pani z okienka", PASSWORD, [Role.FRONT_DESK])
    db.session.commit()
    return user


@pytest.fixture
def dept_user(db, card):
    user = accounts.create_user("wydzial", "Pan z wydziału", PASSWORD, [Role.DEPARTMENT_STAFF],
                                departments=[card.owner_department])  # fmt: skip
    db.session.commit()
    return user


@pytest.fixture
def wednesday():
    with frozen(WEDNESDAY):
        yield WEDNESDAY


@pytest.fixture
def register(db, card, points, desk_user):
    """Register (and check) an application the way the counter does; returns the committed case."""

    def make(handed_in=(0, 1), point="bok-stary-rynek", deadline=None, **fields):
        values = {"channel": "written", "delivery": "pickup", "applicant_name": "Jan Kowalski",
                  "applicant_contact": "600 100 200", **fields}  # fmt: skip
        case = services.register_application(card, points[point], desk_user, handed_in=handed_in, deadline=deadline,
                                             **values)  # fmt: skip
        db.session.commit()
        return case

    return make


def login(app, username: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/admin/login")
    response = client.post("/admin/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on a free loopback port; the app is configured to use it."""
    from aiosmtpd.controller import Controller

    from tests.freshness.conftest import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_SENDER="okienko@plock.test",
                      BASE_URL="https://okienko.test")  # fmt: skip
    yield inbox
    controller.stop()
