"""Streamlit helpers every lesson page shares: header, the visual beside its explanation, a chart, a CSV
download, error display, throttled live updates.

Keep this file small and lesson-agnostic; anything lesson-specific belongs in the lesson's own folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lessons.kit import presenter
from lessons.kit.text import md_literal
from lessons.kit.theme import PLOTLY_CONFIG, enlarged

P = TypeVar("P")
Args = ParamSpec("Args")
R = TypeVar("R")
MAX_MESSAGE = 600  # characters of an error message shown; the engine quotes at most a short excerpt of input

def lesson_header(title: str, tagline: str, *, icon: str | None = None) -> None:
    """The same title + one-line promise at the top of every lesson."""
    st.title(f"{icon} {title}" if icon else title, anchor=False)
    st.markdown(f"<p style='font-size:1.15rem;opacity:0.8;margin-top:-0.6rem'>{tagline}</p>",
                unsafe_allow_html=True)


def beside(ratio: tuple[float, float] = (3, 2), *, gap: str = "large"):
    """Two columns: the visual (wider) and its explanation. ``visual, text = beside()``."""
    return st.columns(ratio, gap=gap, vertical_alignment="top")


@contextmanager
def chart_beside(fig: go.Figure, *, key: str, alt: str | None = None, ratio: tuple[float, float] = (3, 2),
                 min_width: int | None = None) -> Iterator[None]:
    """A chart in the wider column and, beside it, what the ``with`` block writes (its explanation)::

        with chart_beside(fig, key="vg_norm", alt="..."):
            st.markdown(story)
    """
    visual, text = beside(ratio)
    with visual:
        plot(fig, key=key, alt=alt, min_width=min_width)
    with text:
        yield


def plot(fig: go.Figure, *, key: str, alt: str | None = None, min_width: int | None = None) -> None:
    """Show a Plotly figure full-width with the house toolbar; ``key`` keeps two similar charts apart.
    In presenter mode the chart is redrawn with larger text (``presenter.MIN_CHART_PX`` at least).

    ``min_width`` (px): a diagram that is unreadable when squeezed (one node per column) keeps at least this
    width and scrolls sideways inside its own frame on a narrower screen, instead of overlapping itself."""
    if presenter.active():
        fig = enlarged(fig, presenter.FONT_SCALE, presenter.MIN_CHART_PX)
        min_width = min_width and min_width * presenter.FONT_SCALE  # its nodes and labels grew too
    if min_width:
        box = f"scroller_{key}"
        with st.container(key=box):
            st.html(f"<style>.st-key-{box} [data-testid='stPlotlyChart'] {{ min-width: {int(min_width)}px; }}</style>")
            _chart(fig, key, alt)
    else:
        _chart(fig, key, alt)


def _chart(fig: go.Figure, key: str, alt: str | None) -> None:
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, theme="streamlit",
                    **({"alt": alt} if alt else {}))


@contextmanager
def control_box() -> Iterator[None]:
    """The box that holds a lesson's controls: a bordered box, or in presenter mode one folded "Controls" strip,
    so the projector shows the lesson and the teacher opens the controls only to change something."""
    box = (st.expander("Controls", icon=":material/tune:", expanded=False) if presenter.active()
           else st.container(border=True))
    with box:
        yield


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

    The engine's messages name the argument and what was expected, so they are shown in words — literally:
    they may quote what the student typed, which must not turn into Markdown, a link or LaTeX.
    With ``stop=True`` the rest of the page is skipped, since its charts would need the bad value.
    """
    try:
        yield
    except ValueError as err:
        st.error(md_literal(err, limit=MAX_MESSAGE), icon=":material/error:")
        if stop:
            st.stop()


def checked(fn: Callable[Args, R], *args: Args.args, **kwargs: Args.kwargs) -> R:
    """``fn(*args, **kwargs)`` where bad input may surface: a ValueError is shown and stops the page
    (``user_errors``), so what follows can rely on the result."""
    with user_errors():
        return fn(*args, **kwargs)


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
