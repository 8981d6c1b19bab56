"""The vanilla (Elman) RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), as torch.nn.RNN."""

from __future__ import annotations

import numpy as np

from .activations import get_activation
from .base import RecurrentCell, Trace, arena, input_grads, outer_steps, outer_sum, project_inputs


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
        T, B, _ = X.shape
        A, Hs = arena(X.dtype, (T, 1, B, self.hidden_size), (T + 1, B, self.hidden_size))
        # All input projections at once; both biases folded in, as PyTorch adds both.
        X1 = project_inputs(X, P["weight_ih"], P["bias_ih"] + P["bias_hh"], A)
        A = A[:, 0]  # (T, B, H), completed in place
        Hs[0] = H0  # Hs[t] = h_{t-1}, Hs[t+1] = h_t
        W_hhT = np.ascontiguousarray(P["weight_hh"].T)  # a contiguous operand makes the matmul faster
        rec = np.empty_like(H0)  # W_hh h_{t-1}, reused every step
        apply = self.activation.apply
        for t in range(T):
            a = A[t]  # (B, H) becomes the pre-activation a_t in place
            a += np.matmul(Hs[t], W_hhT, out=rec)
            apply(a, Hs[t + 1])
        h = Hs[1:]
        return {"h": h, "gates": {"h": h}, "pre": {"h": A}, "state": (h,),
                "extra": {"x1": X1, "h_prev": Hs[:-1]}}

    def _backward(self, trace: Trace, dH, per_step: bool) -> dict:
        A, Hs = self.batched_pre(trace), self.batched_view(trace, "h")  # (T, B, H)
        T, B, H = Hs.shape
        dA, dH_total = arena(Hs.dtype, (T, B, H), (T, B, H))  # dL/da_t and the total dL/dh_t
        # act'(a_t) for every step in one vectorised call; the loop scales it in place into dL/da_t.
        self.activation.deriv_into(A, Hs, dA)
        W_hh = trace.params["weight_hh"]
        dnext = np.zeros_like(dH[0])  # dL/dh_{t-1} through W_hh, (B, H)
        for t in range(T - 1, -1, -1):
            dh = np.add(dH[t], dnext, out=dH_total[t])  # loss at t + what flows back from t+1
            da = dA[t]
            da *= dh  # act'(a_t) ⊙ dL/dh_t
            np.matmul(da, W_hh, out=dnext)
        inp = input_grads(dA, self.inputs_with_ones(trace), trace.params["weight_ih"], per_step)
        h_prev = self.h_prev(trace)
        # Both biases enter a_t the same way, so they get the same gradient (as separate arrays).
        grads = {"weight_ih": inp["weight"], "weight_hh": outer_sum(dA, h_prev),
                 "bias_ih": inp["bias"], "bias_hh": inp["bias"].copy()}
        res = {"params": grads, "x": inp["x"], "h0": dnext, "dh": dH_total}
        if per_step:
            res["per_step"] = {"weight_ih": inp["step_weight"], "weight_hh": outer_steps(dA, h_prev),
                               "bias_ih": inp["step_bias"], "bias_hh": inp["step_bias"].copy()}
        return res

    @staticmethod
    def batched_pre(trace: Trace) -> np.ndarray:
        a = trace.pre["h"]
        return a if trace.batched else a[:, None]
