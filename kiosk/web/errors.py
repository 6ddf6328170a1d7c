"""Error pages in the site's look; JSON for the API. A 500 never shows a stack trace."""

from flask import Flask, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from kiosk.errors import DomainError
from kiosk.extensions import db
from kiosk.outage import database_unavailable, service_unavailable

MESSAGES = {
    400: (_l("Nieprawidłowe zapytanie"), _l("Adres lub parametry są niepoprawne.")),
    403: (_l("Brak dostępu"), _l("Nie masz uprawnień do tej strony.")),
    404: (_l("Nie znaleziono strony"), _l("Takiej strony nie ma albo została wycofana.")),
    405: (_l("Niedozwolona metoda"), _l("Tej strony nie można otworzyć w ten sposób.")),
    409: (_l("Konflikt"), _l("Tej czynności nie można teraz wykonać.")),
    413: (_l("Za duże zapytanie"), _l("Przesłane dane są za duże.")),
    429: (_l("Za dużo prób"), _l("Spróbuj ponownie za chwilę.")),
    500: (_l("Błąd serwera"), _l("Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę.")),
    503: (_l("Chwilowa przerwa"), _l("Serwis jest chwilowo niedostępny. Spróbuj ponownie za kilka sekund.")),
}


# Machine clients (the API, kiosks' heartbeats, probes) get JSON errors, never an HTML page.
JSON_PATHS = ("/api/", "/kiosk/heartbeat", "/healthz", "/readyz")


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith(JSON_PATHS):
        return jsonify({"error": {"status": code, "message": str(message or default)}}), code
    return render_template("web/error.html", code=code, title=title, message=message or default), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        # Domain messages are Polish; other interface languages get the translated generic text.
        return render_error(exc.status_code, exc.message if str(get_locale()) == "pl" else None)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.code or 500, exc.description if exc.code == 400 else None)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        db.session.rollback()
        if database_unavailable(exc):
            app.logger.error("Database unavailable on %s: %s", request.path, exc.__class__.__name__)
            return service_unavailable(render_error(503))
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(500)
