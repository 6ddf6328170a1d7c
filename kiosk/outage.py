"""A database that is down, restarting or locked answers 503 with Retry-After, never a 500: the same request
may succeed in a moment (RFC 9110 §15.6.4). One rule for the website, the API and the kiosk."""

from flask import make_response
from sqlalchemy.exc import InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: BaseException) -> bool:
    """The database could not be reached or did not answer (restart, network, lock timeout)."""
    return isinstance(exc, OperationalError | InterfaceError)


def service_unavailable(response):
    """A 503 response, from a (body, code) pair or a body, with Retry-After."""
    body = make_response(*response) if isinstance(response, tuple) else make_response(response, 503)
    body.status_code = 503
    body.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return body
