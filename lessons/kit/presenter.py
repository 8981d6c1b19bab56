"""Presenter mode: a lesson for a projector. A toggle in the sidebar, or ``?present=true`` in a link.

In presenter mode the sidebar starts closed, each lesson's control box folds into one "Controls" strip (see
``layout.control_box``), the page's text is larger, and every chart is redrawn with larger text (at least
MIN_CHART_PX) by ``layout.plot``. The menu never shows visitors the developer items (``client.toolbarMode``).
"""

from __future__ import annotations

import streamlit as st

from lessons.kit.settings import Setting
from lessons.kit.widgets import draw

PRESENT = Setting("present", "Presenter mode", False, "toggle",
                  help="For a projector: larger text and charts, the controls folded into one strip, the sidebar "
                       "closed. A link can ask for it with ?present=true.")
FONT_SCALE = 1.45  # chart text 14 px -> 20 px, 11 px labels -> 16 px
MIN_CHART_PX = 16  # no chart text smaller than this in presenter mode
STYLE = """<style>
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 3rem; padding-right: 3rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label { font-size: 1.3rem; }
[data-testid="stMain"] .katex { font-size: 1.35em; }
[data-testid="stMain"] h1 { font-size: 3.2rem; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.1rem; }
[data-testid="stCaptionContainer"] { font-size: 1.1rem; }
/* A slider's value sits in a box of fixed height above the thumb: at 1.3rem it would touch the rail. */
[data-testid="stMain"] [data-testid="stSliderThumbValue"] p { font-size: 1.05rem; }
[data-testid="stMain"] [data-baseweb="select"] *, [data-testid="stMain"] input { font-size: 1.15rem; }
</style>"""


def requested() -> bool:
    """Whether this view asks for presenter mode (before the toggle is drawn): for the page's sidebar state."""
    if PRESENT.key in st.session_state:
        return bool(st.session_state[PRESENT.key])
    return str(st.query_params.get(PRESENT.key, "")).lower() == "true"


def active() -> bool:
    return bool(st.session_state.get(PRESENT.key, False))


def toggle(where) -> bool:
    """The presenter-mode toggle (bound to the URL) and, when on, the larger page text."""
    on = draw(PRESENT, where)
    if on:
        st.html(STYLE)
    return on
