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
        head, rest = _layout(app, name, blocks, context)
        block_context = template.new_context(context)
        page = head + "".join("".join(render(block_context)) + text for render, text in rest)
    template_rendered.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)
    return page


def _layout(app, name: str, blocks: tuple[str, ...], context: dict) -> tuple[str, list[tuple]]:
    """The page's text before its first block, then (render function, text after it) per block in page order; a
    block's function comes from the template that defines it (the page itself or a template it extends)."""
    kept = app.extensions.setdefault("web_kept_layouts", {})
    key = (name, blocks, str(get_locale()), request.path)
    layout = kept.get(key)
    if layout is None:
        marked = "".join(f"{{% block {b} %}}{MARK.format(b)}{{% endblock %}}" for b in blocks)
        outline = app.jinja_env.from_string(f"{{% extends {name!r} %}}{marked}")
        outline_context = outline.new_context(context)
        parts = _MARKS.split("".join(outline.root_render_func(outline_context)))
        found = parts[1::2]
        if sorted(found) != sorted(blocks):
            raise RuntimeError(f"{name}: each of the blocks {blocks} must appear exactly once in the page")
        # Each block's functions, nearest first: the outline's marker, then the page's own or an inherited one.
        layout = parts[0], [(outline_context.blocks[b][1], text) for b, text in zip(found, parts[2::2], strict=True)]
        if len(kept) >= MAX_LAYOUTS:
            kept.clear()
        kept[key] = layout
    return layout
