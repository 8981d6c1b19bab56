"""Log axes that never lose a point: a log axis cannot show 0 or inf, so those values become labelled
markers on the bottom / top edge instead of silently disappearing. Pure Plotly dicts; no Streamlit."""

from __future__ import annotations

import math

import numpy as np

from .theme import VERMILLION, send

SMALLEST_FLOOR = 1e-323


def log_limits(*arrays, pad: float = 1.0) -> tuple[float, float]:
    """(floor, ceil) for a log axis holding every finite positive value of ``arrays``.

    ``pad`` decades are added on each side; the floor is where "exactly 0" markers sit and the
    ceiling where overflow (inf/NaN) markers sit. (1e-1, 1e1) when there is nothing positive.
    """
    vals = np.concatenate([np.abs(np.ravel(np.asarray(a, dtype=np.float64))) for a in arrays]) if arrays else []
    good = vals[np.isfinite(vals) & (vals > 0)] if len(vals) else np.array([])
    if good.size == 0:
        return 10.0 ** -pad, 10.0**pad
    lo, hi = math.floor(math.log10(good.min())), math.ceil(math.log10(good.max()))
    # A gradient can reach float64's smallest numbers (5e-324): a floor below 1e-323 would round to 0.
    return max(10.0 ** (lo - pad), SMALLEST_FLOOR), 10.0 ** (hi + pad)


def log_ticks(floor: float, ceil: float) -> tuple[list[float], list[str]]:
    """Tick values and labels for a log axis from ``floor`` to ``ceil`` (powers of ten): every decade, and 2 and 5
    times each decade when the axis spans fewer than three, each labelled in full ("0.2", not a bare "2").
    Plotly's own choice on a short log axis writes 2 and 5 in small type (9 px), too small to read."""
    lo, hi = int(math.floor(math.log10(floor))), int(math.ceil(math.log10(ceil)))
    steps = (1, 2, 5) if hi - lo < 3 else (1,)
    vals = [m * 10.0**e for e in range(lo, hi + 1) for m in steps if m * 10.0**e <= ceil * 1.0001]
    return vals, [_tick_label(v) for v in vals]


def _tick_label(v: float) -> str:
    return f"{v:g}" if 1e-4 <= v < 1e5 else f"{v:.0e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def log_axis_range(floor: float, ceil: float) -> list[float]:
    """Plotly wants a log axis range in decades; a little room so edge markers are not cut."""
    return [math.log10(floor) - 0.4, math.log10(ceil) + 0.4]


def log_traces(
    x, y, *, name: str, color: str, floor: float, ceil: float, dash: str | None = None,
    mode: str = "lines+markers", xaxis: str = "x", yaxis: str = "y", hover: str = "%{y:.3g}",
    special: bool = True, showlegend: bool = True, width: float = 2.5,
) -> list[dict]:
    """Traces for |y| against x on a log axis; zeros and inf/NaN become markers at ``floor`` / ``ceil``.

    The main trace has gaps (NaN) where the value cannot be drawn; the markers are extra traces
    named "<name>: exactly 0" and "<name>: overflow (not finite)".
    """
    x = np.asarray(x)
    y = np.abs(np.asarray(y, dtype=np.float64))
    finite = np.isfinite(y)
    zero = finite & (y == 0)
    bad = ~finite
    shown = np.where(finite & (y > 0), y, np.nan)
    common = {"xaxis": xaxis, "yaxis": yaxis, "legendgroup": name, "showlegend": showlegend}
    out = [{
        "type": "scatter", "x": x, "y": send(shown), "name": name, "mode": mode, "connectgaps": False,
        "line": {"color": color, "width": width, **({"dash": dash} if dash else {})}, "marker": {"size": 5},
        "hovertemplate": f"{hover}<extra>{name}</extra>", **common,
    }]
    if special and zero.any():
        out.append({
            "type": "scatter", "x": x[zero], "y": np.full(int(zero.sum()), floor), "name": f"{name}: exactly 0",
            "mode": "markers", "marker": {"symbol": "triangle-down", "size": 10, "color": color,
                                          "line": {"width": 1, "color": "white"}},
            "hovertemplate": f"exactly 0 (a log axis has no 0)<extra>{name}</extra>", **common,
        })
    if special and bad.any():
        out.append({
            "type": "scatter", "x": x[bad], "y": np.full(int(bad.sum()), ceil),
            "name": f"{name}: overflow (not finite)",
            "mode": "markers", "marker": {"symbol": "triangle-up", "size": 11 if bad.sum() < 40 else 7,
                                          "color": VERMILLION, "line": {"width": 1, "color": "white"}},
            "hovertemplate": f"overflow: not a finite number<extra>{name}</extra>", **common,
        })
    return out
