"""Unrolled — the entry point: page config, the sidebar brand and the navigation. Nothing else.

Every lesson lives in one folder, lessons/<name>/: its recipe (NumPy + rnn_core), its figures (Plotly), its
settings and its page script(s). The engine is rnn_core/; what lessons share is lessons/kit/.
"""

from pathlib import Path

import streamlit as st

from lessons.catalog import LESSONS, by_url
from lessons.kit import blas, chrome, path, presenter, share, tasks, widgets  # noqa: F401 - blas: one thread

ROOT = Path(__file__).parent


def build_pages() -> dict[str, list[st.Page]]:
    """Navigation sections -> pages.

    Only lessons whose file exists are listed, so the app keeps running while later lessons are
    still being written (and a half-finished checkout never shows a dead link).
    """
    sections: dict[str, list[st.Page]] = {}
    for lesson in LESSONS:
        if not (ROOT / lesson.path).exists():
            continue
        page = st.Page(lesson.path, title=lesson.title, icon=lesson.icon, default=lesson.url_path == "",
                       **({"url_path": lesson.url_path} if lesson.url_path else {}))
        sections.setdefault(lesson.section, []).append(page)
    return sections


st.set_page_config(
    page_title="Unrolled · inside recurrent neural networks",
    page_icon=str(ROOT / "assets/logo_icon.svg"),  # a local file: a material icon would be fetched from Google
    layout="wide",
    # open on a laptop, closed on a phone (where it would cover 77 % of the screen) and in presenter mode
    initial_sidebar_state="collapsed" if presenter.requested() else "auto",
    menu_items={"About": "**Unrolled** — see inside recurrent neural networks, one time step at a time."},
)

chrome.install()
widgets.new_run()
st.logo(str(ROOT / "assets/logo.svg"), size="large", icon_image=str(ROOT / "assets/logo_icon.svg"))
with st.sidebar:
    st.caption("See inside recurrent neural networks, one time step at a time.")
    presenter.toggle(st.sidebar)
    share.share_button(st.sidebar)

page = st.navigation(build_pages(), position="sidebar", expanded=True)
page.run()
tasks.section(tasks.of_lesson(Path(by_url(page.url_path).path).parent.name, page.url_path))
path.footer(page.url_path)
# After the page, so that a task solved in this run already counts.
tasks.sidebar_progress(st.sidebar, {le.url_path: tasks.of_lesson(Path(le.path).parent.name, le.url_path)
                                    for le in LESSONS})
widgets.sync_address()  # last: the address bar names exactly the view drawn (a "Try this" link left it bare)
