"""User text shown back stays text: no Markdown, HTML, LaTeX or Plotly markup survives the helpers."""

from __future__ import annotations

import re

from lessons.kit.text import excerpt, md_literal, plotly_literal

HOSTILE = ["[click](https://evil.example)", "![p](https://evil.example/x.png)", "**bold** _it_ `code`",
           "<span style='font-size:300px'>x</span>", "$x^2$", "https://evil.example", "# heading", "a\nb"]


def test_markdown_specials_are_all_escaped():
    for text in HOSTILE:
        out = md_literal(text)
        # every ASCII punctuation character is preceded by a backslash, and no raw newline survives
        assert not re.search(r"(?<!\\)[\[\]()!*_`<>$#:]", out.replace("\\\\", "")), out
        assert "\n" not in out
    assert md_literal("1, 2") == "1\\, 2"


def test_excerpts_are_short_and_on_one_line():
    assert excerpt("x" * 10_000) == "x" * 39 + "…"
    assert excerpt("a\n\n b") == "a b"
    assert len(md_literal("y" * 500, limit=40).replace("\\", "")) <= 40


def test_plotly_text_shows_tags_as_text():
    assert plotly_literal("<a href='x'>h</a> & co") == "&lt;a href='x'&gt;h&lt;/a&gt; &amp; co"
