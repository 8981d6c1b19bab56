"""The vanilla (Elman) RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), as torch.nn.RNN."""

from __future__ import annotations

import numpy as np

from .activations import get_activation
from .base import RecurrentCell, Trace, linear_param_grads


class RNN(RecurrentCell):
    """Single-layer vanilla RNN. ``nonlinearity``: tanh, sigmoid, relu, leaky_relu, elu or identity.

    params: weight_ih (H, D), weight_hh (H, H), bias_ih (H,), bias_hh (H,).
    trace.gates["h"] is the hidden state; trace.pre["h"] the pre-activation a_t.
    """

    kind = "rnn"
    gate_names = ("h",)

    def __init__(self, input_size: int, hidden_size: int, *, nonlinearity: str = "tanh",
                 seed: int | None = None, dtype=np.float64):
        self.activation = get_activation(nonlinearity)
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)

    def __repr__(self) -> str:
        return f"RNN(input_size={self.input_size}, hidden_size={self.hidden_size}, nonlinearity={self.nonlinearity!r})"

    def _forward(self, X, H0, C0, P) -> dict:
        T, B, D = X.shape
        H = self.hidden_size
        # All input projections in one matmul; both biases folded in, as PyTorch adds both.
        A = (X.reshape(T * B, D) @ P["weight_ih"].T).reshape(T, B, H)
        A += P["bias_ih"] + P["bias_hh"]
        Hs = np.empty_like(A)
        W_hhT = P["weight_hh"].T
        act = self.activation.fn
        h = H0
        for t in range(T):
            a = A[t]  # (B, H) becomes the pre-activation in place
            a += h @ W_hhT
            h = Hs[t] = act(a)
        return {"h": Hs, "gates": {"h": Hs}, "pre": {"h": A}, "state": Hs}

    def _backward(self, trace: Trace, dH, per_step: bool) -> dict:
        A = self._pre(trace)
        Hs = self.batched_view(trace, "h")
        T, B, H = Hs.shape
        deriv = self.activation.deriv(A, Hs)  # (T, B, H) act'(a_t), vectorised before the loop
        dA = np.empty_like(Hs)
        dH_total = np.empty_like(Hs)
        W_hh = trace.params["weight_hh"]
        dnext = np.zeros((B, H), dtype=Hs.dtype)
        for t in range(T - 1, -1, -1):
            np.add(dH[t], dnext, out=dH_total[t])  # loss at t + what flows back from t+1
            np.multiply(dH_total[t], deriv[t], out=dA[t])
            dnext = dA[t] @ W_hh
        out = self._input_grads(trace, dA, per_step)
        dW, db, sW, sb = linear_param_grads(dA, self.h_prev(trace), per_step)
        grads = {"weight_ih": out["weight_ih"], "weight_hh": dW, "bias_ih": out["bias_ih"], "bias_hh": db}
        res = {"params": grads, "x": out["x"], "h0": dnext, "dh": dH_total}
        if per_step:
            res["per_step"] = {**out["per_step"], "weight_hh": sW, "bias_hh": sb}
        return res

    @staticmethod
    def _pre(trace: Trace) -> np.ndarray:
        a = trace.pre["h"]
        return a if trace.batched else a[:, None]
