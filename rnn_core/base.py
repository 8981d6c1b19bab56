"""What every recurrent cell shares: the trace and gradient containers, validation, initialisation.

Shapes follow PyTorch and are time-first: T steps, B sequences in a batch, D input
features, H hidden units, G gates stacked by rows (G = 1 RNN, 4 LSTM, 3 GRU).
Internally every array carries a batch axis; unbatched inputs get a batch of one and
the trace hands them back without it.

Inside the cells the gates of one step are stored together as a contiguous (G, B, H) block:
pre-activations and activations are (T, G, B, H) arrays, ``trace.gates[name]`` a (T, B, H) view
of one gate. NumPy's ufuncs take a fast path only when every operand is contiguous, so each
per-step operation below works on whole planes or blocks. The backward pass stores dL/da
gate-major, (G, T, B, H), so that every weight gradient is one batched matmul over all steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .validation import (
    check_dh,
    check_params,
    check_sequence,
    check_size,
    check_state,
    first_nonfinite_step,
    last_nonfinite_step,
)

DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _unbatch(arr: np.ndarray | None, batched: bool) -> np.ndarray | None:
    """(T, B, ...) -> (T, ...) view when the caller passed an unbatched sequence."""
    return arr if arr is None or batched else arr[:, 0]


def _rebatch(arr: np.ndarray | None, batched: bool) -> np.ndarray | None:
    return arr if arr is None or batched else arr[:, None]


@dataclass
class Trace:
    """Everything the forward pass computed, one row per time step.

    Attributes (shapes for batched input; drop the B axis for unbatched input):
        x: (T, B, D) the input sequence.
        h0: (B, H) initial hidden state.  c0: (B, H) initial cell state (LSTM only).
        h: (T, B, H) hidden state after each step.  c: (T, B, H) cell state (LSTM only).
        gates: gate name -> (T, B, H) activation (``i f g o`` LSTM, ``r z n`` GRU, ``h`` RNN).
        pre: gate name -> (T, B, H) pre-activation (what went into the nonlinearity).
        overflow_step: first step whose state is not finite (inf/NaN), else None.
        params: the parameter arrays this trace was computed with (backward uses them).
        extra: the cell's internal arrays for backward, time-first (slicing axis 0 slices time).
    """

    kind: str
    x: np.ndarray
    h0: np.ndarray
    h: np.ndarray
    gates: dict[str, np.ndarray]
    pre: dict[str, np.ndarray]
    params: dict[str, np.ndarray]
    batched: bool
    overflow_step: int | None = None
    c0: np.ndarray | None = None
    c: np.ndarray | None = None
    extra: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def steps(self) -> int:
        return self.h.shape[0]


@dataclass
class Grads:
    """Gradients from ``cell.backward``.

    Attributes (batched shapes; unbatched drops B):
        params: same keys and shapes as ``cell.params`` — summed over every time step.
        x: (T, B, D) dL/dx_t.   h0: (B, H) dL/dh0.   c0: (B, H) dL/dc0 (LSTM only).
        dh: (T, B, H) the *total* gradient reaching h_t: the loss at step t plus
            everything flowing back from later steps.  dc: same for the LSTM cell state.
        per_step: parameter name -> (T, *shape) contribution of each step, whose sum over
            axis 0 is ``params[name]``; only when ``backward(..., per_step=True)``.
        overflow_step: latest step where the backward signal is no longer finite, else None.
    """

    params: dict[str, np.ndarray]
    x: np.ndarray
    h0: np.ndarray
    dh: np.ndarray
    c0: np.ndarray | None = None
    dc: np.ndarray | None = None
    per_step: dict[str, np.ndarray] | None = None
    overflow_step: int | None = None


# -- memory and the linear parts every cell shares -------------------------------------------------
def arena(dtype, *shapes: tuple[int, ...]) -> list[np.ndarray]:
    """Uninitialised arrays of the given shapes, carved out of one allocation.

    Fresh memory is paid for page by page when first written; NumPy asks Linux for 2 MiB pages
    for allocations of 4 MiB or more, so one large block is far cheaper to fill than several
    medium-sized arrays (each of which would fault in 4 KiB at a time).
    """
    itemsize = np.dtype(dtype).itemsize
    align = max(1, 64 // itemsize)  # start every array on a 64-byte boundary
    sizes = [int(np.prod(s)) for s in shapes]
    padded = [-(-n // align) * align for n in sizes]
    block = np.empty(sum(padded) + align, dtype=dtype)
    start = (-block.ctypes.data // itemsize) % align  # first aligned element
    out = []
    for shape, n, step in zip(shapes, sizes, padded, strict=True):
        out.append(block[start : start + n].reshape(shape))
        start += step
    return out


def with_ones(X: np.ndarray) -> np.ndarray:
    """(T, B, D) -> (T, B, D + 1): x with a column of ones appended.

    The ones carry the bias through the same matmul as the weights: [W | b] [x; 1] = W x + b,
    and in the backward pass dL/d[W | b] comes out of one matmul too (its last column is dL/db).
    """
    T, B, D = X.shape
    X1 = np.empty((T, B, D + 1), dtype=X.dtype)
    X1[..., :D] = X
    X1[..., D] = 1.0
    return X1


def project_inputs(X: np.ndarray, W: np.ndarray, b: np.ndarray, out: np.ndarray) -> np.ndarray:
    """W x_t + b for every step and gate in one matmul call, written into ``out`` (T, G, B, H).

    X: (T, B, D); W: (G·H, D); b: (G·H,). The cells then complete ``out`` in place, step by step, into the
    pre-activations. Returns X1 = [x_t, 1] (``with_ones``), which the backward pass multiplies again.
    """
    X1 = with_ones(X)
    T, G, B, H = out.shape
    D1 = X1.shape[-1]
    WbT = np.concatenate([W, b[:, None]], axis=1).reshape(G, H, D1).transpose(0, 2, 1).copy()  # (G, D+1, H)
    np.matmul(X1[:, None], WbT, out=out)  # (T, 1, B, D+1) @ (G, D+1, H)
    return X1


def outer_sum(dpre: np.ndarray, inp: np.ndarray) -> np.ndarray:
    """Σ over steps and batch of dpre[t, b] inp[t, b]ᵀ: (R, C) in one matmul. dpre: (T, B, R), inp: (T, B, C).

    This is dL/dW for pre-activations W inp_t: the sum of every step's contribution.
    """
    T, B, R = dpre.shape
    # Computed as (inpᵀ dpre)ᵀ: OpenBLAS is faster with the narrow input (x: D + 1 columns) on the left.
    return (inp.reshape(T * B, -1).T @ dpre.reshape(T * B, R)).T


def outer_steps(dpre: np.ndarray, inp: np.ndarray) -> np.ndarray:
    """Each step's share of ``outer_sum``: (T, R, C)."""
    return np.matmul(dpre.swapaxes(1, 2), inp)


def gate_outer(dA: np.ndarray, inp: np.ndarray) -> np.ndarray:
    """``outer_sum`` for gate-major dA (G, T, B, H): (G·H, C), one matmul per gate."""
    G, T, B, H = dA.shape
    # (inpᵀ dA_g)ᵀ for each gate: OpenBLAS is faster with the narrow input (x: D + 1 columns) on the left.
    return np.matmul(inp.reshape(T * B, -1).T, dA.reshape(G, T * B, H)).swapaxes(1, 2).reshape(G * H, -1)


def gate_steps(dA: np.ndarray, inp: np.ndarray) -> np.ndarray:
    """``outer_steps`` for gate-major dA (G, T, B, H): (T, G·H, C)."""
    G, T, B, H = dA.shape
    return np.matmul(dA.swapaxes(-1, -2), inp).swapaxes(0, 1).reshape(T, G * H, -1)


def input_grads(dpre: np.ndarray, X1: np.ndarray, W: np.ndarray, per_step: bool) -> dict:
    """Everything on the input side of ``pre = W x + b``, from dpre = dL/dpre and X1 = [x, 1] (T, B, D + 1).

    dpre is (T, B, R), one row per step as W's rows, or gate-major (G, T, B, H) with R = G·H.
    Returns weight (R, D), bias (R,), x (T, B, D) and, when ``per_step``, the per-step
    contributions step_weight (T, R, D) and step_bias (T, R).
    """
    T, B = X1.shape[:2]
    if dpre.ndim == 3:
        dWb = outer_sum(dpre, X1)  # (R, D + 1) = [dL/dW | dL/db]
        dx = dpre.reshape(T * B, -1) @ W  # dL/dx_t = Wᵀ dL/dpre_t
        steps = outer_steps(dpre, X1) if per_step else None
    else:
        G, H = dpre.shape[0], dpre.shape[-1]
        dWb = gate_outer(dpre, X1)
        Wg = W.reshape(G, H, -1)
        dx = dpre[0].reshape(T * B, H) @ Wg[0]  # dL/dx_t = Σ_g W_gᵀ dL/da_g
        for g in range(1, G):
            dx += dpre[g].reshape(T * B, H) @ Wg[g]
        steps = gate_steps(dpre, X1) if per_step else None
    out = {"weight": dWb[:, :-1].copy(), "bias": dWb[:, -1].copy(), "x": dx.reshape(T, B, -1)}
    if per_step:
        out["step_weight"], out["step_bias"] = steps[..., :-1].copy(), steps[..., -1].copy()
    return out


def per_gate_T(W: np.ndarray, G: int) -> np.ndarray:
    """(G·H, H) stacked weights -> contiguous (G, H, H) of W_gᵀ, so that h (B, H) @ it gives every gate's W_g h."""
    return np.ascontiguousarray(W.reshape(G, -1, W.shape[1]).swapaxes(1, 2))


class RecurrentCell:
    """Base class: parameters, validation and the batched/unbatched plumbing.

    Subclasses set ``kind``, ``gate_names`` and implement ``_forward`` / ``_backward``
    on batched, feature-major arrays. No state survives between calls except ``params``.
    """

    kind = "cell"
    gate_names: tuple[str, ...] = ()
    takes_c0 = False

    def __init__(self, input_size: int, hidden_size: int, *, seed: int | None = None, dtype=np.float64):
        self.input_size = check_size("input_size", input_size)
        self.hidden_size = check_size("hidden_size", hidden_size)
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise ValueError(f"dtype: expected float32 or float64, got {dtype!r}") from None
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype: expected float32 or float64, got {self.dtype}")
        self.seed = seed
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(self.hidden_size)  # PyTorch: U(-1/sqrt(H), 1/sqrt(H)) for every parameter
        self.params: dict[str, np.ndarray] = {
            key: rng.uniform(-bound, bound, size=shape).astype(self.dtype)
            for key, shape in self.param_shapes().items()
        }

    @property
    def num_gates(self) -> int:
        return len(self.gate_names)

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """PyTorch's single-layer names and layouts, gates stacked by rows."""
        G, H, D = self.num_gates, self.hidden_size, self.input_size
        return {"weight_ih": (G * H, D), "weight_hh": (G * H, H), "bias_ih": (G * H,), "bias_hh": (G * H,)}

    def num_params(self) -> int:
        return int(sum(np.prod(s) for s in self.param_shapes().values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size})"

    # -- public API -------------------------------------------------------------------------
    def forward(self, x, h0=None, c0=None) -> Trace:
        """Run the cell over a sequence.

        x: (T, D) or (T, B, D), time first. h0: (H,) or (B, H) to match. c0: LSTM only.
        Returns a ``Trace`` whose arrays drop the batch axis when ``x`` had none.
        """
        if c0 is not None and not self.takes_c0:
            raise ValueError(f"c0: only an LSTM has a cell state; {type(self).__name__} takes h0 only")
        X, batched = check_sequence(x, self.input_size, self.dtype)
        B, H = X.shape[1], self.hidden_size
        H0 = check_state("h0", h0, B, H, batched, self.dtype)
        C0 = check_state("c0", c0, B, H, batched, self.dtype) if self.takes_c0 else None
        P = check_params(self.params, self.param_shapes(), self.dtype)
        # Overflow is part of the lesson (w = 3 with no squashing): let values become inf quietly.
        with np.errstate(all="ignore"):
            out = self._forward(X, H0, C0, P)
        show = lambda a: _unbatch(a, batched)  # noqa: E731
        return Trace(
            kind=self.kind,
            x=show(X),
            h0=H0 if batched else H0[0],
            h=show(out["h"]),
            gates={k: show(v) for k, v in out["gates"].items()},
            pre={k: show(v) for k, v in out["pre"].items()},
            params=P,
            batched=batched,
            overflow_step=first_nonfinite_step(*out["state"]),
            c0=None if C0 is None else (C0 if batched else C0[0]),
            c=show(out.get("c")),
            extra=out["extra"],
        )

    def backward(self, trace: Trace, dh, per_step: bool = False) -> Grads:
        """Backpropagation through time.

        dh: dL/dh_t supplied from outside for every step, same shape as ``trace.h``
        (zeros where a step has no loss). Returns ``Grads``; the weight gradients are
        the sum of every step's contribution because the weights are shared across time.
        """
        if trace.kind != self.kind:
            raise ValueError(f"trace: comes from a {trace.kind} cell, not a {self.kind}")
        # A trace carries its own parameters; they must fit this cell (e.g. peepholes or not).
        got = {k: v.shape for k, v in trace.params.items()}
        if got != self.param_shapes() or trace.h.dtype != self.dtype:
            raise ValueError(
                f"trace: computed with parameters {got} in {trace.h.dtype}; "
                f"this cell expects {self.param_shapes()} in {self.dtype}"
            )
        dH = _rebatch(check_dh(dh, trace.h.shape, self.dtype), trace.batched)
        with np.errstate(all="ignore"):
            g = self._backward(trace, dH, per_step)
        show = lambda a: _unbatch(a, trace.batched)  # noqa: E731
        state = lambda a: a if trace.batched or a is None else a[0]  # noqa: E731
        return Grads(
            params=g["params"],
            x=show(g["x"]),
            h0=state(g["h0"]),
            dh=show(g["dh"]),
            c0=state(g.get("c0")),
            dc=show(g.get("dc")),
            per_step=g.get("per_step"),
            overflow_step=last_nonfinite_step(g["dh"], g.get("dc")),
        )

    # -- helpers for subclasses -------------------------------------------------------------
    @staticmethod
    def batched_view(trace: Trace, name: str) -> np.ndarray:
        """A trace array with its batch axis, in the public layout: (T, B, F), or (B, H) for h0/c0."""
        arr = getattr(trace, name)
        if name in ("h0", "c0"):
            return arr if trace.batched else arr[None]
        return _rebatch(arr, trace.batched)

    @staticmethod
    def h_prev(trace: Trace) -> np.ndarray:
        """(T, B, H): the hidden state each step started from (h0, h_0, ..., h_{T-2})."""
        return RecurrentCell.state_prev(trace, "h")

    @staticmethod
    def state_prev(trace: Trace, name: str) -> np.ndarray:
        """(T, B, H): h (or c) before each step. The forward pass keeps it as a view of the buffer the
        states were written into (``extra["h_prev"]``); a trace without it is rebuilt from h0 and h."""
        key = f"{name}_prev"
        if key in trace.extra:
            return trace.extra[key]
        first = RecurrentCell.batched_view(trace, f"{name}0")
        return np.concatenate([first[None], RecurrentCell.batched_view(trace, name)[:-1]], axis=0)

    @staticmethod
    def gates_of(trace: Trace, names: tuple[str, ...]) -> np.ndarray:
        """(T, G, B, H) stack of ``trace.gates[name]`` for ``names`` (a copy)."""
        return np.stack([_rebatch(trace.gates[n], trace.batched) for n in names], axis=1)

    @staticmethod
    def inputs_with_ones(trace: Trace) -> np.ndarray:
        """(T, B, D + 1): [x_t, 1] as the forward pass used it (see ``with_ones``)."""
        if "x1" in trace.extra:
            return trace.extra["x1"]
        return with_ones(RecurrentCell.batched_view(trace, "x"))


    def _forward(self, X, H0, C0, P) -> dict:  # pragma: no cover - abstract
        """X (T, B, D), H0/C0 (B, H). Returns h, [c], gates, pre as (T, B, H); ``state``: the arrays
        to check for overflow; ``extra``: what backward needs, each time-first. The states are kept
        in (T + 1, B, H) buffers: step t reads row t and writes row t + 1, so rows 1: are the states
        and rows :T the states each step started from (``extra["h_prev"]``), both views."""
        raise NotImplementedError

    def _backward(self, trace: Trace, dH: np.ndarray, per_step: bool) -> dict:  # pragma: no cover
        """dH (T, B, H): dL/dh_t from outside (read only). Returns params, x (T, B, D), h0 (B, H),
        dh (T, B, H) the total gradient reaching each h_t; for an LSTM c0 (B, H), dc (T, B, H); [per_step]."""
        raise NotImplementedError
