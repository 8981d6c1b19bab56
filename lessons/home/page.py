"""Home: what sequential data is, why a model needs memory for it, and a map of the lessons."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lessons.catalog import LESSONS
from lessons.home import figures as figs
from lessons.home import recipe as demo
from lessons.kit.layout import chart_beside

ROOT = Path(__file__).resolve().parents[2]  # the folder holding app.py; page paths are relative to it


@st.cache_resource(show_spinner=False)
def figures():
    """The two home figures never change: build them once per server (st.plotly_chart only reads them)."""
    examples = demo.example_sequences()
    stock = examples[0]
    return figs.examples_figure(examples), figs.memory_figure(stock, demo.window_view(stock.values, demo.WINDOW))


def lesson_cards() -> None:
    """Cards grouped by section, three per row, for the lessons that exist."""
    available = [lesson for lesson in LESSONS[1:] if (ROOT / lesson.path).exists()]
    for section in dict.fromkeys(lesson.section for lesson in available):
        st.markdown(f"#### {section}")
        rows = [lesson for lesson in available if lesson.section == section]
        for start in range(0, len(rows), 3):  # one st.columns per row, so cards in a row share a height
            cols = st.columns(3, gap="medium")
            for col, lesson in zip(cols, rows[start:start + 3], strict=False):
                with col.container(border=True, height="stretch"):
                    st.page_link(lesson.path, label=f"**{lesson.title}**", icon=lesson.icon)
                    st.caption(lesson.blurb)


st.markdown(
    "<h1 style='font-size:3rem;margin-bottom:0'>Unrolled</h1>"
    "<p style='font-size:1.35rem;opacity:0.85;margin-top:0.2rem'>"
    "Recurrent neural networks, opened up one time step at a time.</p>",
    unsafe_allow_html=True,
)
st.markdown(
    "A recurrent network reads a sequence the way you read this sentence: one piece at a time, "
    "carrying what it has understood so far. Here you can watch that happen — every number, every step — "
    "and change the knobs yourself."
)
if (ROOT / "lessons/unrolled/page.py").exists():
    st.page_link("lessons/unrolled/page.py", label="Start with the unrolled RNN", icon=":material/arrow_forward:")

st.divider()
st.header("Data that comes in order", anchor=False)
with chart_beside(figures()[0], key="home_examples", alt="a stock price, a temperature and an audio wave"):
    st.markdown(
        "Most first examples in machine learning use **static** data: a photo, a row in a table. "
        "Each example stands on its own, and shuffling them changes nothing.\n\n"
        "**Dynamic** (sequential) data is different: the *order* carries the meaning, and each value depends "
        "on the ones before it. Think of:\n"
        "- **time series** — temperatures, heartbeats, sensor readings;\n"
        "- **stock prices** — today's price is yesterday's plus a move;\n"
        "- **language** — *“not bad”* and *“bad, not”* use the same words;\n"
        "- **audio** — thousands of air-pressure samples every second."
    )

st.header("Does the model remember?", anchor=False)
with chart_beside(figures()[1], key="home_memory",
                  alt="a memoryless model sees a short window; a hidden state summarises the whole history"):
    st.markdown("**Memoryless models** are shown a fixed window of the most recent values and nothing else.")
    st.latex(r"\hat x_{t+1} = f(x_t, x_{t-1}, \dots, x_{t-k+1})")
    st.markdown(
        "An **autoregressive** model makes $f$ a weighted sum; a **feed-forward network** makes it a "
        "nonlinear function. Both are blind to anything older than $k$ steps, and a longer window "
        "means more weights.\n\n"
        "**Models with memory** keep a *hidden state* $h_t$ and update it with every new value, "
        "using the same weights each time:"
    )
    st.latex(r"h_t = f(h_{t-1}, x_t), \qquad \hat x_{t+1} = g(h_t)")
    st.markdown("That state can, in principle, carry information from arbitrarily far back — "
                "and sequences of any length fit the same network.")

st.divider()
st.header("The lessons", anchor=False)
st.markdown("Each lesson has sliders to play with, the equations with real numbers, and a link you can "
            "share: the URL remembers every setting.")
lesson_cards()
