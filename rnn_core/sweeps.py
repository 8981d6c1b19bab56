"""One cell, many recurrent weights, one pass: the states of a vanilla RNN for every scaling of W_hh at once.

A lesson that lets a student sweep the recurrent weight (drag w and watch the whole sequence change) needs the
run for every w on the slider's grid. Looping over ``RNN.forward`` would repeat the input projection and the
Python loop over time once per w; here the factors form the batch axis, so the loop over time runs once.
"""

from __future__ import annotations

import numpy as np

from .rnn import RNN
from .validation import as_array, check_finite, check_params, check_sequence


def sweep_recurrent_scale(cell: RNN, x, scales) -> np.ndarray:
    """Hidden states (S, T, H) of ``cell`` over ``x`` ((T, D), h_0 = 0), once for every factor s in ``scales``
    with W_hh replaced by s · W_hh — the numbers ``cell.forward`` gives with that weight (to rounding: s is
    applied after the product W_hh h_{t-1}; tests check 1e-12). Overflow becomes inf/NaN quietly, as in
    ``forward``.
    """
    if not isinstance(cell, RNN):
        raise ValueError(f"cell: expected a vanilla RNN, got {type(cell).__name__}")
    X, batched = check_sequence(x, cell.input_size, cell.dtype)
    if batched:
        raise ValueError(f"x: expected one sequence (T, {cell.input_size}), got a batch of shape {X.shape}")
    s = as_array("scales", scales, cell.dtype)
    if s.ndim != 1 or s.size == 0:
        raise ValueError(f"scales: expected a non-empty 1-D array, got shape {s.shape}")
    check_finite("scales", s)
    P = check_params(cell.params, cell.param_shapes(), cell.dtype)
    T, H = X.shape[0], cell.hidden_size
    out = np.empty((s.size, T, H), dtype=cell.dtype)
    with np.errstate(all="ignore"):
        A = X[:, 0, :] @ P["weight_ih"].T + (P["bias_ih"] + P["bias_hh"])  # (T, H): the same for every s
        W_hhT = np.ascontiguousarray(P["weight_hh"].T)
        h = np.zeros((s.size, H), dtype=cell.dtype)
        for t in range(T):
            a = (h @ W_hhT) * s[:, None] + A[t]
            h = cell.activation.apply(a, np.empty_like(a))
            out[:, t] = h
    return out
