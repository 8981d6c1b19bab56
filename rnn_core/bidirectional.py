"""A bidirectional layer: one cell reads the sequence forwards, another reads it backwards.

Output features at each step are concatenated ``[forward, backward]`` as in PyTorch's
``bidirectional=True``; so h_t sees the whole sequence, past (forward cell) and future
(backward cell). Parameter names follow PyTorch: the backward cell's carry ``_reverse``.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, replace

import numpy as np

from .base import Grads, RecurrentCell, Trace
from .validation import as_array

SUFFIX = "_reverse"


class BidirectionalParams(MutableMapping):
    """A live view over both cells' params; assigning ``weight_hh_reverse`` writes into the backward cell."""

    def __init__(self, fwd: RecurrentCell, bwd: RecurrentCell):
        self._fwd, self._bwd = fwd, bwd

    def _route(self, key: str) -> tuple[dict, str]:
        if key.endswith(SUFFIX):
            return self._bwd.params, key[: -len(SUFFIX)]
        return self._fwd.params, key

    def __getitem__(self, key: str) -> np.ndarray:
        d, k = self._route(key)
        return d[k]

    def __setitem__(self, key: str, value: np.ndarray) -> None:
        d, k = self._route(key)
        if k not in d:
            raise KeyError(key)
        d[k] = value

    def __delitem__(self, key: str) -> None:
        raise TypeError("parameters of a Bidirectional layer cannot be deleted")

    def __iter__(self) -> Iterator[str]:
        yield from self._fwd.params
        yield from (k + SUFFIX for k in self._bwd.params)

    def __len__(self) -> int:
        return len(self._fwd.params) + len(self._bwd.params)


@dataclass
class BidirectionalTrace:
    """forward: the forward cell's Trace. backward: the backward cell's Trace with every array
    flipped back into the original time order (so ``backward.h[t]`` belongs to input step t).
    h: (T, [B,] 2H) = concat [forward.h, backward.h] on the last axis.
    backward_raw: the backward cell's own trace, in the order it processed the steps.
    """

    forward: Trace
    backward: Trace
    backward_raw: Trace
    h: np.ndarray
    batched: bool

    @property
    def overflow_step(self) -> int | None:
        steps = [s for s in (self.forward.overflow_step, self.backward.overflow_step) if s is not None]
        return min(steps) if steps else None


def _flip(arr):
    return None if arr is None else arr[::-1]


def _time_reversed(tr: Trace) -> Trace:
    """Views of a trace's per-step arrays in reversed time (extra internals are dropped)."""
    T = tr.steps
    return replace(
        tr, x=_flip(tr.x), h=_flip(tr.h), c=_flip(tr.c),
        gates={k: _flip(v) for k, v in tr.gates.items()}, pre={k: _flip(v) for k, v in tr.pre.items()},
        overflow_step=None if tr.overflow_step is None else T - 1 - tr.overflow_step, extra={},
    )


class Bidirectional:
    """Two cells of the same kind and sizes, one per direction."""

    kind = "bidirectional"

    def __init__(self, forward_cell: RecurrentCell, backward_cell: RecurrentCell):
        for name, cell in (("forward_cell", forward_cell), ("backward_cell", backward_cell)):
            if not isinstance(cell, RecurrentCell):
                raise ValueError(f"{name}: expected an RNN, LSTM or GRU cell, got {type(cell).__name__}")
        a, b = forward_cell, backward_cell
        if (type(a), a.input_size, a.hidden_size, a.dtype) != (type(b), b.input_size, b.hidden_size, b.dtype):
            raise ValueError(
                f"backward_cell: expected the same kind, sizes and dtype as forward_cell ({a!r}, {a.dtype}), "
                f"got {b!r}, {b.dtype}"
            )
        self.forward_cell, self.backward_cell = a, b
        self.input_size, self.hidden_size, self.dtype = a.input_size, a.hidden_size, a.dtype
        self.takes_c0 = a.takes_c0

    @property
    def params(self) -> BidirectionalParams:
        return BidirectionalParams(self.forward_cell, self.backward_cell)

    def num_params(self) -> int:
        return self.forward_cell.num_params() + self.backward_cell.num_params()

    def __repr__(self) -> str:
        return f"Bidirectional({self.forward_cell!r})"

    def _split_state(self, name: str, value, x: np.ndarray):
        """PyTorch stacks both directions' initial states on a leading axis of size 2."""
        if value is None:
            return None, None
        arr = as_array(name, value, self.dtype)
        batched = np.ndim(x) == 3
        expected = (2, np.shape(x)[1], self.hidden_size) if batched else (2, self.hidden_size)
        if arr.shape != expected:
            raise ValueError(f"{name}: expected shape {expected} (direction first), got shape {arr.shape}")
        return arr[0], arr[1]

    def forward(self, x, h0=None, c0=None) -> BidirectionalTrace:
        """x: (T, D) or (T, B, D). h0, c0: (2, [B,] H), forward direction first. Returns a BidirectionalTrace."""
        if c0 is not None and not self.takes_c0:
            raise ValueError(f"c0: only an LSTM has a cell state; this layer wraps a {self.forward_cell.kind}")
        x = as_array("x", x, self.dtype)
        hf, hb = self._split_state("h0", h0, x)
        cf, cb = self._split_state("c0", c0, x)
        tf = self.forward_cell.forward(x, hf, cf)
        tb = self.backward_cell.forward(x[::-1], hb, cb) if self.takes_c0 else self.backward_cell.forward(x[::-1], hb)
        back = _time_reversed(tb)
        return BidirectionalTrace(tf, back, tb, np.concatenate([tf.h, back.h], axis=-1), tf.batched)

    def backward(self, trace: BidirectionalTrace, dh, per_step: bool = False) -> Grads:
        """dh: (T, [B,] 2H), dL/d(output) at every step. Returns Grads with ``_reverse`` keys for the
        backward cell; ``dh``/``dc`` are concatenated like the output, h0/c0 stacked (2, [B,] H)."""
        dh = as_array("dh", dh, self.dtype)
        if dh.shape != trace.h.shape:
            raise ValueError(f"dh: expected shape {trace.h.shape} (same as trace.h), got shape {dh.shape}")
        H = self.hidden_size
        gf = self.forward_cell.backward(trace.forward, dh[..., :H], per_step)
        gb = self.backward_cell.backward(trace.backward_raw, dh[::-1, ..., H:], per_step)
        params = {**gf.params, **{k + SUFFIX: v for k, v in gb.params.items()}}
        steps = None
        if per_step:
            steps = {**gf.per_step, **{k + SUFFIX: v[::-1] for k, v in gb.per_step.items()}}
        both = lambda a, b: None if a is None else np.stack([a, b])  # noqa: E731
        cat = lambda a, b: None if a is None else np.concatenate([a, b[::-1]], axis=-1)  # noqa: E731
        T = trace.h.shape[0]
        flags = [gf.overflow_step, None if gb.overflow_step is None else T - 1 - gb.overflow_step]
        flags = [s for s in flags if s is not None]
        return Grads(
            params=params, x=gf.x + gb.x[::-1], h0=both(gf.h0, gb.h0), dh=cat(gf.dh, gb.dh),
            c0=both(gf.c0, gb.c0), dc=cat(gf.dc, gb.dc), per_step=steps,
            overflow_step=max(flags) if flags else None,
        )
