"""A recurrent cell plus a linear readout: the whole trainable sequence model.

Shapes are time-first like the cells: x is (T, B, D) (or (T, D) for one sequence).
- ``many_to_one``: only the last hidden state is read out, y is (B, O) — e.g. "the last k days
  predict tomorrow", the adding problem.
- ``many_to_many``: every hidden state is read out, y is (T, B, O) — e.g. next-character
  prediction, the copy task.
With ``loss="xent"`` the readout gives logits over O classes and targets are integer class indices,
shaped like y without the last axis: (B,) or (T, B).

Parameters are exposed as one flat dict with namespaced names ("cell.weight_hh", "head.bias")
holding the *live* arrays, so an optimizer that updates them in place trains the model.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import RecurrentCell, Trace
from .heads import Linear
from .losses import check_class_targets, mse, softmax, softmax_cross_entropy
from .validation import check_size

MODES = ("many_to_one", "many_to_many")
LOSSES = ("mse", "xent")

# PyTorch names for state_dict_torch(): a module with ``self.rnn = nn.RNN/LSTM/GRU(...)`` and
# ``self.head = nn.Linear(...)`` loads them directly. Peepholes have no PyTorch counterpart.
_TORCH_CELL_NAMES = {
    "weight_ih": "rnn.weight_ih_l0", "weight_hh": "rnn.weight_hh_l0",
    "bias_ih": "rnn.bias_ih_l0", "bias_hh": "rnn.bias_hh_l0",
    "weight_ci": "rnn.weight_ci_l0", "weight_cf": "rnn.weight_cf_l0", "weight_co": "rnn.weight_co_l0",
}


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(repr(c) for c in choices)}, got {value!r}")
    return value  # type: ignore[return-value]


class LossGrads(NamedTuple):
    """What one forward + backward pass returns.

    loss: the mean loss (float). grads: flat dict, same names as ``SequenceModel.params``.
    trace: the cell's forward trace (hidden states, gates, ...). output: the readout,
    (B, O) for many_to_one or (T, B, O) for many_to_many (unbatched inputs drop B).
    """

    loss: float
    grads: dict[str, np.ndarray]
    trace: Trace
    output: np.ndarray


class SequenceModel:
    """``cell`` (RNN, LSTM or GRU from rnn_core) followed by ``head`` (a Linear readout)."""

    def __init__(self, cell: RecurrentCell, head: Linear):
        if not isinstance(cell, RecurrentCell):
            raise ValueError(f"cell: expected an RNN, LSTM or GRU from rnn_core, got {type(cell).__name__}")
        if not isinstance(head, Linear):
            raise ValueError(f"head: expected an rnn_core Linear, got {type(head).__name__}")
        if head.in_features != cell.hidden_size:
            raise ValueError(f"head: in_features is {head.in_features} but the cell's hidden_size is "
                             f"{cell.hidden_size}; they must match")
        if head.dtype != cell.dtype:
            raise ValueError(f"head: dtype {head.dtype} differs from the cell's dtype {cell.dtype}")
        self.cell = cell
        self.head = head

    def __repr__(self) -> str:
        return f"SequenceModel({self.cell!r}, {self.head!r})"

    @property
    def dtype(self) -> np.dtype:
        return self.cell.dtype

    @property
    def params(self) -> dict[str, np.ndarray]:
        """Flat dict of the live parameter arrays: "cell.<name>" and "head.<name>" (no copies)."""
        out = {f"cell.{k}": v for k, v in self.cell.params.items()}
        out.update({f"head.{k}": v for k, v in self.head.params.items()})
        return out

    def num_params(self) -> int:
        return self.cell.num_params() + self.head.num_params()

    # -- forward / backward ------------------------------------------------------------------
    def forward(self, x, *, mode: str = "many_to_one", h0=None, c0=None) -> tuple[Trace, np.ndarray]:
        """Run the cell and the readout. Returns (trace, output); output as in ``LossGrads``."""
        check_choice("mode", mode, MODES)
        trace = self.cell.forward(x, h0=h0, c0=c0)
        read = trace.h[-1] if mode == "many_to_one" else trace.h
        with np.errstate(over="ignore", invalid="ignore"):
            return trace, self.head.forward(read)

    def predict(self, x, *, mode: str = "many_to_one", h0=None, c0=None) -> np.ndarray:
        """The readout only: (B, O) for many_to_one, (T, B, O) for many_to_many (logits for xent)."""
        return self.forward(x, mode=mode, h0=h0, c0=c0)[1]

    def predict_proba(self, x, *, mode: str = "many_to_many", temperature: float = 1.0,
                      h0=None, c0=None) -> np.ndarray:
        """Class probabilities softmax(logits / temperature) of a classifier readout."""
        return softmax(self.predict(x, mode=mode, h0=h0, c0=c0), temperature)

    def loss_and_grads(self, x, y, *, mode: str = "many_to_one", loss: str = "mse",
                       h0=None, c0=None) -> LossGrads:
        """Forward, loss and exact backward through the readout and through time.

        x: (T, B, D) or (T, D). y: see the module docstring. h0, c0: initial state
        ((B, H) or (H,)), e.g. carried over from the previous chunk in truncated BPTT —
        no gradient flows into them from here.
        """
        check_choice("loss", loss, LOSSES)
        trace, out = self.forward(x, mode=mode, h0=h0, c0=c0)
        if loss == "mse":
            value, dout = mse(out, y)
        else:
            check_class_targets(y, out.shape[:-1], self.head.out_features, name="y")
            value, dout = softmax_cross_entropy(out, y)
        read = trace.h[-1] if mode == "many_to_one" else trace.h
        with np.errstate(over="ignore", invalid="ignore"):
            head_grads, dread = self.head.backward(read, dout)
        if mode == "many_to_one":
            dh = np.zeros_like(trace.h)
            dh[-1] = dread  # only the last step has a loss
        else:
            dh = dread
        if np.isfinite(dh).all():
            grads = {f"cell.{k}": v for k, v in self.cell.backward(trace, dh).params.items()}
        else:  # training blew up: say so through NaN gradients and loss rather than an exception
            grads = {f"cell.{k}": np.full_like(v, np.nan) for k, v in self.cell.params.items()}
            value = value if not np.isfinite(value) else float("nan")
        grads.update({f"head.{k}": v for k, v in head_grads.items()})
        return LossGrads(value, grads, trace, out)

    @staticmethod
    def final_state(trace: Trace) -> tuple[np.ndarray, np.ndarray | None]:
        """(h, c) after the last step — the state to carry into the next chunk (c is None unless LSTM)."""
        h = trace.h[-1].copy()
        c = None if trace.c is None else trace.c[-1].copy()
        return h, c

    # -- sampling ----------------------------------------------------------------------------
    def sample(self, prime, length: int, *, temperature: float = 1.0, seed: int | None = None) -> np.ndarray:
        """Generate ``length`` class indices, feeding each sampled one back as the next input.

        For a classifier whose inputs are one-hot over the same classes as its outputs
        (a char-RNN). ``prime``: a non-empty sequence of indices that warms up the state.
        Returns (length,) int array of the sampled indices (prime not included).
        """
        V = self.cell.input_size
        if self.head.out_features != V:
            raise ValueError(f"sample: the model reads {V} input classes but predicts "
                             f"{self.head.out_features}; sampling feeds outputs back, so they must match")
        length = check_size("length", length) if length != 0 else 0
        p = np.asarray(prime)
        if p.ndim != 1 or p.size == 0 or not np.issubdtype(p.dtype, np.integer):
            raise ValueError(f"prime: expected a non-empty 1-D array of class indices, got shape {p.shape} "
                             f"and dtype {p.dtype}")
        check_class_targets(p, p.shape, V, name="prime")
        rng = np.random.default_rng(seed)
        eye = np.eye(V, dtype=self.dtype)
        trace, logits = self.forward(eye[p], mode="many_to_one")
        h, c = self.final_state(trace)
        out = np.empty(length, dtype=np.int64)
        for t in range(length):
            probs = softmax(logits.astype(np.float64), temperature)  # float64: rng.choice checks the sum
            out[t] = rng.choice(V, p=probs / probs.sum())
            trace, logits = self.forward(eye[out[t : t + 1]], mode="many_to_one", h0=h, c0=c)
            h, c = self.final_state(trace)
        return out

    # -- export ------------------------------------------------------------------------------
    def state_dict_torch(self) -> dict[str, np.ndarray]:
        """Copies of the parameters under PyTorch names, ready for ``np.savez``.

        Names: "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0" (whatever
        the cell kind) and "head.weight", "head.bias" — what ``state_dict()`` gives for a module with
        ``self.rnn = nn.LSTM(D, H)`` (or nn.RNN / nn.GRU) and ``self.head = nn.Linear(H, O)``.
        LSTM peepholes are exported as "rnn.weight_c{i,f,o}_l0" (PyTorch has no peepholes);
        a GRU with reset_after=False or an RNN with a nonlinearity other than tanh/relu has no
        exact PyTorch equivalent even though the arrays export.
        """
        sd = {_TORCH_CELL_NAMES[k]: v.copy() for k, v in self.cell.params.items()}
        sd.update({f"head.{k}": v.copy() for k, v in self.head.params.items()})
        return sd

    def load_state_dict_torch(self, state: dict) -> None:
        """Inverse of ``state_dict_torch``: copy arrays in by PyTorch name (shapes must match)."""
        current = self.state_dict_torch()
        missing = sorted(set(current) - set(state))
        if missing:
            raise ValueError(f"state: missing {missing}")
        back = {v: k for k, v in _TORCH_CELL_NAMES.items()}
        for name, old in current.items():
            arr = np.asarray(state[name], dtype=self.dtype)
            if arr.shape != old.shape:
                raise ValueError(f"state[{name!r}]: expected shape {old.shape}, got shape {arr.shape}")
            target = self.head.params if name.startswith("head.") else self.cell.params
            key = name[len("head."):] if name.startswith("head.") else back[name]
            target[key][...] = arr
