"""One time step of each cell, written to be read: the lessons' equations, line by line.

The cells in rnn.py, lstm.py and gru.py are written for speed (every step's input projection in one
matmul, the gates in one contiguous block, in-place ufuncs). The functions here compute the same step the
plain way and return every intermediate a lesson shows, named as in its equations. Tests check that they
agree with the fast cells to 1e-12 in float64.

Shapes: x (B, D), h_prev and c_prev (B, H) — or (D,) and (H,) for a single sequence. ``params`` are the
cell's parameters in PyTorch's names and layouts (gate blocks stacked by rows: i, f, g, o for the LSTM;
r, z, n for the GRU). A step needs only x_t and the state before it, so ``replay(cell, trace)`` feeds all
T steps of a forward trace through these functions at once, as a batch of T.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation, sigmoid


def _blocks(arr: np.ndarray, n: int) -> list[np.ndarray]:
    """Split stacked gate rows (n·H, ...) into n blocks of H rows."""
    return np.split(arr, n, axis=0)


@dataclass(frozen=True)
class RNNStep:
    """h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), split into the parts a lesson shows.

    from_input: W_ih x_t.  from_memory: W_hh h_{t-1}.  bias: b_ih + b_hh.
    a: the pre-activation (the sum of the three).  h: act(a), the new hidden state.
    """

    from_input: np.ndarray
    from_memory: np.ndarray
    bias: np.ndarray
    a: np.ndarray
    h: np.ndarray


def rnn_step(params: dict, x: np.ndarray, h_prev: np.ndarray, nonlinearity: str = "tanh") -> RNNStep:
    """One step of the vanilla RNN (torch.nn.RNN)."""
    act = get_activation(nonlinearity)
    from_input = x @ params["weight_ih"].T  # new information
    from_memory = h_prev @ params["weight_hh"].T  # what the past carries over
    bias = params["bias_ih"] + params["bias_hh"]
    a = from_input + from_memory + bias
    return RNNStep(from_input, from_memory, bias, a, act(a))


@dataclass(frozen=True)
class LSTMStep:
    """One LSTM step. Pre-activations a_i, a_f, a_g, a_o; gates i, f, o in (0, 1) and candidate g in (-1, 1);
    kept = f ⊙ c_{t-1} (what the belt keeps), written = i ⊙ g (what is added to it), c = kept + written,
    tanh_c = tanh(c), h = o ⊙ tanh(c)."""

    a_i: np.ndarray
    a_f: np.ndarray
    a_g: np.ndarray
    a_o: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    kept: np.ndarray
    written: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray


def lstm_step(params: dict, x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray) -> LSTMStep:
    """One step of the LSTM (torch.nn.LSTM); with ``weight_ci/cf/co`` in ``params``, the peephole variant
    (Gers & Schmidhuber 2000): i and f also see c_{t-1}, o sees the new c_t."""
    W_i, W_f, W_g, W_o = _blocks(params["weight_ih"], 4)
    U_i, U_f, U_g, U_o = _blocks(params["weight_hh"], 4)
    b_i, b_f, b_g, b_o = _blocks(params["bias_ih"] + params["bias_hh"], 4)
    peephole = "weight_ci" in params

    a_i = x @ W_i.T + h_prev @ U_i.T + b_i
    a_f = x @ W_f.T + h_prev @ U_f.T + b_f
    if peephole:
        a_i = a_i + params["weight_ci"] * c_prev
        a_f = a_f + params["weight_cf"] * c_prev
    a_g = x @ W_g.T + h_prev @ U_g.T + b_g
    i, f, g = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g)  # input gate, forget gate, candidate

    kept = f * c_prev  # the conveyor belt, scaled by the forget gate
    written = i * g  # new content let in by the input gate
    c = kept + written

    a_o = x @ W_o.T + h_prev @ U_o.T + b_o
    if peephole:
        a_o = a_o + params["weight_co"] * c
    o = sigmoid(a_o)  # output gate
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return LSTMStep(a_i, a_f, a_g, a_o, i, f, g, o, kept, written, c, tanh_c, h)


@dataclass(frozen=True)
class GRUStep:
    """One GRU step. Gates r (reset) and z (update) in (0, 1), candidate n in (-1, 1) with pre-activations
    a_r, a_z, a_n; kept = z ⊙ h_{t-1}, written = (1 - z) ⊙ n, h = kept + written."""

    a_r: np.ndarray
    a_z: np.ndarray
    a_n: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    kept: np.ndarray
    written: np.ndarray
    h: np.ndarray


def gru_step(params: dict, x: np.ndarray, h_prev: np.ndarray, reset_after: bool = True) -> GRUStep:
    """One step of the GRU. ``reset_after=True`` is PyTorch's form, r ⊙ (W_hn h + b_hn);
    False is Cho et al. (2014), W_hn (r ⊙ h) + b_hn."""
    W_r, W_z, W_n = _blocks(params["weight_ih"], 3)
    U_r, U_z, U_n = _blocks(params["weight_hh"], 3)
    b_ir, b_iz, b_in = _blocks(params["bias_ih"], 3)
    b_hr, b_hz, b_hn = _blocks(params["bias_hh"], 3)

    a_r = x @ W_r.T + b_ir + h_prev @ U_r.T + b_hr
    a_z = x @ W_z.T + b_iz + h_prev @ U_z.T + b_hz
    r, z = sigmoid(a_r), sigmoid(a_z)  # reset gate, update gate
    if reset_after:
        a_n = x @ W_n.T + b_in + r * (h_prev @ U_n.T + b_hn)
    else:
        a_n = x @ W_n.T + b_in + (r * h_prev) @ U_n.T + b_hn
    n = np.tanh(a_n)  # candidate

    kept = z * h_prev  # the share of the past the update gate keeps
    written = (1 - z) * n  # and the share of the candidate that replaces the rest
    return GRUStep(a_r, a_z, a_n, r, z, n, kept, written, kept + written)


def previous_states(trace, name: str = "h") -> np.ndarray:
    """The state each step started from, (T, [B,] H): h_0 then h_1 .. h_{T-1} (or c for an LSTM)."""
    first, states = getattr(trace, f"{name}0"), getattr(trace, name)
    return np.concatenate([first[None], states[:-1]], axis=0)


def replay(cell, trace):
    """Every step of ``trace`` recomputed by the readable step function of ``cell``'s kind: one call,
    all T steps as a batch. Returns an RNNStep, LSTMStep or GRUStep whose arrays are (T, [B,] H)."""
    h_prev = previous_states(trace, "h")
    if cell.kind == "rnn":
        return rnn_step(trace.params, trace.x, h_prev, cell.nonlinearity)
    if cell.kind == "lstm":
        return lstm_step(trace.params, trace.x, h_prev, previous_states(trace, "c"))
    if cell.kind == "gru":
        return gru_step(trace.params, trace.x, h_prev, cell.reset_after)
    raise ValueError(f"cell: expected an RNN, LSTM or GRU, got {type(cell).__name__}")
