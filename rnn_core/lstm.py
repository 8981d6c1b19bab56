"""Long short-term memory, as torch.nn.LSTM (gate order i, f, g, o), with optional peepholes.

    i = σ(W_ii x + b_ii + W_hi h + b_hi [+ w_ci ⊙ c_{t-1}])   input gate
    f = σ(W_if x + b_if + W_hf h + b_hf [+ w_cf ⊙ c_{t-1}])   forget gate
    g = tanh(W_ig x + b_ig + W_hg h + b_hg)                   candidate
    c_t = f ⊙ c_{t-1} + i ⊙ g                                 the cell state: the conveyor belt
    o = σ(W_io x + b_io + W_ho h + b_ho [+ w_co ⊙ c_t])       output gate
    h_t = o ⊙ tanh(c_t)

Peepholes (Gers & Schmidhuber 2000) are an extension PyTorch does not have: diagonal
weights ``weight_ci``, ``weight_cf``, ``weight_co`` (H,) letting the gates see the cell state.
"""

from __future__ import annotations

import numpy as np

from .base import RecurrentCell, Trace, linear_param_grads

PEEPHOLES = ("weight_ci", "weight_cf", "weight_co")


class LSTM(RecurrentCell):
    """Single-layer LSTM. params as PyTorch: weight_ih (4H, D), weight_hh (4H, H), biases (4H,)."""

    kind = "lstm"
    gate_names = ("i", "f", "g", "o")
    takes_c0 = True

    def __init__(self, input_size: int, hidden_size: int, *, peephole: bool = False,
                 seed: int | None = None, dtype=np.float64):
        self.peephole = bool(peephole)
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)

    def __repr__(self) -> str:
        return f"LSTM(input_size={self.input_size}, hidden_size={self.hidden_size}, peephole={self.peephole})"

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        shapes = super().param_shapes()
        if self.peephole:
            shapes.update({k: (self.hidden_size,) for k in PEEPHOLES})
        return shapes

    def _forward(self, X, H0, C0, P) -> dict:
        T, B, D = X.shape
        H = self.hidden_size
        pre = (X.reshape(T * B, D) @ P["weight_ih"].T).reshape(T, B, 4, H)
        pre += (P["bias_ih"] + P["bias_hh"]).reshape(4, H)
        act = np.empty_like(pre)  # (T, B, 4, H): i, f, g, o after their nonlinearities
        Cs = np.empty((T, B, H), dtype=pre.dtype)
        tanh_c = np.empty_like(Cs)
        Hs = np.empty_like(Cs)
        W_hhT = P["weight_hh"].T
        # σ(a) = (tanh(a/2) + 1) / 2 lets one tanh call serve all four gates.
        scale = np.array([0.5, 0.5, 1.0, 0.5], dtype=pre.dtype)[:, None]
        shift = np.array([0.5, 0.5, 0.0, 0.5], dtype=pre.dtype)[:, None]
        peep = self.peephole
        h, c = H0, C0
        for t in range(T):
            a = pre[t]  # (B, 4, H), filled in place with the full pre-activation
            a += (h @ W_hhT).reshape(B, 4, H)
            if peep:
                a[:, 0] += P["weight_ci"] * c
                a[:, 1] += P["weight_cf"] * c
            y = act[t]
            np.multiply(a, scale, out=y)
            np.tanh(y, out=y)
            y *= scale
            y += shift
            i, f, g = y[:, 0], y[:, 1], y[:, 2]
            c = Cs[t]
            np.multiply(f, C0 if t == 0 else Cs[t - 1], out=c)
            c += i * g
            if peep:  # the output gate peeks at the *new* cell state, so recompute it
                a[:, 3] += P["weight_co"] * c
                y[:, 3] = 0.5 * np.tanh(0.5 * a[:, 3]) + 0.5
            np.tanh(c, out=tanh_c[t])
            h = Hs[t]
            np.multiply(y[:, 3], tanh_c[t], out=h)
        gates = {name: act[:, :, k] for k, name in enumerate(self.gate_names)}
        pres = {name: pre[:, :, k] for k, name in enumerate(self.gate_names)}
        return {"h": Hs, "c": Cs, "gates": gates, "pre": pres, "state": Cs + Hs,
                "act": act, "tanh_c": tanh_c}

    def _backward(self, trace: Trace, dH, per_step: bool) -> dict:
        act = trace.extra["act"]  # (T, B, 4, H), always batched internally
        tanh_c = trace.extra["tanh_c"]
        Cs = self.batched_view(trace, "c")
        C0 = self.batched_view(trace, "c0")
        T, B, _, H = act.shape
        i, f, g, o = (act[:, :, k] for k in range(4))
        c_prev = np.concatenate([C0[None], Cs[:-1]], axis=0)
        # Local derivatives for every step at once; the loop only chains them.
        k_o = tanh_c * o * (1.0 - o)  # dL/da_o = dh * k_o
        k_c = o * (1.0 - tanh_c * tanh_c)  # dL/dc += dh * k_c
        k_ifg = np.stack([g * i * (1.0 - i), c_prev * f * (1.0 - f), i * (1.0 - g * g)], axis=2)
        dA = np.empty_like(act)  # dL/d(pre-activation), (T, B, 4, H)
        dH_total = np.empty_like(Cs)
        dC_total = np.empty_like(Cs)
        W_hh = trace.params["weight_hh"]
        P = trace.params
        peep = self.peephole
        dh_next = np.zeros((B, H), dtype=Cs.dtype)
        dc_next = np.zeros((B, H), dtype=Cs.dtype)
        for t in range(T - 1, -1, -1):
            dh = dH_total[t]
            np.add(dH[t], dh_next, out=dh)
            np.multiply(dh, k_o[t], out=dA[t, :, 3])
            dc = dC_total[t]
            np.multiply(dh, k_c[t], out=dc)
            dc += dc_next
            if peep:
                dc += dA[t, :, 3] * P["weight_co"]
            np.multiply(dc[:, None, :], k_ifg[t], out=dA[t, :, :3])
            dh_next = dA[t].reshape(B, 4 * H) @ W_hh
            dc_next = dc * f[t]
            if peep:
                dc_next += dA[t, :, 0] * P["weight_ci"] + dA[t, :, 1] * P["weight_cf"]
        dpre = dA.reshape(T, B, 4 * H)
        out = self._input_grads(trace, dpre, per_step)
        dW, db, sW, sb = linear_param_grads(dpre, self.h_prev(trace), per_step)
        grads = {"weight_ih": out["weight_ih"], "weight_hh": dW, "bias_ih": out["bias_ih"], "bias_hh": db}
        steps = {**out["per_step"], "weight_hh": sW, "bias_hh": sb} if per_step else None
        if peep:
            for name, k, state in (("weight_ci", 0, c_prev), ("weight_cf", 1, c_prev), ("weight_co", 3, Cs)):
                contrib = (dA[:, :, k] * state).sum(axis=1)  # (T, H)
                grads[name] = contrib.sum(axis=0)
                if per_step:
                    steps[name] = contrib
        res = {"params": grads, "x": out["x"], "h0": dh_next, "c0": dc_next, "dh": dH_total, "dc": dC_total}
        if per_step:
            res["per_step"] = steps
        return res
