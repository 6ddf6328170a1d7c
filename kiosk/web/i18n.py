"""Interface translations bound once per language for templates.

Flask-Babel's template `_` looks the locale and catalogue up again on every call; a card page makes
about sixty calls, so templates get these helpers instead (same catalogues, same escaping: the message is
escaped and so is each `%(name)s` parameter, as Markup's `%` does). They are made once per catalogue (Flask-Babel
keeps one per language for the life of the process), and each message is looked up and escaped once.
"""

from flask_babel import get_translations
from markupsafe import Markup, escape

MAX_KEPT = 4096  # messages kept per language; templates name a few hundred


def template_gettext() -> dict:
    """`_`, `gettext` and `ngettext` for the current request's language."""
    translations = get_translations()
    helpers = getattr(translations, "_kiosk_template_helpers", None)
    if helpers is None:
        helpers = translations._kiosk_template_helpers = _helpers(translations)
    return helpers


def _helpers(translations) -> dict:
    kept: dict[str, Markup] = {}

    def gettext(message: str, **params) -> Markup:
        text = kept.get(message)
        if text is None:
            if len(kept) >= MAX_KEPT:
                kept.clear()
            text = kept[message] = escape(translations.gettext(message))
        return _format(text, params) if params else text

    def ngettext(singular: str, plural: str, num: int, **params) -> Markup:
        return _format(escape(translations.ngettext(singular, plural, num)), {"num": num, **params})

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _format(message: Markup, params: dict) -> Markup:
    """`message % params` as Markup formats it (numbers as they are, anything else escaped), without the wrapper
    object Markup makes per parameter and per lookup: a results page formats one message per referral card."""
    escaped = {name: value if isinstance(value, int | float) else escape(value) for name, value in params.items()}
    return Markup(str.__mod__(message, escaped))
