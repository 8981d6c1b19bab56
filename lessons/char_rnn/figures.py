"""Figures for the char-RNN lesson: text coloured by one unit's activation (HTML), next-character
probabilities, how temperature reshapes them, and the letter frequencies the memoryless baseline uses.

Pure functions: arrays in, ``go.Figure`` or an HTML string out. No Streamlit. Every character of user
text goes through ``html.escape`` before it is put into HTML, and through ``plotly_literal`` into a chart label.

Speed: the charts are plain dicts built into a figure in one unvalidated pass (``theme.styled``), which
saves Plotly's validation of every trace and update on each rerun.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lessons.kit.text import plotly_literal
from lessons.kit.theme import (
    BLUE,
    HIGHLIGHT,
    MONO_FAMILY,
    NEUTRAL,
    ORANGE,
    VERMILLION,
    contrast_text,
    diverging_rgb,
    f32,
    styled,
)

VISIBLE = {"\n": "⏎", " ": "␣", "\t": "⇥"}


def show_char(ch: str) -> str:
    """A character as a student can see it in a label: space, newline and tab get visible symbols."""
    return VISIBLE.get(ch, ch)


def _label(ch: str) -> str:
    """A character for a Plotly label or hover text: visible, and literal (a "<" or "&" is not markup)."""
    return plotly_literal(show_char(ch))


def colored_text_html(text: str, values: np.ndarray, limit: float, *, highlight: int | None = None,
                      label: str = "activation") -> str:
    """The text with every character's background coloured by ``values`` (L,) on the diverging scale.

    limit: the value mapped to the ends of the scale (0 is the light middle). highlight: a position to
    outline (the one whose next-character probabilities are shown). Newlines are kept (and shown as ⏎ so
    their colour is visible too). Hovering a character shows its value.
    """
    vals = np.asarray(values, dtype=float)
    if len(vals) != len(text):
        raise ValueError(f"values: expected one value per character ({len(text)}), got {len(vals)}")
    rgb = diverging_rgb(vals, limit)
    spans = []
    for i, ch in enumerate(text):
        r, g, b = (int(round(v)) for v in rgb[i])
        fg = contrast_text(vals[i], limit)
        shown = html.escape(show_char(ch) if ch in ("\n", "\t") else ch)
        ring = f"outline:2px solid {HIGHLIGHT};outline-offset:1px;" if i == highlight else ""
        title = html.escape(f"{label} {vals[i]:+.3f} · {show_char(ch)!r}", quote=True)
        spans.append(f'<span title="{title}" style="background:rgb({r},{g},{b});color:{fg};{ring}'
                     f'border-radius:2px;padding:1px 0">{shown}</span>' + ("\n" if ch == "\n" else ""))
    return ('<div style="font-family:' + html.escape(MONO_FAMILY, quote=True) + ';font-size:15px;line-height:1.75;'
            'white-space:pre-wrap;word-break:break-word;padding:12px 14px;border-radius:8px;'
            'border:1px solid rgba(138,148,163,0.35);max-height:420px;overflow-y:auto" tabindex="0" role="region" '
            'aria-label="Text coloured by one unit\'s value">' + "".join(spans) + "</div>")


def colour_legend_html(limit: float, label: str) -> str:
    """A small gradient bar explaining the colours of ``colored_text_html``."""
    stops = ", ".join(f"rgb({r:.0f},{g:.0f},{b:.0f}) {100 * k / 8:.0f}%"
                      for k, (r, g, b) in enumerate(diverging_rgb(np.linspace(-limit, limit, 9), limit)))
    return ('<div style="display:flex;align-items:center;gap:8px;font-size:13px;opacity:0.85;margin:4px 0 8px">'
            f"<span>{-limit:+.2g}</span>"
            f'<span style="flex:0 0 220px;height:12px;border-radius:6px;background:linear-gradient(90deg, {stops})">'
            f"</span><span>{limit:+.2g}</span><span>· {html.escape(label)}</span></div>")


def top_k_figure(chars: Sequence[str], probs: np.ndarray, true_next: str | None, *,
                 title: str | None = None) -> go.Figure:
    """Horizontal bars of the k most likely next characters (most likely on top); the true one in orange."""
    labels = [f"“{_label(c)}”" for c in chars]
    colours = [VERMILLION if c == true_next else BLUE for c in chars]
    bar = {"type": "bar", "x": f32(probs), "y": labels, "orientation": "h", "marker": {"color": colours},
           "text": [f"{p:.0%}" for p in probs], "textposition": "outside", "cliponaxis": False,
           "hovertemplate": "%{y}: %{x:.1%}<extra></extra>"}
    return styled([bar], title=title, height=60 + 34 * len(chars), x_title="probability", legend=False,
                  hovermode="closest", xaxis={"range": [0, 1.12], "tickformat": ".0%"},
                  yaxis={"autorange": "reversed", "tickfont": {"family": MONO_FAMILY, "size": 15}})


def temperature_figure(chars: Sequence[str], probs: np.ndarray, temperatures: Sequence[float], *,
                       chosen: float | None = None, title: str | None = None) -> go.Figure:
    """Grouped bars: the next-character distribution at several temperatures (probs (len(temps), k))."""
    labels = [f"“{_label(c)}”" for c in chars]
    palette = [BLUE, NEUTRAL, ORANGE, VERMILLION]
    traces = []
    for j, t in enumerate(temperatures):
        is_chosen = chosen is not None and abs(t - chosen) < 1e-9
        traces.append({"type": "bar", "x": labels, "y": f32(probs[j]),
                       "name": f"τ = {t:g}" + (" (yours)" if is_chosen else ""),
                       "marker": {"color": palette[j % len(palette)],
                                  "line": {"color": HIGHLIGHT, "width": 2} if is_chosen else {"width": 0}},
                       "hovertemplate": f"τ = {t:g}<br>%{{x}}: %{{y:.1%}}<extra></extra>"})
    return styled(traces, title=title, legend="under title", height=340, y_title="probability",
                  hovermode="x unified", barmode="group", bargap=0.2,
                  xaxis={"tickfont": {"family": MONO_FAMILY, "size": 15}}, yaxis={"tickformat": ".0%"})


def frequency_figure(chars: Sequence[str], probs: np.ndarray, *, title: str | None = None) -> go.Figure:
    """The most frequent characters of the training text: all the memoryless (unigram) model knows."""
    labels = [_label(c) for c in chars]
    bar = {"type": "bar", "x": labels, "y": f32(probs), "marker": {"color": NEUTRAL},
           "hovertemplate": "%{x}: %{y:.1%}<extra></extra>"}
    return styled([bar], title=title, height=260, y_title="share of characters", legend=False, hovermode="closest",
                  xaxis={"tickfont": {"family": MONO_FAMILY, "size": 15}, "tickangle": 0, "type": "category"},
                  yaxis={"tickformat": ".0%"})
