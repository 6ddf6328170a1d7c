"""The one rule for every address a card or a shared fact links to (online services, forms, legal acts).

Only `https:`/`http:` absolute addresses with a host, or paths inside this site (`/...`), are accepted.
Everything a browser could run or be redirected through is refused: other schemes in any letter case
(`javascript:`, `data:`, `vbscript:`), protocol-relative `//host`, backslashes (browsers read `\\` as `/`),
white space and control or invisible characters anywhere (browsers strip or skip them, so
`java\\tscript:` still runs), and `user@host` addresses that hide the real host.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from kiosk.errors import ValidationError

MAX_LINK = 500
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
ALLOWED_SCHEMES = ("https", "http")
# Unicode categories refused anywhere: controls, format characters (zero-width, bidi), separators, unassigned.
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}
HINT = "Podaj pełny adres zaczynający się od https:// (albo http://) lub ścieżkę w serwisie zaczynającą się od /."


def check_link(value: str | None, label: str = "Adres", field: str = "url") -> str:
    """`value` if it is a safe link (see the module); "" stays "". A ValidationError with a Polish message otherwise."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{label}: oczekiwano tekstu. {HINT}", field)
    if len(value) > MAX_LINK:
        raise ValidationError(f"{label} może mieć najwyżej {MAX_LINK} znaków.", field)
    bad = next((ch for ch in value if ch.isspace() or unicodedata.category(ch) in REFUSED_CATEGORIES), None)
    if bad is not None:
        message = f"{label} zawiera spację lub niewidoczny znak (U+{ord(bad):04X}) – usuń go. {HINT}"
        raise ValidationError(message, field)
    if "\\" in value:
        raise ValidationError(f"{label} nie może zawierać znaku „\\”. {HINT}", field)
    if value.startswith("/"):
        if value.startswith("//"):
            raise ValidationError(f"{label} zaczynający się od „//” prowadzi do obcej strony. {HINT}", field)
        return value
    scheme = SCHEME.match(value)
    if scheme is None:
        raise ValidationError(f"{label} „{value[:60]}” jest niepełny. {HINT}", field)
    if scheme.group(1).lower() not in ALLOWED_SCHEMES:
        raise ValidationError(f"{label}: niedozwolony rodzaj adresu „{scheme.group(1)[:20]}:”. {HINT}", field)
    _check_host(value, label, field)
    return value


def _check_host(value: str, label: str, field: str) -> None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError:
        raise ValidationError(f"{label} „{value[:60]}” jest niepoprawny. {HINT}", field) from None
    if not value[len(parts.scheme) + 1 :].startswith("//") or not parts.hostname:
        raise ValidationError(f"{label} „{value[:60]}” nie zawiera nazwy serwera. {HINT}", field)
    if "@" in parts.netloc:
        raise ValidationError(f"{label} nie może zawierać nazwy użytkownika ani hasła („…@serwer”). {HINT}", field)


def local_target(value: str | None, default: str, prefix: str = "/") -> str:
    """`value` if it is a path inside this site starting with `prefix`, else `default`.

    For every "back" or "next" address a client sends: the link rule above refuses `//host`, `\\`, and tabs,
    newlines or invisible characters that browsers drop (so `/\\t/host` would become `//host`)."""
    try:
        path = check_link(value)
    except ValidationError:
        return default
    return path if path.startswith(prefix) and path.startswith("/") else default


def email_origin(config) -> str:
    """Where links in e-mails start: `KIOSK_BASE_URL` when the back office has an address of its own, else the
    public address. Never a Host a client sent (mail leaves long after the request), never empty: a site-relative
    link in an e-mail leads nowhere."""
    return config.get("BASE_URL") or config["KIOSK_PUBLIC_URL"]
