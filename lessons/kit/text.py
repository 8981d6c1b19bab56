"""User text shown back as text: never as Markdown, HTML, LaTeX or Plotly markup.

Whatever a student types, uploads or puts in a link (typed numbers, file names, CSV headers and cells, pasted
prose) may contain ``**``, ``[a](https://…)``, ``![img](…)``, ``<span style=…>``, ``$…$`` — each would be
interpreted by st.markdown / st.error / st.caption or by Plotly's text renderer. These helpers make it inert,
and ``excerpt`` keeps what is quoted short. Pure Python.
"""

from __future__ import annotations

import html
import re

EXCERPT = 40  # characters of user text quoted in a message

# CommonMark lets a backslash escape any ASCII punctuation, which then shows as itself. Escaping every one of
# them breaks link, image, emphasis, HTML and LaTeX ($) syntax. GitHub-flavoured Markdown still turns bare
# "https://…", "www.…" and "a@b.c" into links after escapes are resolved, so an invisible WORD JOINER (U+2060)
# goes after every ':', '.' and '@': the text reads the same, and no autolink pattern matches any more.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK_BREAKERS = re.compile(r"(\\[:.@])")
JOINER = "\u2060"


def excerpt(text: object, limit: int = EXCERPT) -> str:
    """At most ``limit`` characters of ``text`` on one line, with … where it was cut."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def md_literal(text: object, limit: int | None = None) -> str:
    """``text`` for Streamlit Markdown (st.markdown, st.caption, st.error …) so that it shows literally."""
    flat = excerpt(text, limit) if limit else " ".join(str(text).split())
    return _AUTOLINK_BREAKERS.sub(r"\1" + JOINER, _PUNCTUATION.sub(r"\\\1", flat))


def plotly_literal(text: object, limit: int | None = None) -> str:
    """``text`` for a Plotly title, axis title, legend entry or hover label: tags and entities shown as text."""
    flat = excerpt(text, limit) if limit else str(text)
    return html.escape(flat, quote=False)
