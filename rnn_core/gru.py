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

from .activations import sigmoid_into
from .base import RecurrentCell, Trace, arena, gate_outer, gate_steps, input_grads, per_gate_T, project_inputs


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
        T, B, _ = X.shape
        H = self.hidden_size
        # pre-activations and activations r, z, n (T, 3, B, H); hidden states (T + 1, B, H); and kept:
        # W_hn h + b_hn (PyTorch's form) or r ⊙ h (Cho's) at every step, for backward.
        A, Y, Hs, kept = arena(X.dtype, (T, 3, B, H), (T, 3, B, H), (T + 1, B, H), (T, B, H))
        W, b_hh = P["weight_hh"], P["bias_hh"]
        # r and z add both biases straight to the pre-activation, so both join the input projection.
        # n's hidden bias does too in Cho's form; in PyTorch's form it sits inside r ⊙ (W_hn h + b_hn).
        b_x = P["bias_ih"] + b_hh
        if self.reset_after:
            b_x[2 * H :] = P["bias_ih"][2 * H :]
        X1 = project_inputs(X, P["weight_ih"], b_x, A)  # A is completed in place, step by step
        Hs[0] = H0  # row t: h before step t
        tmp = np.empty_like(H0)
        if self.reset_after:
            W_T, b_hn = per_gate_T(W, 3), b_hh[2 * H :]  # (3, H, H): all three gates in one matmul
            rec = np.empty_like(A[0])
        else:
            W_rzT, W_nT = per_gate_T(W[: 2 * H], 2), np.ascontiguousarray(W[2 * H :].T)
            rec = np.empty_like(A[0, :2])
        for t in range(T):
            h, a, y = Hs[t], A[t], Y[t]  # a, y: (3, B, H), gates r, z, n
            if self.reset_after:
                np.matmul(h, W_T, out=rec)
                a[:2] += rec[:2]
                np.add(rec[2], b_hn, out=kept[t])  # W_hn h + b_hn
                sigmoid_into(a[:2], y[:2])
                a[2] += np.multiply(y[0], kept[t], out=tmp)  # + r ⊙ (W_hn h + b_hn)
            else:
                a[:2] += np.matmul(h, W_rzT, out=rec)
                sigmoid_into(a[:2], y[:2])
                np.multiply(y[0], h, out=kept[t])  # r ⊙ h
                a[2] += np.matmul(kept[t], W_nT, out=tmp)
            z, n = y[1], y[2]
            np.tanh(a[2], out=n)
            h_new = Hs[t + 1]
            np.subtract(h, n, out=h_new)  # h_t = n + z ⊙ (h_{t-1} - n) = (1 - z) ⊙ n + z ⊙ h_{t-1}
            h_new *= z
            h_new += n
        h = Hs[1:]
        return {"h": h, "state": (h,),
                "gates": {name: Y[:, k] for k, name in enumerate(self.gate_names)},
                "pre": {name: A[:, k] for k, name in enumerate(self.gate_names)},
                "extra": {"x1": X1, "act": Y, "h_prev": Hs[:-1], "hn" if self.reset_after else "rh": kept}}

    def _backward(self, trace: Trace, dH, per_step: bool) -> dict:
        Y, kept = self._internals(trace)  # (T, 3, B, H) r, z, n; (T, B, H) W_hn h + b_hn or r ⊙ h
        T, _, B, H = Y.shape
        h_prev = self.h_prev(trace)
        W = trace.params["weight_hh"].reshape(3, H, H)  # W_r, W_z, W_n
        # dX: dL/d(pre-activation) r, z, n, what the input projection receives; total dL/dh_t; and in
        # PyTorch's form dHn = dL/d(W_hn h + b_hn) = dL/da_n ⊙ r, which differs from dX's n plane.
        dX, dH_total, dHn = arena(Y.dtype, (3, T, B, H), (T, B, H), (T if self.reset_after else 0, B, H))
        # Local derivatives of every step at once, written into dX; the loop multiplies them in place.
        # h_t = n + z ⊙ (h_{t-1} - n), n = tanh(a_n), r and z sigmoids:
        #   dL/da_n = dh ⊙ (1 - z)(1 - n²)        dL/da_z = dh ⊙ (h_{t-1} - n) z (1 - z)
        #   dL/da_r = dL/da_n ⊙ hn r (1 - r)   (PyTorch's form: hn = W_hn h + b_hn)
        #   dL/da_r = dL/d(r ⊙ h) ⊙ h_{t-1} r (1 - r)   (Cho's form)
        r, z, n = Y[:, 0], Y[:, 1], Y[:, 2]
        k_r, k_z, k_n = dX
        np.subtract(1.0, z, out=k_z)
        np.multiply(n, n, out=k_n)
        np.subtract(1.0, k_n, out=k_n)
        k_n *= k_z
        k_z *= z
        k_z *= np.subtract(h_prev, n, out=k_r)
        np.subtract(1.0, r, out=k_r)
        k_r *= r
        k_r *= kept if self.reset_after else h_prev
        back = np.empty_like(Y[0])  # W_gᵀ dL/da_g for each gate, summed into dL/dh_{t-1}
        tmp, d_rh = np.empty_like(dH[0]), np.empty_like(dH[0])
        dh_next = np.zeros_like(tmp)
        for t in range(T - 1, -1, -1):
            da = dX[:, t]  # (3, B, H): dL/da_r, dL/da_z, dL/da_n once scaled
            dh = np.add(dH[t], dh_next, out=dH_total[t])  # loss at t + what flows back from t+1
            da[1:] *= dh
            if self.reset_after:
                da[0] *= da[2]
                np.multiply(da[2], Y[t, 0], out=dHn[t])  # dL/d(W_hn h + b_hn) = dL/da_n ⊙ r
                np.matmul(da[:2], W[:2], out=back[:2])
                np.matmul(dHn[t], W[2], out=back[2])
                np.add.reduce(back, axis=0, out=dh_next)
            else:
                np.matmul(da[2], W[2], out=d_rh)  # dL/d(r ⊙ h)
                da[0] *= d_rh
                np.matmul(da[:2], W[:2], out=back[:2])
                np.add.reduce(back[:2], axis=0, out=dh_next)
                dh_next += np.multiply(d_rh, Y[t, 0], out=tmp)
            dh_next += np.multiply(dh, Y[t, 1], out=tmp)  # h_{t-1}'s direct path, weighted by z
        inp = input_grads(dX, self.inputs_with_ones(trace), trace.params["weight_ih"], per_step)
        grads = {"weight_ih": inp["weight"], "bias_ih": inp["bias"]}
        steps = {"weight_ih": inp["step_weight"], "bias_ih": inp["step_bias"]} if per_step else None
        # Rows r, z of W_hh see h_{t-1}; rows n see h_{t-1} (PyTorch's form, through dHn) or r ⊙ h_{t-1} (Cho's).
        dn, n_in = (dHn, h_prev) if self.reset_after else (dX[2], kept)
        grads["weight_hh"] = np.concatenate([gate_outer(dX[:2], h_prev), gate_outer(dn[None], n_in)])
        if self.reset_after:
            grads["bias_hh"] = np.concatenate([inp["bias"][: 2 * H], dn.sum(axis=(0, 1))])
        else:  # every hidden bias adds like its input twin
            grads["bias_hh"] = inp["bias"].copy()
        if per_step:
            steps["weight_hh"] = np.concatenate([gate_steps(dX[:2], h_prev), gate_steps(dn[None], n_in)], axis=1)
            steps["bias_hh"] = np.concatenate([inp["step_bias"][:, : 2 * H], dn.sum(axis=1)], axis=1)
        res = {"params": grads, "x": inp["x"], "h0": dh_next, "dh": dH_total}
        if per_step:
            res["per_step"] = steps
        return res

    def _internals(self, trace: Trace) -> tuple[np.ndarray, np.ndarray]:
        """(T, 3, B, H) activations r, z, n and (T, B, H) W_hn h_{t-1} + b_hn (PyTorch's form) or
        r ⊙ h_{t-1} (Cho's), as the forward pass kept them; rebuilt for a trace that lacks them."""
        key = "hn" if self.reset_after else "rh"
        if "act" in trace.extra and key in trace.extra:
            return trace.extra["act"], trace.extra[key]
        act, h_prev, H = self.gates_of(trace, self.gate_names), self.h_prev(trace), self.hidden_size
        if self.reset_after:
            P = trace.params
            return act, h_prev @ P["weight_hh"][2 * H :].T + P["bias_hh"][2 * H :]
        return act, act[:, 0] * h_prev
