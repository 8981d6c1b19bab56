"""Small Streamlit helpers every lesson page shares: header, layout, chart, CSV download, error display.

Keep this file small; anything lesson-specific belongs in the lesson's own files.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from views.figures.theme import PLOTLY_CONFIG


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
