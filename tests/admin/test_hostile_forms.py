"""Back-office edit forms of every shared-fact screen: a hostile value in any one field is never a 500."""

from flask_admin.contrib.sqla import ModelView

from kiosk.accounts.models import Role
from tests.admin.conftest import admin_form_data, form_data
from tests.backoffice import csrf_token

HOSTILE = ["99999999999999999999", "²", "a\x00b", "1e999", " JaVaScRiPt:x", "\x01javascript:x", "x" * 5000]
EDITOR_HOSTILE = ["99999999999999999999", "²", " JaVaScRiPt:x", "x" * 25_000]  # NUL: refused before any view


def test_every_field_of_every_shared_fact_form_survives_hostile_values(app, db, factory, as_user):
    factory.published_card("dowod")
    client = as_user("admin", list(Role))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # count a crash as a 500 instead of stopping at the first
    failures, tried = [], 0
    for view in [v for v in app.extensions["admin"][0]._views if isinstance(v, ModelView) and v.can_edit]:
        first = db.session.scalar(db.select(view.model).limit(1))
        if first is None:
            continue
        edit = f"/admin/{view.endpoint}/edit/?id={first.id}"
        page = client.get(edit)
        assert page.status_code == 200, (edit, page.get_data(as_text=True)[:500])
        base = admin_form_data(page.get_data(as_text=True))
        saved = client.post(edit, data={**base, "csrf_token": csrf_token(client, edit)})
        assert saved.status_code == 302, (edit, saved.get_data(as_text=True)[-3000:])  # the untouched form saves
        token = csrf_token(client, edit)
        for name in [n for n in base if n != "csrf_token"]:
            for value in HOSTILE:
                status = client.post(edit, data={**base, name: value, "csrf_token": token}).status_code
                tried += 1
                if status >= 500:
                    failures.append((edit, name, value[:20], status))
    assert tried > 100 and not failures, failures


def test_every_field_of_the_card_editor_and_translation_screen_survives_hostile_values(app, db, factory, as_user):
    from .test_cards import edit_form, open_draft

    card = factory.published_card("dowod")
    client = as_user("ewa", [Role.EDITOR])
    app.config["PROPAGATE_EXCEPTIONS"] = False
    open_draft(client, card)
    failures, tried = [], 0
    screens = [(f"/admin/cards/{card.id}/edit", lambda: edit_form(client, card)),
               (f"/admin/translations/{card.id}/uk/save", None)]  # fmt: skip
    for path, form in screens:
        page = f"/admin/translations/{card.id}/uk/" if form is None else path
        read = form or (lambda: form_data(client.get(page).get_data(as_text=True), "translation-form"))  # noqa: B023
        base, token = read(), csrf_token(client, page)  # one token per session
        for name in [n for n in base if n != "csrf_token"]:
            for value in EDITOR_HOSTILE:
                status = client.post(path, data={**base, name: value, "csrf_token": token}).status_code
                tried += 1
                if status >= 500:
                    failures.append((path, name, value[:20], status))
                if status == 302:  # saved: the next post starts from the new version, not a conflict
                    base = read()
    assert tried > 50 and not failures, failures
