"""A request id on every request and log line, and JSON log lines for journald and log shippers.

The id comes from the proxy's X-Request-Id when it looks like one (nginx sets `$request_id`), else a new
one is made; it is answered in X-Request-Id and carried by every log line written while the request runs,
so an error a resident reports ("kod błędu") leads to the traceback in the log, never shown to them.
"""

import json
import logging
import os
import re
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-Id"
VALID_ID = re.compile(r"[A-Za-z0-9._\-]{8,64}")
HANDLER_NAME = "okienko-json"


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _take_request_id)
    app.after_request(_answer_request_id)
    if app.config.get("LOG_FORMAT") == "json":
        install_json_logging(app.logger)


def current_request_id() -> str:
    return g.get("request_id", "") if has_request_context() else ""


def request_id_from(given: str) -> str:
    """The proxy's id when it looks like one, else a new one (also used by kiosk.web.fastlane)."""
    return given if given and VALID_ID.fullmatch(given) else os.urandom(16).hex()  # as random as uuid4, cheaper


def _take_request_id() -> None:
    g.request_id = request_id_from(request.headers.get(HEADER, ""))


def _answer_request_id(response):
    if "request_id" in g:
        response.headers[HEADER] = g.request_id
    return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if has_request_context():
            entry.update(request_id=current_request_id(), method=request.method, path=request.path,
                         remote=request.remote_addr)  # fmt: skip
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def install_json_logging(logger: logging.Logger, stream=None) -> logging.Handler:
    """Replace the logger's handlers with one JSON handler (idempotent: a second app reuses it)."""
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    return handler
