"""Back-office list and edit screens: hostile paging, sorting, filters and ids are never a 500."""

from flask_admin.contrib.sqla import ModelView

from kiosk.accounts.models import Role

HOSTILE = ["99999999999999999999", "2147483648", "%C2%B2", "-1", "abc"]
LIST_ARGS = ("page", "page_size", "sort", "desc", "search")


def model_views(app):
    return [v for v in app.extensions["admin"][0]._views if isinstance(v, ModelView)]


def test_model_views_survive_hostile_list_arguments(app, db, factory, as_user):
    factory.published_card("dowod")
    client = as_user("admin", list(Role))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # count a crash as a 500 instead of stopping at the first
    failures = []
    for view in model_views(app):
        base = f"/admin/{view.endpoint}/"
        names = [*LIST_ARGS, *(f"flt0_{i}" for i in range(len(view._filters or ())))]
        for name in names:
            for value in HOSTILE:
                status = client.get(f"{base}?{name}={value}").status_code
                if status >= 500:
                    failures.append((base, name, value, status))
        for value in HOSTILE:
            for action in ("edit", "details"):
                status = client.get(f"{base}{action}/?id={value}").status_code
                if status >= 500:
                    failures.append((base, action, value, status))
    assert not failures, failures
