"""Interface translations bound once per template render.

Flask-Babel's template `_` looks the locale and catalogue up again on every call; a card page makes
about sixty calls, so templates get these bound helpers instead (same catalogues, same escaping:
the message is escaped and `%(name)s` parameters are escaped by Markup's `%`).
"""

from flask_babel import get_translations
from markupsafe import Markup, escape


def template_gettext() -> dict:
    """`_`, `gettext` and `ngettext` for the current request's language."""
    translations = get_translations()

    def gettext(message: str, **params) -> Markup:
        text = escape(translations.gettext(message))
        return text % params if params else text

    def ngettext(singular: str, plural: str, num: int, **params) -> Markup:
        return escape(translations.ngettext(singular, plural, num)) % {"num": num, **params}

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}
