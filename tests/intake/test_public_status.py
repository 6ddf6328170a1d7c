"""The public status tells the truth per delivery method: only pickup cases are "ready for pickup"."""

import pytest

from kiosk.intake import services
from kiosk.intake.lookup import public_status_text
from kiosk.intake.models import CaseStatus, Delivery

PICKUP_WORDS = "do odbioru"


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("delivery", list(Delivery))
def test_every_state_and_method_has_a_truthful_sentence(status, delivery):
    text = public_status_text(status, delivery)
    assert text and text.endswith(".")
    if status == CaseStatus.READY and delivery == Delivery.PICKUP:
        assert "gotowy do odbioru" in text
    else:
        assert PICKUP_WORDS not in text
    if status in (CaseStatus.READY, CaseStatus.DELIVERED) and delivery != Delivery.PICKUP:
        word = {Delivery.POST: "pocztą", Delivery.EPUAP: "ePUAP", Delivery.EMAIL: "e-mailem"}[delivery]
        assert word in text
    if status == CaseStatus.DELIVERED and delivery != Delivery.PICKUP:
        assert "wysłany" in text


def test_every_sentence_is_translated(app):
    from babel.support import Translations

    texts = {public_status_text(s, d) for s in CaseStatus for d in Delivery}
    for lang in ("en", "uk"):
        catalogue = Translations.load(app.root_path + "/translations", [lang])
        for text in texts:
            assert catalogue.gettext(text) != text, (lang, text)


def _get(client, case, lang="pl"):
    return client.get("/sprawa", query_string={"nr": case.number, "kod": case.code, "lang": lang}).get_data(
        as_text=True
    )


def _ready(case, desk_user, dept_user):
    services.hand_over(case, dept_user)
    services.mark_ready(case, dept_user)


def test_a_posted_case_says_sent_by_post_with_the_reference(client, db, register, desk_user, dept_user):
    case = register(delivery="post")
    _ready(case, desk_user, dept_user)
    db.session.commit()
    html = _get(client, case)
    assert "zostanie wysłany pocztą" in html and "do odbioru" not in html
    services.deliver(case, desk_user, "post", "RR123456789PL")
    db.session.commit()
    html = _get(client, case)
    assert "Dokument wysłany pocztą." in html and "RR123456789PL" in html and "Numer nadania" in html
    assert "do odbioru" not in html and "gotowy" not in html
    english = _get(client, case, "en")
    assert "sent by post" in english and "RR123456789PL" in english and "site-header" in english


def test_a_pickup_case_is_ready_for_pickup_in_three_languages(client, db, register, desk_user, dept_user):
    case = register()
    _ready(case, desk_user, dept_user)
    db.session.commit()
    assert "gotowy do odbioru" in _get(client, case)
    assert "ready for collection" in _get(client, case, "en")
    assert "готовий до отримання" in _get(client, case, "uk")


def test_an_epuap_delivery_says_so(client, db, register, desk_user, dept_user):
    case = register(delivery="epuap")
    _ready(case, desk_user, dept_user)
    services.deliver(case, desk_user, "epuap", "")
    db.session.commit()
    html = _get(client, case)
    assert "Dokument wysłany przez ePUAP." in html and "Identyfikator wysyłki" not in html
