"""The public status page: the right pair shows state and dates, never personal data; wrong pairs learn nothing."""

import pytest
from sqlalchemy import select

from kiosk.intake.lookup import GENERIC_FAILURE
from kiosk.ratelimit import Attempt


def _get(client, number, code, address="10.0.0.1"):
    return client.get("/sprawa", query_string={"nr": number, "kod": code}, environ_base={"REMOTE_ADDR": address})


def test_the_right_pair_shows_state_dates_and_missing_items(client, db, register, wednesday):
    case = register(handed_in=[0], applicant_contact="jan@example.pl")
    response = _get(client, case.number.lower(), case.code.lower())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert case.number in html and "niekompletny" in html and "Fotografia" in html and "12.11.2026" in html
    assert "Kowalski" not in html and "jan@example.pl" not in html and "Pani z okienka" not in html


def test_wrong_code_and_unknown_number_get_the_same_answer(client, db, register):
    case = register()
    wrong = _get(client, case.number, "AAAAAAAA")
    unknown = _get(client, "BOK/2026/999999", "AAAAAAAA")
    assert wrong.status_code == unknown.status_code == 404
    body = lambda r: r.get_data(as_text=True).replace(case.number, "N").replace("BOK/2026/999999", "N")  # noqa: E731
    assert body(wrong) == body(unknown)
    assert GENERIC_FAILURE in body(wrong)


def test_wrong_codes_lock_the_source_never_the_applicant(app, client, db, register):
    """Someone typing wrong codes for another person's number locks out only themselves."""
    case = register()
    for _ in range(app.config["INTAKE_LOOKUP_MAX_PER_NUMBER"]):
        assert _get(client, case.number, "WRONGCDE", address="10.6.6.6").status_code == 404
    locked = _get(client, case.number, case.code, address="10.6.6.6")
    assert locked.status_code == 429 and "Zbyt wiele" in locked.get_data(as_text=True)
    assert _get(client, case.number, case.code, address="10.0.2.1").status_code == 200  # the applicant
    assert _get(client, "BOK/2026/999999", "WRONGCDE", address="10.6.6.6").status_code == 404


def test_a_distributed_attack_on_one_number_does_not_lock_the_applicant(app, client, db, register):
    case = register()
    for i in range(30):
        assert _get(client, case.number, "WRONGCDE", address=f"10.0.1.{i}").status_code == 404
    assert _get(client, case.number, case.code, address="10.0.9.9").status_code == 200


def test_attempts_are_limited_per_address(app, client, db, register):
    case = register()
    app.config["INTAKE_LOOKUP_MAX_PER_ADDRESS"] = 3
    for i in range(3):
        _get(client, f"BOK/2026/00000{i + 2}", "WRONGCDE")
    assert _get(client, case.number, case.code).status_code == 429
    assert _get(client, case.number, case.code, address="10.9.9.9").status_code == 200


def test_addresses_are_not_stored_in_the_clear(client, db, register):
    case = register()
    _get(client, case.number, "nope", address="192.168.77.5")
    row = db.session.scalar(select(Attempt))
    assert row.scope == "status" and "192.168" not in row.source and row.success is False


def test_empty_form_and_long_input(client, db):
    assert client.get("/sprawa").status_code == 200
    assert _get(client, "X" * 5000, "Y" * 5000).status_code in (400, 404)


@pytest.mark.parametrize(
    ("minutes", "pl", "en", "uk"),
    [(1, "za 1 minutę", "in 1 minute", "через 1 хвилину"), (2, "za 2 minuty", "in 2 minutes", "через 2 хвилини"),
     (5, "za 5 minut", "in 5 minutes", "через 5 хвилин"), (22, "za 22 minuty", "in 22 minutes", "через 22 хвилини")],
)  # fmt: skip
def test_the_lock_names_the_configured_window(app, client, db, register, minutes, pl, en, uk):
    """The lock says when to try again as configured, declined, on the web and at the kiosk, in each language."""
    case = register()
    app.config["INTAKE_LOOKUP_WINDOW_MINUTES"] = minutes
    app.config["INTAKE_LOOKUP_MAX_PER_NUMBER"] = 1
    assert _get(client, case.number, "WRONGCDE").status_code == 404
    for path in ("/sprawa", "/kiosk/sprawa"):
        for lang, words in (("pl", pl), ("en", en), ("uk", uk)):
            query = {"nr": case.number, "kod": case.code, "lang": lang}
            locked = client.get(path, query_string=query, environ_base={"REMOTE_ADDR": "10.0.0.1"})
            html = locked.get_data(as_text=True)
            assert locked.status_code == 429 and words in html, (path, lang)
            assert "kwadrans" not in html and "quarter" not in html and "чверть" not in html
