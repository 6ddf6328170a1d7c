"""Flask's signed-cookie sessions, opened without work for the requests that carry no session cookie.

Flask opens the session before every request; its cookie interface builds a signing serializer each time,
even when there is no cookie to read. Public pages are mostly asked for without one (a first visit, nginx,
the kiosk's screens), so such a request gets an empty session straight away; a session written during it
is signed and sent as before.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def register_sessions(app: Flask) -> None:
    app.session_interface = CookieSessions()
