"""No editor input can put a script, an event handler or a javascript: link on a page."""

import pytest

from kiosk.markdown_render import render_markdown

pytestmark = pytest.mark.db_independent  # no database: the SQLite leg runs it, the PostgreSQL leg need not

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[kliknij](javascript:alert(1))",
    "[kliknij](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<p onclick="alert(1)">tekst</p>',
    "<svg><script>alert(1)</script></svg>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_neutralised(text):
    html = str(render_markdown(text)).lower()
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "data:text", "<style", "<svg"):
        assert needle not in html


def test_ordinary_markdown_keeps_its_structure():
    html = str(render_markdown("## Opłaty\n\n- **17 zł** za [pełnomocnictwo](https://plock.eu)\n"))
    assert "<h2>Opłaty</h2>" in html
    assert '<a href="https://plock.eu" rel="noopener noreferrer">pełnomocnictwo</a>' in html
    assert "<strong>17 zł</strong>" in html
