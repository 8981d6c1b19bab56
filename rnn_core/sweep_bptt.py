"""One cell, many recurrent weights, one backward pass: backpropagation through time for every scaling of W_hh
at once.

A lesson that lets a student sweep the recurrent weight and watch the gradient (drag w: the gradient reaching
h_0 swings from vanishing to exploding) needs BPTT for every w on the slider's grid. Looping over
``RNN.forward`` / ``RNN.backward`` would repeat the Python loops over time once per w; here the factors form
the batch axis, so each loop runs once (``sweeps.sweep_recurrent_scale`` is the forward half).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .rnn import RNN
from .sweeps import sweep_recurrent_scale
from .validation import as_array, check_finite


@dataclass(frozen=True)
class ScaledBPTT:
    """BPTT of one sequence for every factor s (W_hh replaced by s · W_hh), in the cell's dtype.

    scales: (S,). pre, h, deriv: (S, T, H) a_t, h_t and act'(a_t). dh: (S, T, H) the total dL/dh_t (the loss's own
    gradient at t plus what flows back from t + 1). dh0: (S, H) dL/dh_0, what crossed all T steps.
    """

    scales: np.ndarray
    pre: np.ndarray
    h: np.ndarray
    deriv: np.ndarray
    dh: np.ndarray
    dh0: np.ndarray


def _pre_activations(cell: RNN, x: np.ndarray, s: np.ndarray, h: np.ndarray) -> np.ndarray:
    """(S, T, H) a_t = s · W_hh h_{t-1} + W_ih x_t + b, from the states the forward sweep returned (h_0 = 0),
    in the forward sweep's order of operations."""
    P = {name: np.asarray(value, dtype=cell.dtype) for name, value in cell.params.items()}
    A = x @ P["weight_ih"].T + (P["bias_ih"] + P["bias_hh"])  # (T, H): the same for every s
    h_prev = np.concatenate([np.zeros_like(h[:, :1]), h[:, :-1]], axis=1)
    return (h_prev @ P["weight_hh"].T) * s[:, None, None] + A


def sweep_recurrent_bptt(cell: RNN, x, scales, dh) -> ScaledBPTT:
    """Forward and backward pass of ``cell`` over ``x`` ((T, D), h_0 = 0) for every factor s in ``scales``, with
    W_hh replaced by s · W_hh, and ``dh`` ((T, H): the loss's gradient with respect to each h_t, the same for every
    s) as ``RNN.backward`` takes it. The numbers are ``forward``/``backward``'s with that weight (to rounding: s is
    applied after the product with W_hh; with H = 1 and W_hh = 1 they are bitwise the same). Overflow becomes
    inf/NaN quietly, as in the engine's passes.
    """
    h = sweep_recurrent_scale(cell, x, scales)  # checks the cell, x, scales and the parameters
    S, T, H = h.shape
    dH = as_array("dh", dh, cell.dtype)
    if dH.shape != (T, H):
        raise ValueError(f"dh: expected shape ({T}, {H}), one dL/dh_t per step of x, got {dH.shape}")
    check_finite("dh", dH)
    s = np.asarray(scales, dtype=cell.dtype)
    W_hh = np.asarray(cell.params["weight_hh"], dtype=cell.dtype)
    with np.errstate(all="ignore"):
        pre = _pre_activations(cell, np.asarray(x, dtype=cell.dtype), s, h)
        deriv = cell.activation.deriv_into(pre, h, np.empty_like(pre))
        total, dnext = np.empty_like(h), np.zeros((S, H), dtype=cell.dtype)
        for t in range(T - 1, -1, -1):  # RNN._backward's loop, with the factors as the batch
            np.add(dH[t], dnext, out=total[:, t])
            dnext = ((deriv[:, t] * total[:, t]) @ W_hh) * s[:, None]
    return ScaledBPTT(scales=s, pre=pre, h=h, deriv=deriv, dh=total, dh0=dnext)
