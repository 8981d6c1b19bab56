"""Unrolled — the entry point: page config, the sidebar brand and the navigation. Nothing else.

Every lesson is a thin script in views/lessons/; its maths lives in rnn_core/ and its
figures in views/figures/.
"""

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).parent

# One row per lesson: (section, file, title, url_path, icon). The URL paths are fixed
# (classroom links depend on them). Home has url_path "" because it is the default page at "/".
LESSONS = [
    ("Start", "views/lessons/home.py", "Home", "", ":material/home:"),
    ("Recurrent basics", "views/lessons/unrolled.py", "Unrolled RNN", "unrolled", ":material/view_week:"),
    ("Recurrent basics", "views/lessons/bptt.py", "Backpropagation through time", "bptt", ":material/history:"),
    ("Recurrent basics", "views/lessons/vanishing_gradients.py", "Vanishing & exploding gradients",
     "vanishing-gradients", ":material/trending_down:"),
    ("Gated cells", "views/lessons/lstm.py", "LSTM", "lstm", ":material/memory:"),
    ("Gated cells", "views/lessons/gru.py", "GRU", "gru", ":material/tune:"),
    ("Gated cells", "views/lessons/bidirectional.py", "Bidirectional LSTM", "bidirectional", ":material/swap_horiz:"),
    ("Gated cells", "views/lessons/gradient_flow.py", "Gradient flow compared", "gradient-flow",
     ":material/compare_arrows:"),
    ("Practice", "views/lessons/training.py", "Training lab", "training", ":material/model_training:"),
    ("Practice", "views/lessons/char_rnn.py", "Character-level RNN", "char-rnn", ":material/text_fields:"),
]


def build_pages() -> dict[str, list[st.Page]]:
    """Navigation sections -> pages.

    Only lessons whose file exists are listed, so the app keeps running while later lessons are
    still being written (and a half-finished checkout never shows a dead link).
    """
    sections: dict[str, list[st.Page]] = {}
    for section, path, title, url_path, icon in LESSONS:
        if not (ROOT / path).exists():
            continue
        page = st.Page(path, title=title, icon=icon, default=url_path == "",
                       **({"url_path": url_path} if url_path else {}))
        sections.setdefault(section, []).append(page)
    return sections


st.set_page_config(
    page_title="Unrolled · inside recurrent neural networks",
    page_icon=str(ROOT / "assets/logo_icon.svg"),  # a local file: a material icon would be fetched from Google
    layout="wide",
    initial_sidebar_state="expanded",
    menu_items={"About": "**Unrolled** — see inside recurrent neural networks, one time step at a time."},
)

st.logo(str(ROOT / "assets/logo.svg"), size="large", icon_image=str(ROOT / "assets/logo_icon.svg"))
with st.sidebar:
    st.caption("See inside recurrent neural networks, one time step at a time.")

st.navigation(build_pages(), position="sidebar", expanded=True).run()
