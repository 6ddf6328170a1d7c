"""Error pages in the site's look; JSON for the API. A 500 never shows a stack trace."""

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kiosk.errors import DomainError
from kiosk.extensions import db

MESSAGES = {
    400: ("Nieprawidłowe zapytanie", "Adres lub parametry są niepoprawne."),
    403: ("Brak dostępu", "Nie masz uprawnień do tej strony."),
    404: ("Nie znaleziono strony", "Takiej strony nie ma albo została wycofana."),
    405: ("Niedozwolona metoda", "Tej strony nie można otworzyć w ten sposób."),
    409: ("Konflikt", "Tej czynności nie można teraz wykonać."),
    413: ("Za duże zapytanie", "Przesłane dane są za duże."),
    429: ("Za dużo prób", "Spróbuj ponownie za chwilę."),
    500: ("Błąd serwera", "Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę."),
}


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": code, "message": message or default}}), code
    return render_template("web/error.html", code=code, title=title, message=message or default), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        return render_error(exc.status_code, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.code or 500, exc.description if exc.code == 400 else None)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        db.session.rollback()
        return render_error(500)
