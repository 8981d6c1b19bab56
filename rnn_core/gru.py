"""Gated recurrent unit, gate order r, z, n.

PyTorch's form (``reset_after=True``), the reset gate scales the *result* of the matmul:
    r = σ(W_ir x + b_ir + W_hr h + b_hr)          reset gate
    z = σ(W_iz x + b_iz + W_hz h + b_hz)          update gate: how much of the past to keep
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)) candidate
    h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
Cho et al. 2014 (``reset_after=False``) reset h *before* the matmul:
    n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
from .base import RecurrentCell, Trace, linear_param_grads


class GRU(RecurrentCell):
    """Single-layer GRU. params as PyTorch: weight_ih (3H, D), weight_hh (3H, H), biases (3H,)."""

    kind = "gru"
    gate_names = ("r", "z", "n")

    def __init__(self, input_size: int, hidden_size: int, *, reset_after: bool = True,
                 seed: int | None = None, dtype=np.float64):
        self.reset_after = bool(reset_after)
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)

    def __repr__(self) -> str:
        return f"GRU(input_size={self.input_size}, hidden_size={self.hidden_size}, reset_after={self.reset_after})"

    def _forward(self, X, H0, C0, P) -> dict:
        T, B, D = X.shape
        H = self.hidden_size
        xp = (X.reshape(T * B, D) @ P["weight_ih"].T).reshape(T, B, 3, H)
        xp += P["bias_ih"].reshape(3, H)
        pre = np.empty_like(xp)  # pre-activations of r, z, n
        act = np.empty_like(xp)
        hn = np.empty((T, B, H), dtype=xp.dtype)  # the hidden part of n's pre-activation
        rh = np.empty_like(hn) if not self.reset_after else None
        Hs = np.empty_like(hn)
        W, b = P["weight_hh"], P["bias_hh"]
        W_rzT, b_rz = W[: 2 * H].T, b[: 2 * H].reshape(2, H)
        W_nT, b_n = W[2 * H :].T, b[2 * H :]
        h = H0
        for t in range(T):
            np.add(xp[t, :, :2], (h @ W_rzT).reshape(B, 2, H) + b_rz, out=pre[t, :, :2])
            act[t, :, :2] = sigmoid(pre[t, :, :2])
            r, z = act[t, :, 0], act[t, :, 1]
            if self.reset_after:
                np.add(h @ W_nT, b_n, out=hn[t])
                np.add(xp[t, :, 2], r * hn[t], out=pre[t, :, 2])
            else:
                np.multiply(r, h, out=rh[t])
                np.add(rh[t] @ W_nT, b_n, out=hn[t])
                np.add(xp[t, :, 2], hn[t], out=pre[t, :, 2])
            n = act[t, :, 2]
            np.tanh(pre[t, :, 2], out=n)
            h_new = Hs[t]
            np.subtract(h, n, out=h_new)  # h_t = n + z (h_{t-1} - n)
            h_new *= z
            h_new += n
            h = h_new
        gates = {name: act[:, :, k] for k, name in enumerate(self.gate_names)}
        pres = {name: pre[:, :, k] for k, name in enumerate(self.gate_names)}
        extra = {"act": act, "hn": hn}
        if rh is not None:
            extra["rh"] = rh
        return {"h": Hs, "gates": gates, "pre": pres, "state": Hs, **extra}

    def _backward(self, trace: Trace, dH, per_step: bool) -> dict:
        act, hn = trace.extra["act"], trace.extra["hn"]
        T, B, _, H = act.shape
        r, z, n = act[:, :, 0], act[:, :, 1], act[:, :, 2]
        h_prev = self.h_prev(trace)
        # Local derivatives for all steps at once.
        k_n = (1.0 - z) * (1.0 - n * n)  # dL/da_n = dh * k_n
        k_z = (h_prev - n) * z * (1.0 - z)  # dL/da_z = dh * k_z
        k_r = r * (1.0 - r)
        dX = np.empty_like(act)  # dL/d(W_ih x + b_ih), gates r, z, n
        dHp = np.empty_like(act)  # dL/d(hidden projection): n part differs in PyTorch's form
        dH_total = np.empty_like(hn)
        W = trace.params["weight_hh"]
        W_rz, W_n = W[: 2 * H], W[2 * H :]
        dh_next = np.zeros((B, H), dtype=hn.dtype)
        for t in range(T - 1, -1, -1):
            dh = dH_total[t]
            np.add(dH[t], dh_next, out=dh)
            da_n = dX[t, :, 2]
            np.multiply(dh, k_n[t], out=da_n)
            np.multiply(dh, k_z[t], out=dX[t, :, 1])
            dh_next = dh * z[t]
            if self.reset_after:
                np.multiply(da_n, r[t], out=dHp[t, :, 2])
                np.multiply(da_n * hn[t], k_r[t], out=dX[t, :, 0])
                dHp[t, :, :2] = dX[t, :, :2]
                dh_next += dHp[t].reshape(B, 3 * H) @ W
            else:
                d_rh = da_n @ W_n
                np.multiply(d_rh * h_prev[t], k_r[t], out=dX[t, :, 0])
                dh_next += d_rh * r[t] + dX[t, :, :2].reshape(B, 2 * H) @ W_rz
        dpre_ih = dX.reshape(T, B, 3 * H)
        out = self._input_grads(trace, dpre_ih, per_step)
        if self.reset_after:
            dW, db, sW, sb = linear_param_grads(dHp.reshape(T, B, 3 * H), h_prev, per_step)
        else:  # rows r, z see h_{t-1}; rows n see r ⊙ h_{t-1}
            parts = [linear_param_grads(dX[:, :, :2].reshape(T, B, 2 * H), h_prev, per_step),
                     linear_param_grads(dX[:, :, 2], trace.extra["rh"], per_step)]
            dW, db = (np.concatenate([p[k] for p in parts]) for k in (0, 1))
            sW, sb = (np.concatenate([p[k] for p in parts], axis=1) if per_step else None for k in (2, 3))
        grads = {"weight_ih": out["weight_ih"], "weight_hh": dW, "bias_ih": out["bias_ih"], "bias_hh": db}
        res = {"params": grads, "x": out["x"], "h0": dh_next, "dh": dH_total}
        if per_step:
            res["per_step"] = {**out["per_step"], "weight_hh": sW, "bias_hh": sb}
        return res
