"""Templates print escaped values through kiosk.web.templating.escape_output: the same text markupsafe's escape
gives, for every kind of value a template prints, in every construct that prints one."""

import jinja2
import pytest
from flask_babel import lazy_gettext
from markupsafe import Markup, escape

from kiosk.web.templating import escape_output

HOSTILE = "</p><script>alert('x')</script> & \"quoted\" Zażółć"


class OwnHtml:
    def __html__(self):
        return "<b>already safe</b>"


class StrSubclass(str):
    pass


class Plain:
    def __str__(self):
        return "<plain & object>"


VALUES = [HOSTILE, "", StrSubclass(HOSTILE), Markup("<i>kept</i> &amp;"), OwnHtml(), Plain(), 42, -3.5, True, None,
          jinja2.Undefined()]  # fmt: skip


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_escape_output_prints_what_markupsafe_escape_does(value):
    assert escape_output(value) == str(escape(value))
    assert type(escape_output(value)) in (str, Markup)


def test_a_lazy_translation_prints_as_it_did(app):
    with app.test_request_context("/"):
        assert escape_output(lazy_gettext("Szukaj")) == str(escape(lazy_gettext("Szukaj")))


TEMPLATE = """{{ v }}|{{ v|e }}|{{ v ~ "<&>" }}|{{ v|string|upper }}|{% set held %}[{{ v }}]{% endset %}{{ held }}|
{%- macro show(x) %}<{{ x }}>{% endmacro %}{{ show(v) }}|{% for i in [v, 1] %}{{ i }},{% endfor %}|
{%- autoescape false %}{{ v }}{% endautoescape %}|{% autoescape true %}{{ v }}{% endautoescape %}|
{%- if v %}{{ v }}{% else %}{{ "<none>" }}{% endif %}|{{ "<%s>" % v }}|{{ v|safe if v is string else v }}"""


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_the_apps_templates_render_what_plain_jinja_renders(app, value):
    plain = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    with app.test_request_context("/"):
        assert app.jinja_env.from_string(TEMPLATE).render(v=value) == plain.render(v=value)
        assert "escape_output(" in app.jinja_env.compile(TEMPLATE, raw=True)


def test_plain_text_templates_are_not_escaped(app):
    """Okienko.select_jinja_autoescape: a .txt template prints values as they are."""
    code = app.jinja_env.compile("{{ v }}", name="note.txt", raw=True)
    assert "escape_output(" not in code and "escape(" not in code
    assert app.jinja_env.compile("{{ v }}", name="page.html", raw=True).count("escape_output(") == 1


def test_a_render_sees_the_globals_as_jinja_chains_them(app):
    """Globals are read as one dict per render (kiosk.web.templating._Template): a global added after a template
    was loaded still reaches it, a template's own globals win over the environment's, a render's variables win
    over both."""
    env = app.jinja_env
    template = env.from_string("{{ added }}|{{ shared }}|{{ own }}", globals={"shared": "template's", "own": "own"})
    with app.test_request_context("/"):
        env.globals["shared"] = "environment's"
        env.globals["added"] = "added later"
        try:
            assert template.render() == "added later|template&#39;s|own"
            assert template.render(own="<variable>") == "added later|template&#39;s|&lt;variable&gt;"
        finally:
            del env.globals["shared"], env.globals["added"]
        assert template.render() == "|template&#39;s|own"
