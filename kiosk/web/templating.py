"""Jinja with two costs of every render taken out: a Markup object per printed value, and a slow copy of the globals.

With autoescaping on, Jinja compiles each `{{ value }}` to markupsafe's `escape(value)`, which returns a Markup
string made in Python (`Markup.__new__`) that the template then only joins into the page. A results page prints
about ninety values, so that wrapper was a sixteenth of its request. Templates compiled by
`KioskEnvironment` print through `escape_output` instead: the same characters (tests/web/test_templating.py
compares them with `str(escape(value))` for hostile values of every kind), as a plain string. Blocks captured into
a variable (`{% set %}…{% endset %}`, macros, `caller()`) are still wrapped in Markup by Jinja, as before.

Each template's globals are a ChainMap over the environment's (so globals added later reach templates loaded
earlier), and Jinja copies them into every render's context key by key, through the ChainMap's Python methods:
9 µs a render here, more than the rest of making the context. `_Template.new_context` reads them as one dict first,
each time (so nothing about which globals a template sees changes).
"""

from collections import ChainMap

from flask.templating import Environment
from jinja2 import Template
from jinja2.compiler import CodeGenerator
from jinja2.runtime import new_context
from markupsafe import Markup

try:  # markupsafe's own escaping of a str, in C where its speedups are built
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - pure-Python markupsafe
    from markupsafe._native import _escape_inner


def escape_output(value) -> str:
    """`str(markupsafe.escape(value))`: a str escaped, an object with `__html__` as it renders itself, anything
    else as its `str()` escaped."""
    if type(value) is str:
        return _escape_inner(value)
    if type(value) is Markup:  # already escaped: translated messages, highlighted titles
        return value
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _escape_inner(str(value))


class _OutputEscapingCodeGenerator(CodeGenerator):
    def visit_Template(self, node, frame=None) -> None:
        self.writeline(f"from {__name__} import escape_output")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:  # else Jinja's own: `str(` or a runtime choice
            self.write("escape_output(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _Template(Template):
    def new_context(self, vars=None, shared=False, locals=None):
        return new_context(self.environment, self.name, self.blocks, vars, shared, _flat(self.globals), locals)


def _flat(globals_):
    """The mapping as one dict, the first map's values winning as in a ChainMap (C-speed updates, not a lookup per
    key)."""
    if not isinstance(globals_, ChainMap):
        return globals_
    flat = {}
    for mapping in reversed(globals_.maps):
        flat.update(mapping)
    return flat


class KioskEnvironment(Environment):
    code_generator_class = _OutputEscapingCodeGenerator
    template_class = _Template
