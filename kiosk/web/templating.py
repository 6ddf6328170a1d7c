"""Jinja printing a value without making a Markup object for it.

With autoescaping on, Jinja compiles each `{{ value }}` to markupsafe's `escape(value)`, which returns a Markup
string made in Python (`Markup.__new__`) that the template then only joins into the page. A results page prints
about ninety values, so that wrapper was a sixteenth of its request. Templates compiled by
`OutputEscapingEnvironment` print through `escape_output` instead: the same characters (tests/web/test_templating.py
compares them with `str(escape(value))` for hostile values of every kind), as a plain string. Blocks captured into
a variable (`{% set %}…{% endset %}`, macros, `caller()`) are still wrapped in Markup by Jinja, as before.
"""

from flask.templating import Environment
from jinja2.compiler import CodeGenerator

try:  # markupsafe's own escaping of a str, in C where its speedups are built
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - pure-Python markupsafe
    from markupsafe._native import _escape_inner


def escape_output(value) -> str:
    """`str(markupsafe.escape(value))`: a str escaped, an object with `__html__` as it renders itself, anything
    else as its `str()` escaped."""
    if type(value) is str:
        return _escape_inner(value)
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


class OutputEscapingEnvironment(Environment):
    code_generator_class = _OutputEscapingCodeGenerator
