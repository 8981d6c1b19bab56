"""What every recurrent cell shares: the trace and gradient containers, validation, initialisation.

Shapes follow PyTorch and are time-first: T steps, B sequences in a batch, D input
features, H hidden units, G gates stacked by rows (G = 1 RNN, 4 LSTM, 3 GRU).
Internally every array carries a batch axis; unbatched inputs get a batch of one and
the trace hands them back without it.
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


def linear_param_grads(
    dpre: np.ndarray, inp: np.ndarray, per_step: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Gradients of ``pre = W @ inp + b`` from dL/dpre, summed over time and batch in one matmul.

    dpre: (T, B, R), inp: (T, B, C). Returns dW (R, C), db (R,), and when ``per_step``
    the per-step contributions (T, R, C) and (T, R).
    """
    T, B, R = dpre.shape
    dW = dpre.reshape(T * B, R).T @ inp.reshape(T * B, -1)
    db = dpre.sum(axis=(0, 1))
    if not per_step:
        return dW, db, None, None
    return dW, db, np.einsum("tbr,tbc->trc", dpre, inp), dpre.sum(axis=1)


class RecurrentCell:
    """Base class: parameters, validation and the batched/unbatched plumbing.

    Subclasses set ``kind``, ``gate_names`` and implement ``_forward`` / ``_backward``
    on batched arrays. No state survives between calls except ``params``.
    """

    kind = "cell"
    gate_names: tuple[str, ...] = ()
    takes_c0 = False

    def __init__(self, input_size: int, hidden_size: int, *, seed: int | None = None, dtype=np.float64):
        self.input_size = check_size("input_size", input_size)
        self.hidden_size = check_size("hidden_size", hidden_size)
        self.dtype = np.dtype(dtype)
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
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            out = self._forward(X, H0, C0, P)
        ub = lambda a: _unbatch(a, batched)  # noqa: E731
        c = out.pop("c", None)
        return Trace(
            kind=self.kind,
            x=ub(X),
            h0=H0 if batched else H0[0],
            h=ub(out.pop("h")),
            gates={k: ub(v) for k, v in out.pop("gates").items()},
            pre={k: ub(v) for k, v in out.pop("pre").items()},
            params=P,
            batched=batched,
            overflow_step=first_nonfinite_step(out["state"]) if "state" in out else None,
            c0=None if C0 is None else (C0 if batched else C0[0]),
            c=ub(c),
            extra={k: v for k, v in out.items() if k != "state"},
        )

    def backward(self, trace: Trace, dh, per_step: bool = False) -> Grads:
        """Backpropagation through time.

        dh: dL/dh_t supplied from outside for every step, same shape as ``trace.h``
        (zeros where a step has no loss). Returns ``Grads``; the weight gradients are
        the sum of every step's contribution because the weights are shared across time.
        """
        if trace.kind != self.kind:
            raise ValueError(f"trace: comes from a {trace.kind} cell, not a {self.kind}")
        dH = _rebatch(check_dh(dh, trace.h.shape, self.dtype), trace.batched)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            g = self._backward(trace, dH, per_step)
        ub = lambda a: _unbatch(a, trace.batched)  # noqa: E731
        first = lambda a: a if trace.batched or a is None else a[0]  # noqa: E731
        return Grads(
            params=g["params"],
            x=ub(g["x"]),
            h0=first(g["h0"]),
            dh=ub(g["dh"]),
            c0=first(g.get("c0")),
            dc=ub(g.get("dc")),
            per_step=g.get("per_step"),
            overflow_step=last_nonfinite_step(g["dh"] if g.get("dc") is None else g["dh"] + g["dc"]),
        )

    # -- helpers for subclasses -------------------------------------------------------------
    @staticmethod
    def batched_view(trace: Trace, name: str) -> np.ndarray:
        arr = getattr(trace, name)
        if name in ("h0", "c0"):
            return arr if trace.batched else arr[None]
        return _rebatch(arr, trace.batched)

    @staticmethod
    def h_prev(trace: Trace) -> np.ndarray:
        """(T, B, H): the hidden state each step started from (h0, h_0, ..., h_{T-2})."""
        h = RecurrentCell.batched_view(trace, "h")
        h0 = RecurrentCell.batched_view(trace, "h0")
        return np.concatenate([h0[None], h[:-1]], axis=0)

    def _input_grads(self, trace: Trace, dpre_ih: np.ndarray, per_step: bool) -> dict:
        """weight_ih / bias_ih gradients and dL/dx from dL/d(W_ih x + b_ih)."""
        X = self.batched_view(trace, "x")
        dW, db, sW, sb = linear_param_grads(dpre_ih, X, per_step)
        T, B, R = dpre_ih.shape
        dx = (dpre_ih.reshape(T * B, R) @ trace.params["weight_ih"]).reshape(T, B, -1)
        out = {"weight_ih": dW, "bias_ih": db, "x": dx}
        if per_step:
            out["per_step"] = {"weight_ih": sW, "bias_ih": sb}
        return out

    def _forward(self, X, H0, C0, P) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _backward(self, trace: Trace, dH: np.ndarray, per_step: bool) -> dict:  # pragma: no cover
        raise NotImplementedError
