"""BPTT anatomy: how a gradient travels back through the unrolled network.

- ``jacobian_norms``: ‖∂h_{T-1}/∂h_t‖₂ for every t, exact (spectral norm = largest singular value).
- ``step_jacobians`` / ``singular_values``: the per-step factor ∂h_t/∂h_{t-1} = diag(act'(a_t)) W_hh of a
  vanilla RNN; the product of T such factors is why gradients vanish or explode.
- ``truncated_backward``: BPTT where each step's loss flows back at most k steps.
Per-step contributions to the weight gradients come from ``cell.backward(..., per_step=True)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .base import Grads, RecurrentCell, Trace
from .rnn import RNN
from .validation import check_dh, check_size


@dataclass(frozen=True)
class JacobianNorms:
    """h: (T,) ‖∂h_{T-1}/∂h_t‖₂ (t = T-1 gives 1: the identity). matrices: (T, H, H) the Jacobians.
    c / c_matrices: the same with respect to the LSTM cell state c_t (None for other cells).
    Each Jacobian is a total derivative: every path from step t to the last step is included,
    with the other state (c for h, h for c) held fixed at step t.
    """

    h: np.ndarray
    matrices: np.ndarray
    c: np.ndarray | None = None
    c_matrices: np.ndarray | None = None


def spectral_norms(mats: np.ndarray) -> np.ndarray:
    """(T, H, H) -> (T,) largest singular values; inf/NaN Jacobians (overflow) give inf/NaN, not an error."""
    out = np.full(mats.shape[0], np.nan)
    finite = np.isfinite(mats).all(axis=(1, 2))
    out[np.isinf(mats).any(axis=(1, 2))] = np.inf
    if finite.any():
        out[finite] = np.linalg.norm(mats[finite], ord=2, axis=(1, 2))
    return out


def singular_values(mats: np.ndarray) -> np.ndarray:
    """(T, H, H) -> (T, H) singular values, largest first; rows of NaN where a matrix is not finite."""
    mats = np.asarray(mats, dtype=np.float64)
    out = np.full(mats.shape[:2], np.nan)
    finite = np.isfinite(mats).all(axis=(1, 2))
    if finite.any():
        out[finite] = np.linalg.svd(mats[finite], compute_uv=False)
    return out


def jacobian_norms(cell: RecurrentCell, x, h0=None, c0=None) -> JacobianNorms:
    """Exact Jacobians of the last hidden state with respect to every earlier state, for one sequence.

    x: (T, D), h0/c0: (H,). One backward pass with a batch of H copies of the sequence, copy k
    seeded with the unit vector e_k at the last step, gives row k of every ∂h_{T-1}/∂h_t at once.
    """
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"x: expected one sequence of shape (T, {cell.input_size}), got shape {x.shape}")
    H = cell.hidden_size
    tile = lambda s: None if s is None else np.repeat(np.asarray(s)[None], H, axis=0)  # noqa: E731
    xs = np.repeat(x[:, None, :], H, axis=1)  # (T, H, D): batch element k is the same sequence
    kwargs = {"c0": tile(c0)} if cell.takes_c0 else {}
    trace = cell.forward(xs, tile(h0), **kwargs)
    dh = np.zeros_like(trace.h)
    dh[-1] = np.eye(H)
    with np.errstate(over="ignore", invalid="ignore"):
        g = cell.backward(trace, dh)
    c_mats = g.dc
    return JacobianNorms(
        h=spectral_norms(g.dh), matrices=g.dh,
        c=None if c_mats is None else spectral_norms(c_mats), c_matrices=c_mats,
    )


def step_jacobians(cell: RNN, trace: Trace, batch_index: int = 0) -> np.ndarray:
    """(T, H, H) exact ∂h_t/∂h_{t-1} = diag(act'(a_t)) · W_hh for a vanilla RNN, one sequence of the batch."""
    if not isinstance(cell, RNN):
        raise ValueError(f"cell: step_jacobians needs a vanilla RNN, got {type(cell).__name__}")
    a, h = trace.pre["h"], trace.h
    if trace.batched:
        a, h = a[:, batch_index], h[:, batch_index]
    with np.errstate(over="ignore", invalid="ignore"):
        deriv = cell.activation.deriv(a, h)  # (T, H)
        return deriv[:, :, None] * trace.params["weight_hh"][None]


def _slice(trace: Trace, start: int, stop: int) -> Trace:
    """The part of a trace covering steps [start, stop), starting from the state before ``start``."""
    sl = slice(start, stop)
    h0 = trace.h0 if start == 0 else trace.h[start - 1]
    c0 = trace.c0 if start == 0 or trace.c is None else trace.c[start - 1]
    return replace(
        trace, x=trace.x[sl], h=trace.h[sl], c=None if trace.c is None else trace.c[sl], h0=h0, c0=c0,
        gates={k: v[sl] for k, v in trace.gates.items()}, pre={k: v[sl] for k, v in trace.pre.items()},
        extra={k: v[sl] for k, v in trace.extra.items()},
    )


def truncated_backward(cell: RecurrentCell, trace: Trace, dh, k: int) -> Grads:
    """Truncated BPTT: the loss at step s sends its gradient back through steps s, s-1, ..., s-k+1 only.

    dh: as for ``cell.backward``. With k >= T this is exactly ``cell.backward``. Returns Grads with
    ``per_step`` filled; ``dh``/``dc`` hold the (truncated) gradient reaching each state; ``h0``/``c0``
    receive only what reaches them within k steps.
    """
    k = check_size("k", k)
    T = trace.steps
    dh = check_dh(dh, trace.h.shape, cell.dtype)
    if k >= T:
        return cell.backward(trace, dh, per_step=True)
    g = cell.backward(trace, np.zeros_like(dh), per_step=True)  # zeros of every shape we need
    total = {f: np.zeros_like(getattr(g, f)) for f in ("x", "h0", "dh", "c0", "dc") if getattr(g, f) is not None}
    params = {n: np.zeros_like(v) for n, v in g.params.items()}
    steps = {n: np.zeros_like(v) for n, v in g.per_step.items()}
    for s in range(T):
        if not np.any(dh[s]):
            continue  # this step has no loss: nothing flows from it
        start = max(0, s - k + 1)
        local = np.zeros_like(dh[start : s + 1])
        local[-1] = dh[s]
        gs = cell.backward(_slice(trace, start, s + 1), local, per_step=True)
        for n in params:
            params[n] += gs.params[n]
            steps[n][start : s + 1] += gs.per_step[n]
        for f in ("x", "dh", "dc"):
            if f in total:
                total[f][start : s + 1] += getattr(gs, f)
        if start == 0:
            for f in ("h0", "c0"):
                if f in total:
                    total[f] += getattr(gs, f)
    return Grads(params=params, per_step=steps, **{f: total.get(f) for f in ("x", "h0", "dh", "c0", "dc")})
