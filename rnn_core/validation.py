"""Input checks shared by every cell. Each error names the argument, what it got and what it expected."""

from __future__ import annotations

import numpy as np


def check_size(name: str, value: object) -> int:
    """A positive integer size such as ``hidden_size``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")
    return int(value)


def check_int(name: str, value: object, lo: int, hi: int | None = None) -> int:
    """An integer in [lo, hi] (no upper bound when ``hi`` is None), such as a sequence length."""
    too_big = hi is not None and not isinstance(value, bool) and isinstance(value, int | np.integer) and value > hi
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < lo or too_big:
        span = f"from {lo} to {hi}" if hi is not None else f"of at least {lo}"
        raise ValueError(f"{name}: expected an integer {span}, got {value!r}")
    return int(value)


def check_number(name: str, value: object, lo: float | None = None, hi: float | None = None) -> float:
    """A finite real number, optionally within [lo, hi], such as a weight set by a slider."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        span = (f"from {lo:g} to {hi:g}" if lo is not None and hi is not None
                else f"of at least {lo:g}" if lo is not None else f"of at most {hi:g}")
        raise ValueError(f"{name}: expected a number {span}, got {value:g}")
    return value


def check_float(name: str, value: object, sign: str = "positive") -> float:
    """A finite number from anything ``float()`` takes (a NumPy scalar, a numeric string), such as a learning
    rate: ``sign`` "positive" (> 0) or "non-negative" (>= 0)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a {sign} number, got {value!r}") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and sign == "positive"):
        raise ValueError(f"{name}: expected a {sign} finite number, got {value!r}")
    return v


def check_choice(name: str, value: object, choices) -> object:
    """One of ``choices``; the error lists them."""
    if value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(map(str, choices))}, got {value!r}")
    return value


def check_finite(name: str, arr: np.ndarray) -> None:
    """Reject NaN/inf in user-supplied data, pointing at the first bad entry."""
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name}: contains NaN or inf (first at index {where}); inputs must be finite")


def as_array(name: str, value: object, dtype: np.dtype) -> np.ndarray:
    """Convert to a float array of ``dtype``; non-numeric input is a ValueError, not a TypeError."""
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name}: expected a numeric array, got {type(value).__name__} ({err})") from None
    return arr


def check_sequence(x: object, input_size: int, dtype: np.dtype) -> tuple[np.ndarray, bool]:
    """Validate ``x`` of shape (T, D) or (T, B, D). Returns it as (T, B, D) and whether it was batched."""
    arr = as_array("x", x, dtype)
    expected = f"(T, {input_size}) or (T, B, {input_size})"
    if arr.ndim not in (2, 3):
        raise ValueError(f"x: expected shape {expected}, got shape {arr.shape} (ndim {arr.ndim})")
    if arr.shape[0] == 0:
        raise ValueError(f"x: the sequence is empty (T = 0, shape {arr.shape}); need at least one time step")
    if arr.shape[-1] != input_size:
        raise ValueError(f"x: expected shape {expected}, got shape {arr.shape} (last axis must be {input_size})")
    if arr.ndim == 3 and arr.shape[1] == 0:
        raise ValueError(f"x: the batch is empty (B = 0, shape {arr.shape})")
    check_finite("x", arr)
    batched = arr.ndim == 3
    return (arr if batched else arr[:, None, :]), batched


def check_state(name: str, value: object, batch: int, hidden: int, batched: bool, dtype: np.dtype) -> np.ndarray:
    """Validate an initial state (h0 or c0): (H,) for unbatched x, (B, H) for batched. Returns (B, H)."""
    if value is None:
        return np.zeros((batch, hidden), dtype=dtype)
    arr = as_array(name, value, dtype)
    expected = (batch, hidden) if batched else (hidden,)
    if arr.shape != expected:
        raise ValueError(f"{name}: expected shape {expected}, got shape {arr.shape}")
    check_finite(name, arr)
    return arr.reshape(batch, hidden)


def check_dh(dh: object, h_shape: tuple[int, ...], dtype: np.dtype, name: str = "dh") -> np.ndarray:
    """Validate the upstream gradient dL/dh_t: same shape as ``trace.h``."""
    arr = as_array(name, dh, dtype)
    if arr.shape != tuple(h_shape):
        raise ValueError(f"{name}: expected shape {tuple(h_shape)} (same as trace.h), got shape {arr.shape}")
    check_finite(name, arr)
    return arr


def check_params(params: dict[str, np.ndarray], shapes: dict[str, tuple[int, ...]], dtype: np.dtype) -> dict:
    """Check every parameter has its expected shape and finite values; returns them cast to ``dtype``."""
    out = {}
    for key, shape in shapes.items():
        if key not in params:
            raise ValueError(f"params: missing {key!r} (expected shape {shape})")
        arr = as_array(f"params[{key!r}]", params[key], dtype)
        if arr.shape != shape:
            raise ValueError(f"params[{key!r}]: expected shape {shape}, got shape {arr.shape}")
        check_finite(f"params[{key!r}]", arr)
        out[key] = arr
    return out


def _nonfinite_steps(arrays: tuple[np.ndarray | None, ...]) -> np.ndarray:
    """Indices along axis 0 holding a non-finite entry in any of ``arrays`` (sorted).

    A step's sum is finite when all its entries are, so one cheap reduction finds the suspects;
    only those are checked entry by entry (a sum can also overflow from finite values).
    """
    arrays = tuple(a for a in arrays if a is not None)
    suspect = np.zeros(arrays[0].shape[0], dtype=bool)
    with np.errstate(all="ignore"):
        for arr in arrays:
            suspect |= ~np.isfinite(arr.sum(axis=tuple(range(1, arr.ndim))))
    steps = np.flatnonzero(suspect)
    if steps.size == 0:
        return steps
    bad = np.zeros(steps.size, dtype=bool)
    for arr in arrays:
        bad |= ~np.isfinite(arr[steps].reshape(steps.size, -1)).all(axis=1)
    return steps[bad]


def first_nonfinite_step(*arrays: np.ndarray | None) -> int | None:
    """Index along axis 0 of the first non-finite entry in any of the arrays, or None when all are finite."""
    steps = _nonfinite_steps(arrays)
    return int(steps[0]) if steps.size else None


def last_nonfinite_step(*arrays: np.ndarray | None) -> int | None:
    """Largest index along axis 0 holding a non-finite entry (where a backward overflow began)."""
    steps = _nonfinite_steps(arrays)
    return int(steps[-1]) if steps.size else None
