"""Training curves: a loss per optimizer step with its moving average and validation points, and the thin line
traces they are made of. Used by every lesson that trains a model (live while it trains, and afterwards).

The moving average itself is ``rnn_core.training.ema`` (recipes compute it too). Pure Plotly dicts built in one
unvalidated pass (``theme.styled``): a live chart is redrawn several times a second, and Plotly's validation
would cost several milliseconds each time. No Streamlit.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .logaxes import log_limits, log_ticks
from .theme import BLUE, NEUTRAL, ORANGE, f32, labelled_hline, styled

MAX_LINE_POINTS = 1500  # above this, long curves are thinned (every n-th point) to keep the chart light


def line(x, y, name: str, color: str, *, width: float = 2.0, dash: str | None = None, mode: str = "lines",
         opacity: float = 1.0, hover: str = "%{y:.4g}", showlegend: bool = True) -> dict:
    """A line trace as a dict (WebGL beyond 1000 points), sent as float32, hover "name: value"."""
    return {"type": "scattergl" if len(y) > 1000 else "scatter", "x": f32(x), "y": f32(y), "name": name,
            "mode": mode, "opacity": opacity, "showlegend": showlegend,
            "line": {"color": color, "width": width, **({"dash": dash} if dash else {})},
            "hovertemplate": f"{name}: {hover}<extra></extra>"}


def thin(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep every n-th point (and the last) so a long curve stays under MAX_LINE_POINTS."""
    n = len(x)
    if n <= MAX_LINE_POINTS:
        return x, y
    idx = np.unique(np.r_[np.arange(0, n, -(-n // MAX_LINE_POINTS)), n - 1])
    return x[idx], y[idx]


def _loss_axis(positive: np.ndarray, log: bool) -> dict:
    """Linear, or log with every label full size (Plotly's own 2s and 5s between decades are 9 px)."""
    if not log:
        return {"type": "linear"}
    vals, text = log_ticks(*log_limits(positive, pad=0))
    return {"type": "log", "tickvals": vals, "ticktext": text}


def loss_curves(step_loss: np.ndarray, smooth_loss: np.ndarray, val_steps: np.ndarray, val_loss: np.ndarray,
                *, total_steps: int | None = None, loss_name: str = "MSE", baseline: float | None = None,
                baseline_name: str = "memoryless baseline", title: str | None = None,
                height: int = 330) -> go.Figure:
    """Training loss per optimizer step (faint), its moving average, and the validation loss — log scale
    when the loss falls by more than a factor 20, else linear.

    step_loss, smooth_loss: (S,); val_steps, val_loss: (V,). total_steps fixes the x range (live view).
    baseline: a horizontal reference line, e.g. the memoryless model's validation loss.
    """
    steps = np.arange(1, len(step_loss) + 1)
    xs, ys = thin(steps, np.asarray(step_loss))
    xm, ym = thin(steps, np.asarray(smooth_loss))
    traces = [
        line(xs, ys, "training (each batch)", BLUE, width=1, opacity=0.35),
        line(xm, ym, "training (smoothed)", BLUE, width=2.5),
    ]
    if len(val_loss):
        traces.append(line(val_steps, val_loss, "validation", ORANGE, width=2.5, mode="lines+markers"))
    positive = np.concatenate([np.asarray(step_loss, float), np.asarray(val_loss, float)])
    positive = positive[np.isfinite(positive) & (positive > 0)]
    log = bool(positive.size) and positive.max() / max(positive.min(), 1e-300) > 20
    shapes, notes = [], []
    if baseline is not None and np.isfinite(baseline) and baseline > 0:
        hline, note = labelled_hline(baseline, baseline_name, NEUTRAL, log=log)
        shapes.append(hline)
        notes.append(note)
    return styled(
        traces, title=title, legend="under title", height=height, x_title="optimizer step",
        y_title=f"loss ({loss_name})", hovermode="x unified", yaxis=_loss_axis(positive, log),
        xaxis={"range": [0, total_steps]} if total_steps else None, shapes=shapes or None, annotations=notes or None)
