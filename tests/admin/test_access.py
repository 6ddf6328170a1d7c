"""Every URL under /admin: logged-out visitors go to the log-in page; roles that may not use it get 403."""

import re

import pytest
from sqlalchemy import func, select

from kiosk.accounts.models import Role
from kiosk.audit import AuditRecord

from .conftest import csrf_token

E, A, P, F, ADM = Role.EDITOR, Role.APPROVER, Role.PUBLISHER, Role.FRONT_DESK, Role.ADMINISTRATOR
EVERYONE = "any logged-in person"
FACTS = ("locations", "departments", "categories", "life_situations", "legal_acts", "shared_fees")
MODEL_VIEW_ROUTES = ("index_view", "action_view", "ajax_lookup", "ajax_update", "delete_view", "details_view",
                     "edit_view", "export", "create_view")  # fmt: skip

# Public on purpose: the log-in page itself and the static assets it needs.
PUBLIC = {"admin_auth.login", "admin.static", "admin_auth.static"}

# Screens of other packages under /admin open to any logged-in person (they check ownership themselves).
OTHER_PACKAGES = {"freshness.my_cards": EVERYONE}

ALLOWED = {
    "admin_auth.logout": EVERYONE,
    "admin_auth.password": EVERYONE,
    "admin.index": set(Role),  # department staff are sent on to the intake queue
    "cards.index_view": {E, A, P},
    "cards.card": {E, A, P},
    "cards.history": {E, A, P},
    "cards.diff": {E, A, P},
    "cards.new": {E},
    "cards.edit": {E},
    "cards.open_draft": {E},
    "cards.preview": {E},
    "cards.submit": {E},
    "cards.approve": {A},
    "cards.send_back": {A},
    "cards.publish": {P},
    "cards.withdraw": {P},
    "cards.publish_due": {P},
    "cards.revert": {E},
    "users.index": {ADM},
    "users.edit": {ADM},
    "users.disable": {ADM},
    "users.unlock": {ADM},
    **{f"{view}.{route}": {ADM} for view in FACTS for route in MODEL_VIEW_ROUTES},
    **{f"audit.{route}": {ADM, P} for route in MODEL_VIEW_ROUTES},
}


def admin_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin")]


# The back office's own views (admin/); other packages mount screens under /admin too (intake, freshness,
# the kiosk fleet). All of them are checked for the log-in redirect and for 403 to a person with no role.
OWN_BLUEPRINTS = {"admin", "admin_auth", "cards", "users", "audit", *FACTS}


def test_the_table_covers_every_back_office_url(app):
    endpoints = {r.endpoint for r in admin_rules(app) if r.endpoint.split(".")[0] in OWN_BLUEPRINTS}
    assert endpoints - PUBLIC == set(ALLOWED), "a new /admin URL needs an entry in ALLOWED"


@pytest.fixture
def targets(app, db, factory, make_user):
    card = factory.published_card("dowod")
    user = make_user("someone", [E])
    return {"card_id": card.id, "edition_id": card.live_edition_id, "user_id": user.id, "export_type": "csv"}


def urls(app, targets):
    for rule in sorted(admin_rules(app), key=lambda r: r.rule):
        if rule.endpoint in PUBLIC:
            continue
        url = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: placeholder(targets, *m.groups()), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def placeholder(targets, converter, name):
    if name in targets:
        return str(targets[name])
    return "1" if converter == "int" else "x"


def call(client, method, url):
    token = csrf_token(client)  # a valid token, so the check under test is the log-in / role check
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token, "comment": "x"})


def test_logged_out_visitors_are_sent_to_log_in(app, targets):
    client = app.test_client()
    checked = 0
    for endpoint, method, url in urls(app, targets):
        response = call(client, method, url)
        assert response.status_code == 302, (endpoint, method, url, response.status_code)
        assert response.headers["Location"].startswith("/admin/login"), (endpoint, url)
        checked += 1
    assert checked > 80


def test_each_role_gets_403_where_it_has_no_business(app, targets, as_user):
    clients = {role: as_user(f"only-{role.value}", [role]) for role in Role}
    clients[None] = as_user("no-roles", [])
    audit_rows = AuditRecord.query.count()
    checked = 0
    for endpoint, method, url in urls(app, targets):
        # Other packages' screens: at least nobody without a role gets in, unless listed as open to all.
        allowed = ALLOWED.get(endpoint, OTHER_PACKAGES.get(endpoint, set(Role)))
        if allowed == EVERYONE:
            continue
        for role, client in clients.items():
            if role in allowed:
                continue
            response = call(client, method, url)
            assert response.status_code == 403, (endpoint, method, url, role, response.status_code)
            checked += 1
    assert checked > 300
    assert AuditRecord.query.count() == audit_rows  # no forbidden request wrote anything


def test_audit_log_cannot_be_changed_even_by_those_who_may_read_it(app, db, targets, as_user):
    client = as_user("admin", [ADM])
    row = db.session.scalar(select(AuditRecord).order_by(AuditRecord.id))
    before = db.session.scalar(select(func.count(AuditRecord.id)))
    assert client.get("/admin/audit/").status_code == 200
    for method, url in [("GET", "/admin/audit/new/"), ("GET", f"/admin/audit/edit/?id={row.id}"),
                        ("POST", "/admin/audit/delete/"), ("POST", "/admin/audit/action/")]:  # fmt: skip
        data = {"csrf_token": csrf_token(client), "id": row.id, "rowid": row.id}
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        assert response.status_code in (302, 403, 404), (url, response.status_code)
    db.session.expire_all()
    assert db.session.get(AuditRecord, row.id) is not None
    assert db.session.scalar(select(func.count(AuditRecord.id))) == before
