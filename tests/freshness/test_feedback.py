"""Resident feedback: a short form, no personal data asked, safe against abuse."""

from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.freshness.models import Feedback

from .conftest import token_from


def send(client, slug="dowod", address="10.0.0.1", token=None, **fields):
    token = token if token is not None else token_from(client, f"/uslugi/{slug}/zgloszenie")
    data = {"message": "Zmieniły się godziny kasy.", "contact": "", "csrf_token": token, **fields}
    return client.post(f"/uslugi/{slug}/zgloszenie", data=data, environ_base={"REMOTE_ADDR": address})


def count() -> int:
    return db.session.scalar(select(func.count(Feedback.id)))


def test_feedback_lands_in_the_inbox(client, factory, at_now):
    factory.published_card("dowod")
    response = send(client, contact="jan@example.com", channel="kiosk", back="/kiosk/karty/dowod")
    assert response.status_code == 200
    assert "Dziękujemy" in response.get_data(as_text=True)
    assert 'href="/kiosk/karty/dowod"' in response.get_data(as_text=True)
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.message, feedback.contact, feedback.channel) == ("Zmieniły się godziny kasy.", "jan@example.com",
                                                                      "kiosk")  # fmt: skip
    assert "10.0.0.1" not in (feedback.address_hash or "")


def test_form_asks_for_no_personal_data(client, factory, at_now):
    factory.published_card("dowod")
    html = client.get("/uslugi/dowod/zgloszenie").get_data(as_text=True)
    assert 'name="csrf_token"' in html and 'name="strona_www"' in html
    assert "nieobowiązkowo" in html and "Nie podawaj danych osobowych" in html
    assert "pesel" not in html.lower()


def test_honeypot_is_thanked_and_dropped(client, factory, at_now):
    factory.published_card("dowod")
    assert send(client, strona_www="http://spam.example").status_code == 200
    assert count() == 0


def test_100_kb_is_refused_with_a_message(client, factory, at_now):
    factory.published_card("dowod")
    response = send(client, message="x" * 100_000)
    assert response.status_code == 413
    assert "za duże" in response.get_data(as_text=True)
    response = send(client, message="x" * 5_000)
    assert response.status_code == 400 and "najwyżej 2000" in response.get_data(as_text=True)
    assert count() == 0


def test_empty_message_is_refused(client, factory, at_now):
    factory.published_card("dowod")
    response = send(client, message="   ")
    assert response.status_code == 400 and "Napisz, co" in response.get_data(as_text=True)


def test_fifty_a_minute_from_one_address_are_rate_limited(client, factory, at_now):
    factory.published_card("dowod")
    token = token_from(client, "/uslugi/dowod/zgloszenie")
    codes = [send(client, token=token).status_code for _ in range(50)]
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
    assert count() == 5
    assert send(client, token=token, address="10.0.0.2").status_code == 200


def test_missing_csrf_keeps_the_text(client, factory, at_now):
    factory.published_card("dowod")
    response = send(client, token="nieprawidlowy", message="Zły numer pokoju")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "wygasł" in html and "Zły numer pokoju" in html
    assert count() == 0


def test_script_is_stored_as_text_and_escaped(app, client, factory, at_now, as_user):
    factory.published_card("dowod")
    payload = '<script>alert("x")</script><b onmouseover=alert(1)>hej</b>'
    assert send(client, message=payload, contact='"><img src=x onerror=alert(2)>').status_code == 200
    assert db.session.scalar(select(Feedback.message)) == payload
    html = as_user("redaktor").get("/admin/swiezosc/").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_unknown_or_withdrawn_card_is_404(client, factory, at_now):
    assert client.get("/uslugi/nie-ma/zgloszenie").status_code == 404
    factory.published_card("dowod")
    token = token_from(client, "/uslugi/dowod/zgloszenie")
    assert send(client, slug="nie-ma", token=token).status_code == 404


def test_partial_for_the_kiosk_posts_with_its_channel(app, factory, at_now):
    card = factory.published_card("dowod")
    with app.test_request_context("/kiosk/uslugi/dowod"):
        html = app.jinja_env.get_template("freshness/_feedback_form.html").render(card=card, feedback_channel="kiosk")
    assert 'action="/uslugi/dowod/zgloszenie"' in html
    assert 'name="channel" value="kiosk"' in html and 'name="back" value="/kiosk/uslugi/dowod"' in html
    assert 'name="csrf_token"' in html


def test_standalone_form_returns_to_the_card(client, factory, at_now):
    factory.published_card("dowod")
    assert 'name="back" value="/uslugi/dowod"' in client.get("/uslugi/dowod/zgloszenie").get_data(as_text=True)
    again = send(client, token="zly", back="/uslugi/dowod").get_data(as_text=True)
    assert 'name="back" value="/uslugi/dowod"' in again
    assert 'href="/uslugi/dowod"' in send(client, back="/\\evil.example").get_data(as_text=True)


def test_the_back_link_after_feedback_never_leads_off_the_site(client, factory, at_now):
    """Browsers drop tabs and newlines inside a URL and read `\\` as `/`, so each of these would be `//evil.example`."""
    factory.published_card("dowod")
    hostile = ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example", "//evil.example",
               "https://evil.example/", " /evil.example", "/\x00/evil.example"]  # fmt: skip
    for i, back in enumerate(hostile):
        response = send(client, address=f"10.0.1.{i}", back=back)
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 400), (back, response.status_code)
        assert "evil.example" not in html, back
