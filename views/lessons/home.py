"""Home: what sequential data is, why a model needs memory for it, and a map of the lessons."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from rnn_core.demos import home as demo
from views.figures import home as figs
from views.lessons.common import beside, plot

ROOT = Path(__file__).resolve().parents[2]  # the folder holding app.py; page_link paths are relative to it
WINDOW = 10

# The lesson map: (section, file, title, icon, one-line promise). A card appears only when its page exists.
LESSON_MAP = [
    ("Recurrent basics", "views/lessons/unrolled.py", "Unrolled RNN", ":material/view_week:",
     "One small cell, copied across time with the same weights. Step through it with real numbers."),
    ("Recurrent basics", "views/lessons/bptt.py", "Backpropagation through time", ":material/history:",
     "How the error at the end travels back through every step — and why the gradients add up."),
    ("Recurrent basics", "views/lessons/vanishing_gradients.py", "Vanishing & exploding gradients",
     ":material/trending_down:", "Multiply by 2 fifty times, or by ½: why plain RNNs forget — and how clipping helps."),
    ("Gated cells", "views/lessons/lstm.py", "LSTM", ":material/memory:",
     "A conveyor belt for memory, with gates that decide what to forget, write and read."),
    ("Gated cells", "views/lessons/gru.py", "GRU", ":material/tune:",
     "The LSTM's leaner cousin: one update gate that blends the past with the new."),
    ("Gated cells", "views/lessons/bidirectional.py", "Bidirectional LSTM", ":material/swap_horiz:",
     "Read the sequence forwards and backwards, so every step knows its future too."),
    ("Gated cells", "views/lessons/gradient_flow.py", "Gradient flow compared", ":material/compare_arrows:",
     "RNN, LSTM and GRU side by side: how far back does each one's gradient reach?"),
    ("Practice", "views/lessons/training.py", "Training lab", ":material/model_training:",
     "Train on stock-like prices, sine waves and real data; beat the memoryless baseline."),
    ("Practice", "views/lessons/char_rnn.py", "Character-level RNN", ":material/text_fields:",
     "Teach an LSTM to write, one character at a time, and find the neurons that count quotes."),
]


@st.cache_resource(show_spinner=False)
def figures():
    """The two home figures never change: build them once per server (st.plotly_chart only reads them)."""
    examples = demo.example_sequences()
    stock = examples[0]
    return figs.examples_figure(examples), figs.memory_figure(stock, demo.window_view(stock.values, WINDOW))


def lesson_cards() -> None:
    """Cards grouped by section, three per row, for the lessons that exist."""
    available = [row for row in LESSON_MAP if (ROOT / row[1]).exists()]
    for section in dict.fromkeys(row[0] for row in available):
        st.markdown(f"#### {section}")
        rows = [row for row in available if row[0] == section]
        for start in range(0, len(rows), 3):  # one st.columns per row, so cards in a row share a height
            cols = st.columns(3, gap="medium")
            for col, (_, path, title, icon, blurb) in zip(cols, rows[start:start + 3], strict=False):
                with col.container(border=True, height="stretch"):
                    st.page_link(path, label=f"**{title}**", icon=icon)
                    st.caption(blurb)


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
if (ROOT / "views/lessons/unrolled.py").exists():
    st.page_link("views/lessons/unrolled.py", label="Start with the unrolled RNN", icon=":material/arrow_forward:")

st.divider()
st.header("Data that comes in order", anchor=False)
visual, text = beside((3, 2))
with visual:
    plot(figures()[0], key="home_examples", alt="a stock price, a temperature and an audio wave")
with text:
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
visual, text = beside((3, 2))
with visual:
    plot(figures()[1], key="home_memory",
         alt="a memoryless model sees a short window; a hidden state summarises the whole history")
with text:
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
