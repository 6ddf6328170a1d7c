"""Request arguments parsed one way everywhere: bad input is a 400 with a message, never a 500.

Three holes this closes: `str.isdigit()` accepts characters `int()` refuses (`²`) or reads
differently (`٣`); integers beyond the database's range overflow SQLite and PostgreSQL; and NUL
characters, which PostgreSQL refuses in text, reach queries through paths, query strings and forms.
"""

from flask import Flask, Request, abort, current_app, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from kiosk.links import local_target

# The largest id or page the database can hold (PostgreSQL `integer`, the type of every id column).
MAX_DB_INT = 2**31 - 1
_MAX_DIGITS = len(str(MAX_DB_INT))


def parse_int(raw, minimum: int = 1, maximum: int = MAX_DB_INT) -> int | None:
    """`raw` as a whole number from `minimum` to `maximum` written in ASCII digits; None for anything else."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return None
    if isinstance(raw, str):
        if not (0 < len(raw) <= _MAX_DIGITS and raw.isascii() and raw.isdigit()):
            return None
        raw = int(raw)
    return raw if minimum <= raw <= maximum else None


def int_arg(name: str, default: int, maximum: int = MAX_DB_INT) -> int:
    """A positive whole-number query argument (absent or empty: `default`); anything else is a 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = parse_int(raw, 1, maximum)
    if value is None:
        abort(400, _("Parametr „%(name)s” musi być liczbą od 1 do %(maximum)s.", name=name, maximum=maximum))
    return value


def id_arg(name: str, source: MultiDict | None = None) -> int | None:
    """An optional record id from the query string (or `source`): None when absent or not a valid id."""
    return parse_int((request.args if source is None else source).get(name))


def int_list(values, minimum: int = 0, maximum: int = MAX_DB_INT) -> list[int]:
    """The valid whole numbers among `values` (e.g. ticked checklist positions); the rest are ignored."""
    return [n for n in (parse_int(v, minimum, maximum) for v in values) if n is not None]


def link_args(*drop: str) -> dict:
    """The query arguments to carry into `url_for`: never its own `_external`, `_anchor`, `_method`, `_scheme`
    options, nor names the caller passes itself (`drop`)."""
    return {k: v for k, v in request.args.items() if not k.startswith("_") and k not in drop}


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` path parts: ASCII digits only and within the database's range (else a 404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DB_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def free_text(*names: str):
    """Mark query arguments a view passes to a service that cleans any text (search: control characters
    dropped), so the NUL guard lets them through: any text a resident types is a valid query."""

    def decorator(view):
        view.free_text_args = frozenset(names)
        return view

    return decorator


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def nul_message() -> str:
    return _("Adres lub formularz zawiera niedozwolony znak (NUL).")


def refuse_nul_bytes():
    """A second line behind the parsers: NUL anywhere in the path or the query string is a 400."""
    view = current_app.view_functions.get(request.endpoint or "")
    free = getattr(view, "free_text_args", frozenset())
    args = request.args
    values = (v for k, v in args.items(multi=True) if k not in free)
    if "\x00" in request.path or _has_nul(args.keys()) or _has_nul(values):
        abort(400, nul_message())


class GuardedRequest(Request):
    """Form fields with NUL are a 400 when the form is first read (so a view's own body limit still applies
    first); the form is then empty for anyone who reads it again."""

    def _load_form_data(self) -> None:
        parsed_before = "form" in self.__dict__
        super()._load_form_data()
        form = self.__dict__.get("form")
        if not parsed_before and form and (_has_nul(form.keys()) or _has_nul(v for _k, v in form.items(multi=True))):
            self.__dict__["form"] = self.parameter_storage_class()
            raise BadRequest(nul_message())


def here() -> str:
    """The request's path for links back to the same page ("?lang=en", "?page=2"), or "/" when it is no safe site
    path: an error page for `/\\evil.example` must not link to `/\\evil.example?lang=en`, which browsers read as
    `//evil.example`."""
    return local_target(request.path, "/")


def init_app(app: Flask) -> None:
    """Bounded `<int:...>` converters (before any blueprint adds rules), the NUL guards, `link_args` in templates."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = GuardedRequest
    app.before_request(refuse_nul_bytes)
    app.jinja_env.globals["link_args"] = link_args
    app.jinja_env.globals["here"] = here
