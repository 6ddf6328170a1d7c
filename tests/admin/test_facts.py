"""Shared facts edited by the administrator, and the audit log screen."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.audit import AuditRecord
from kiosk.facts.models import LegalAct, Location, SharedFee

from .conftest import post


def test_service_point_hours_rooms_and_competences(app, db, factory, as_user):
    point = factory.facts()["location"]
    db.session.commit()
    admin = as_user("admin", [Role.ADMINISTRATOR])
    url = f"/admin/locations/edit/?id={point.id}"
    form = {"slug": point.slug, "name": "BOK Stary Rynek", "name_en": "", "short_name": "BOK",
            "address": "Stary Rynek 1", "position": "0", "hours_note": "",
            "rooms_text": "stanowisko 2 | parter\nstanowisko 3", "handles_text": "dowody osobiste\nmeldunki",
            "accessibility": "", "payment": "", "phone": "", "email": "", "latitude": "", "longitude": ""}  # fmt: skip
    form |= {f"hours_{day}": "" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    form |= {"hours_mon": "08:00-15:30", "hours_tue": "08:00-15:30, 16:00-17:00"}
    bad = post(admin, url, {**form, "hours_mon": "8 do 16"}, token_from=url)
    assert bad.status_code == 200 and "Podaj godziny jak 08:00-15:30" in bad.get_data(as_text=True)
    assert post(admin, url, form, token_from=url).status_code == 302
    db.session.expire_all()
    point = db.session.get(Location, point.id)
    # the content files' own format, so `content export` writes what `content import` reads
    assert point.opening_hours == {"mon": ["08:00-15:30"], "tue": ["08:00-15:30", "16:00-17:00"]}
    assert point.rooms == [{"name": "stanowisko 2", "note": "parter"}, {"name": "stanowisko 3", "note": ""}]
    assert point.handles == ["dowody osobiste", "meldunki"]
    assert "08:00-15:30, 16:00-17:00" in admin.get(url).get_data(as_text=True)
    audit = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "update_locations"))
    assert audit.object_id == point.id and audit.actor_name == "Admin"


def test_legal_act_create_and_list(app, db, as_user):
    admin = as_user("admin", [Role.ADMINISTRATOR])
    form = {"slug": "ustawa-o-dowodach", "title": "Ustawa o dowodach osobistych <script>x</script>",
            "reference": "Dz.U. 2022 poz. 671", "url": "", "status": "in_force"}  # fmt: skip
    assert post(admin, "/admin/legal_acts/new/", form, token_from="/admin/legal_acts/new/").status_code == 302
    assert db.session.scalar(select(LegalAct).where(LegalAct.slug == "ustawa-o-dowodach")) is not None
    listing = admin.get("/admin/legal_acts/").get_data(as_text=True)
    assert "Dz.U. 2022 poz. 671" in listing and "<script>x</script>" not in listing
    duplicate = post(admin, "/admin/legal_acts/new/", form, token_from="/admin/legal_acts/new/")
    assert duplicate.status_code in (200, 302)  # a flashed error, never a 500


def test_shared_fee_over_the_amount_limit_is_refused_next_to_the_field(app, db, as_user):
    admin = as_user("admin", [Role.ADMINISTRATOR])
    form = {"slug": "oplata-drogowa", "what": "Opłata drogowa", "amount": "100000000", "how_to_pay": "",
            "exemptions": "", "source": ""}  # fmt: skip
    refused = post(admin, "/admin/shared_fees/new/", form, token_from="/admin/shared_fees/new/")
    assert refused.status_code == 200 and "do 99 999 999,99 zł" in refused.get_data(as_text=True)
    assert db.session.scalar(select(SharedFee)) is None
    form["amount"] = "99999999.99"
    assert post(admin, "/admin/shared_fees/new/", form, token_from="/admin/shared_fees/new/").status_code == 302
    assert db.session.scalar(select(SharedFee.amount)) == Decimal("99999999.99")


def test_audit_log_filters_by_person_card_and_date(app, db, factory, as_user):
    card = factory.published_card("dowod")
    other = factory.published_card("paszport")
    publisher = as_user("piotr", [Role.PUBLISHER])
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "audit")
    index = {(type(f).__name__, f.column.key): i for i, f in enumerate(view._filters)}
    by_card = publisher.get(f"/admin/audit/?flt0_{index['IntEqualFilter', 'card_id']}={card.id}")
    rows = by_card.get_data(as_text=True)
    assert "create_card" in rows and "publish" in rows
    assert rows.count('<td class="col-action">') == 5  # create, open, submit, approve, publish: this card only
    person = other.editions[0].author.display_name
    by_person = publisher.get(f"/admin/audit/?flt0_{index['FilterEqual', 'actor_name']}={person}")
    assert by_person.get_data(as_text=True).count('<td class="col-action">') == 3  # create, open, submit
    future = publisher.get(f"/admin/audit/?flt0_{index['DateTimeGreaterFilter', 'at']}=2099-01-01+00:00:00")
    assert '<td class="col-action">' not in future.get_data(as_text=True)
    listing = publisher.get("/admin/audit/").get_data(as_text=True)
    assert "/admin/audit/delete/" not in listing and "/admin/audit/edit/" not in listing


LOCATIONS_YAML = """\
- slug: pom-miodowa
  name: Punkt Obsługi Mieszkańca „Miodowa”
  address: ul. Miodowa 4, 09-402 Płock
  is_service_point: true
  opening_hours:
    mon: [08:00-15:30]
    thu: [08:00-12:00, 13:00-16:30]
  rooms:
    - name: stanowisko 1
      note: dowody osobiste
"""

EDIT_FORM = {"name": "POM Miodowa", "name_en": "", "short_name": "", "address": "ul. Miodowa 4, 09-402 Płock",
             "is_service_point": "y", "position": "0", "hours_note": "", "handles_text": "", "accessibility": "",
             "payment": "", "phone": "", "email": "", "latitude": "", "longitude": ""}  # fmt: skip


def test_service_point_imported_from_content_files_can_be_edited(app, db, tmp_path, as_user):
    """Opening hours as content files store them ("08:00-15:30") used to make the edit page a 500."""
    from kiosk.content.facts import SPECS, export_facts, read_fact_file, upsert_facts

    (tmp_path / "locations.yaml").write_text(LOCATIONS_YAML, encoding="utf-8")
    upsert_facts(tmp_path, None)
    db.session.commit()
    point = db.session.scalar(select(Location).where(Location.slug == "pom-miodowa"))
    editor = as_user("admin", [Role.ADMINISTRATOR, Role.EDITOR])
    url = f"/admin/locations/edit/?id={point.id}"
    page = editor.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "08:00-12:00, 13:00-16:30" in html and "stanowisko 1 | dowody osobiste" in html
    form = EDIT_FORM | {"slug": point.slug, "rooms_text": "stanowisko 1 | dowody osobiste"}
    form |= {f"hours_{day}": "" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    form |= {"hours_mon": "08:00-15:30", "hours_fri": "08:00-14:30"}
    assert post(editor, url, form, token_from=url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Location, point.id).opening_hours == {"mon": ["08:00-15:30"], "fri": ["08:00-14:30"]}
    assert editor.get(url).status_code == 200
    export_facts(tmp_path)  # what the back office saved reads back from the content files
    spec = next(s for s in SPECS if s.filename == "locations.yaml")
    assert read_fact_file(tmp_path, spec)[0]["opening_hours"] == {"mon": ["08:00-15:30"], "fri": ["08:00-14:30"]}


@pytest.mark.parametrize("query", ["abc", "%C2%B2", "99999999999999999999", "-1", "", "1.5"])
def test_edit_page_with_a_bad_id_is_never_a_500(app, db, as_user, query):
    admin = as_user("admin", [Role.ADMINISTRATOR])
    for view in ("locations", "legal_acts", "departments"):
        assert admin.get(f"/admin/{view}/edit/?id={query}").status_code in (302, 404), (view, query)
