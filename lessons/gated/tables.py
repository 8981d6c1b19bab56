"""The long tables behind the gated lessons' CSV downloads (pandas; no Streamlit)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def step_unit_table(x: np.ndarray, series: dict[str, np.ndarray], steps: int, hidden: int) -> pd.DataFrame:
    """Long table, one row per (step, unit): t (1..T), unit, the input x_t (T,), then each (T, H) series
    flattened."""
    df = pd.DataFrame({"t": [t + 1 for t in range(steps) for _ in range(hidden)],
                       "unit": list(range(1, hidden + 1)) * steps,
                       "x": [float(x[t]) for t in range(steps) for _ in range(hidden)]})
    for name, values in series.items():
        df[name] = values.reshape(-1)
    return df


def direction_table(x: np.ndarray, forward: np.ndarray, backward: np.ndarray) -> pd.DataFrame:
    """The bidirectional states, long format: one row per (step t = 1..T, direction, unit) with x_t and h."""
    T, H = forward.shape
    rows = [(t + 1, d, k + 1, float(x[t]), float(states[t, k]))
            for t in range(T) for d, states in (("forward", forward), ("backward", backward)) for k in range(H)]
    return pd.DataFrame(rows, columns=["t", "direction", "unit", "x", "h"])
