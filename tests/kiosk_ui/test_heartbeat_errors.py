"""The heartbeat endpoint answers every malformed call with a JSON error, never an HTML page or a 500."""

import json

import pytest

from kiosk.kiosk_ui import services


def heartbeat(client, token, body=None, *, raw=None, method="POST", content_type="application/json"):
    kwargs = {"headers": {"X-Kiosk-Token": token}}
    if raw is not None:
        kwargs.update(data=raw, content_type=content_type)
    elif body is not None:
        kwargs["json"] = body
    return client.open("/kiosk/heartbeat", method=method, **kwargs)


HOSTILE_BODIES = [
    [1, 2], "tekst", 42, None, {"kiosk": ["bok-1"]}, {"kiosk": {"a": 1}}, {"kiosk": "bok-1\x00"},
    {"kiosk": "x" * 10_000}, {"kiosk": "²"},
]  # fmt: skip


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=range(len(HOSTILE_BODIES)))
def test_malformed_bodies_are_json_client_errors(catalogue, client, body):
    response = heartbeat(client, catalogue["token"], raw=json.dumps(body))
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:200]
    assert response.is_json and "error" in response.json


UNPARSEABLE = [(b"{not json", "application/json"), (b"\xff\xfe", "application/json"),
               (b"kiosk=bok-1", "application/x-www-form-urlencoded"), (b"", "text/plain")]  # fmt: skip


@pytest.mark.parametrize("raw,content_type", UNPARSEABLE)
def test_unparseable_bodies_are_json_client_errors(catalogue, client, raw, content_type):
    response = heartbeat(client, catalogue["token"], raw=raw, content_type=content_type)
    assert 400 <= response.status_code < 500 and response.is_json


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_wrong_methods_are_json(catalogue, client, method):
    response = heartbeat(client, catalogue["token"], method=method)
    assert response.status_code == 405 and response.is_json
    assert "<html" not in response.get_data(as_text=True).lower()


def test_an_oversized_body_is_json(catalogue, client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = heartbeat(client, catalogue["token"], raw=b'{"error": "' + b"x" * 4096 + b'"}')
    assert response.status_code == 413 and response.is_json


@pytest.mark.parametrize("version", [2**31, 2**63, 10**30, -1, True, 1.5, "7", [], {"a": 1}])
def test_implausible_versions_are_not_stored_and_never_a_500(catalogue, client, db, version):
    body = {"kiosk": "bok-1", "version": version, "error": "ok\x00ok"}
    response = heartbeat(client, catalogue["token"], body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    db.session.expire_all()
    kiosk = services.find_kiosk("bok-1")
    assert kiosk.content_version is None and kiosk.last_error == "okok"


def test_unknown_kiosk_and_wrong_token_are_json(catalogue, client):
    assert heartbeat(client, catalogue["token"], {"kiosk": "nie-ma"}).json["error"]["status"] == 404
    response = heartbeat(client, "zly-token", {"kiosk": "bok-1"})
    assert response.status_code == 403 and response.json["error"]["message"] == "Nieprawidłowy token kiosku."
