"""Pages whose layout is rendered once per language and path, and only their own blocks on every request.

The search results page is rendered for every search (no two are alike), and most of its template is the
site's layout (web/base.html: header, language links, menu, footer) with some thirty translated strings and
links that depend only on the interface language and the path. `render_in_kept_layout` renders the page once
with a marker in place of each named block, keeps the text around the markers, and from then on renders only
those blocks: the same bytes as `render_template` (tests/search/test_views.py compares them), while a search
page request costs a fifth less CPU (docs/benchmarks.md). Use it only for a template whose layout outside the
named blocks reads nothing but the language and the path; with TEMPLATES_AUTO_RELOAD (editing templates) every
page is rendered whole.
"""

import re

from flask import current_app, request, template_rendered
from flask_babel import get_locale

MARK = "\x00block:{}\x00"
_MARKS = re.compile("\x00block:([a-z_]+)\x00")
MAX_LAYOUTS = 64  # (template, language, path) combinations kept; search has one path and three languages


def render_in_kept_layout(name: str, blocks: tuple[str, ...], **context) -> str:
    """`render_template(name, **context)`, rendering only `blocks` once the layout around them is kept."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_template(name)
    app.update_template_context(context)
    if app.jinja_env.auto_reload:
        page = template.render(context)
    else:
        layout = _layout(app, template, name, blocks, context)
        block_context = template.new_context(context)
        page = "".join(part if i % 2 == 0 else "".join(template.blocks[part](block_context))
                       for i, part in enumerate(layout))  # fmt: skip
    template_rendered.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)
    return page


def _layout(app, template, name: str, blocks: tuple[str, ...], context: dict) -> list[str]:
    """The page's text split around its blocks: [text, block name, text, block name, …, text]."""
    kept = app.extensions.setdefault("web_kept_layouts", {})
    key = (name, blocks, str(get_locale()), request.path)
    layout = kept.get(key)
    if layout is None:
        marked = "".join(f"{{% block {b} %}}{MARK.format(b)}{{% endblock %}}" for b in blocks)
        outline = app.jinja_env.from_string(f"{{% extends {name!r} %}}{marked}")
        layout = _MARKS.split(outline.render(context))
        if len(layout) != 2 * len(blocks) + 1:
            raise RuntimeError(f"{name}: each of the blocks {blocks} must appear exactly once in the page")
        if len(kept) >= MAX_LAYOUTS:
            kept.clear()
        kept[key] = layout
    return layout
