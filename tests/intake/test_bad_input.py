"""Staff screens of the intake queue: hostile arguments are a 400 or ignored, never a 500."""

import pytest

from .conftest import csrf_token, login


def test_url_for_options_in_the_query_never_reach_url_for(app, db, register):
    register()
    client = login(app, "okienko")
    response = client.get("/admin/bok/kolejki/dzisiaj?_external=1&_anchor=x&_method=POST&_scheme=javascript"
                          "&slug=inne&format=html&page=1")  # fmt: skip
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "_external" not in html and "javascript" not in html and "/kolejki/dzisiaj?" in html
    assert "http://localhost" not in html  # no absolute link made from a client's argument


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "99999999999999999999", "2147483648", "0", "-1"])
def test_page_and_months_that_are_not_plain_numbers_are_a_400(app, db, register, value):
    register()
    client = login(app, "okienko")
    assert client.get(f"/admin/bok/kolejki/dzisiaj?page={value}").status_code == 400
    assert client.get(f"/admin/bok/statystyki?miesiace={value}").status_code == 400


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "99999999999999999999", "abc", "-1"])
def test_filters_that_are_no_id_are_ignored(app, db, register, value):
    case = register()
    client = login(app, "okienko")
    for path in (f"/admin/bok/kolejki/dzisiaj?point={value}&department={value}",
                 f"/admin/bok/statystyki?department={value}"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    assert case.number in client.get(f"/admin/bok/kolejki/dzisiaj?point={value}").get_data(as_text=True)


def test_registration_with_odd_positions_and_point_is_not_a_500(app, db, card, points):
    from kiosk.accounts import services as accounts
    from kiosk.accounts.models import Role
    from tests.backoffice import PASSWORD

    accounts.create_user("okienko", "Pani z okienka", PASSWORD, [Role.FRONT_DESK])
    db.session.commit()
    client = login(app, "okienko")
    form = {"csrf_token": csrf_token(client, "/admin/bok/"), "card": card.slug, "channel": "written",
            "delivery": "pickup", "applicant_name": "Jan", "applicant_contact": "600 100 200"}  # fmt: skip
    for point, doc in (("²", "²"), ("99999999999999999999", "٣"), (str(points["pom-miodowa"].id), "99999999999")):
        response = client.post("/admin/bok/", data={**form, "point": point, "doc": [doc, "0"]})
        assert response.status_code in (302, 400), (point, doc)
