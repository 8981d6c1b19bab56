"""Small Streamlit helpers every lesson page shares: header, layout, chart, CSV download, error display.

Keep this file small; anything lesson-specific belongs in the lesson's own files.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from views.figures.theme import PLOTLY_CONFIG

P = TypeVar("P")

# Input patterns of the gated-cell lessons: shown label (also what the URL holds) -> the demo's pattern name.
SEQUENCE_PATTERNS = {
    "early pulse": "pulse",
    "pulse + noise": "pulse + noise",
    "step": "step",
    "sine wave": "sine",
    "noise": "noise",
    "my own numbers": "custom",
}
MEAN_OF_UNITS = "the mean over all units"


def lesson_header(title: str, tagline: str, *, icon: str | None = None) -> None:
    """The same title + one-line promise at the top of every lesson."""
    st.title(f"{icon} {title}" if icon else title, anchor=False)
    st.markdown(f"<p style='font-size:1.15rem;opacity:0.8;margin-top:-0.6rem'>{tagline}</p>",
                unsafe_allow_html=True)


def beside(ratio: tuple[float, float] = (3, 2), *, gap: str = "large"):
    """Two columns: the visual (wider) and its explanation. ``visual, text = beside()``."""
    return st.columns(ratio, gap=gap, vertical_alignment="top")


def plot(fig: go.Figure, *, key: str, alt: str | None = None) -> None:
    """Show a Plotly figure full-width with the house toolbar; ``key`` keeps two similar charts apart."""
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, theme="streamlit",
                    **({"alt": alt} if alt else {}))


def lesson_body(fn):
    """Decorator for a page's lesson (everything below its header and introduction): it runs as a fragment,
    so moving one of its widgets reruns this part only, not the app shell, header and introduction.
    Measured: about 40 ms less per slider nudge on /unrolled (benchmarks/nudge.py)."""
    return st.fragment(fn)


def csv_download(df: pd.DataFrame, *, file_name: str, key: str, label: str = "Download the data (CSV)") -> None:
    """A download button for the data behind a chart; the index is written only when it is named."""
    data = df.to_csv(index=df.index.name is not None).encode("utf-8")
    st.download_button(label, data=data, file_name=file_name, mime="text/csv", key=key,
                       icon=":material/download:", on_click="ignore")  # no rerun just to download


@contextmanager
def user_errors(stop: bool = True) -> Iterator[None]:
    """Turn a ValueError (bad typed input, impossible settings) into a friendly ``st.error``.

    The engine's messages name the argument and what was expected, so they are shown as they are.
    With ``stop=True`` the rest of the page is skipped, since its charts would need the bad value.
    """
    try:
        yield
    except ValueError as err:
        st.error(f"{err}", icon=":material/error:")
        if stop:
            st.stop()


def sequence_picker(container, patterns: dict[str, str], *, prefix: str, example: str,
                    help: str | None = None) -> tuple[str, str]:
    """The input-sequence select box (``{prefix}_pattern``) and, for "custom", a text box of typed numbers
    (``{prefix}_numbers``, starting as ``example``). Returns (pattern name, typed text or "")."""
    label = container.selectbox("Input sequence $x_t$", list(patterns), key=f"{prefix}_pattern",
                                bind="query-params", help=help)
    pattern = patterns[label]
    text = ""
    if pattern == "custom":
        text = container.text_input("Numbers, separated by commas", example, key=f"{prefix}_numbers",
                                    bind="query-params")
    return pattern, text


def step_slider(container, label: str, T: int, default: int, key: str) -> int:
    """A URL-bound step slider 0..T−1 that survives T shrinking below the remembered step (clamped)."""
    if T < 2:
        return 0
    if st.session_state.get(key, 0) > T - 1:
        st.session_state[key] = T - 1  # no default passed below: Streamlit warns when both are set
        return container.slider(label, 0, T - 1, key=key, bind="query-params")
    return container.slider(label, 0, T - 1, min(default, T - 1), key=key, bind="query-params")


def step_and_unit(prefix: str, steps: int, hidden: int) -> tuple[int, int | None]:
    """The step slider (``{prefix}_t``) beside the choice of whose numbers the cell diagram shows
    (``{prefix}_unit``). Returns (t, unit index, or None for the mean over all units)."""
    a, b = st.columns([3, 1.2], gap="large", vertical_alignment="bottom")
    t = step_slider(a, "Step t (moves the cursor in every chart below)", steps, 1, f"{prefix}_t")
    options = [f"unit {k + 1}" for k in range(hidden)] + [MEAN_OF_UNITS]
    choice = b.selectbox("Numbers in the diagram for", options, key=f"{prefix}_unit", bind="query-params")
    return t, None if choice == MEAN_OF_UNITS else int(choice.split()[1]) - 1


def step_unit_table(x: np.ndarray, series: dict[str, np.ndarray], steps: int, hidden: int) -> pd.DataFrame:
    """Long table, one row per (step, unit): t, unit, the input x_t (T,), then each (T, H) series flattened."""
    df = pd.DataFrame({"t": [t for t in range(steps) for _ in range(hidden)],
                       "unit": list(range(1, hidden + 1)) * steps,
                       "x": [float(x[t]) for t in range(steps) for _ in range(hidden)]})
    for name, values in series.items():
        df[name] = values.reshape(-1)
    return df


def live_updates(progress: Iterable[P], every: float) -> Iterator[P]:
    """The training progress reports worth drawing: at most one every ``every`` seconds, and always the last
    (redrawing on every step would cost more than the training)."""
    last = 0.0
    for p in progress:
        now = time.perf_counter()
        if now - last < every and p.step < p.total_steps:
            continue
        last = now
        yield p
