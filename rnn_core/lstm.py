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

from .activations import sigmoid_into
from .base import RecurrentCell, Trace, arena, gate_outer, gate_steps, input_grads, per_gate_T, project_inputs

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
        T, B, _ = X.shape
        H = self.hidden_size
        # pre-activations and activations of the gates (T, 4, B, H); cell and hidden states (T + 1, B, H);
        # tanh(c_t) (T, B, H), which backward needs as well
        A, Y, Cs, Hs, tanh_c = arena(X.dtype, (T, 4, B, H), (T, 4, B, H), (T + 1, B, H), (T + 1, B, H), (T, B, H))
        # Internally the gates run in the order i, f, o, g (PyTorch's blocks with the last two swapped),
        # so the three sigmoid gates sit side by side and each step squashes them in one call.
        perm = internal_order(H)
        X1 = project_inputs(X, P["weight_ih"][perm], (P["bias_ih"] + P["bias_hh"])[perm], A)
        Cs[0], Hs[0] = C0, H0  # row t: the state before step t
        W_hhT = per_gate_T(P["weight_hh"][perm], 4)  # (4, H, H): W_gᵀ for each gate
        rec = np.empty_like(A[0])  # (4, B, H): W_hh h_{t-1}, reused every step
        tmp = np.empty_like(H0)
        peep = self.peephole
        if peep:
            w_ci, w_cf, w_co = (P[k] for k in PEEPHOLES)
        for t in range(T):
            a, y = A[t], Y[t]  # (4, B, H): gates i, f, o, g, filled in place
            a += np.matmul(Hs[t], W_hhT, out=rec)
            c_prev, c = Cs[t], Cs[t + 1]
            if peep:  # i and f peek at the old cell state; o will see the new one
                a[0] += np.multiply(w_ci, c_prev, out=tmp)
                a[1] += np.multiply(w_cf, c_prev, out=tmp)
                sigmoid_into(a[:2], y[:2])
            else:
                sigmoid_into(a[:3], y[:3])  # i, f, o
            np.tanh(a[3], out=y[3])
            i, f, o, g = y[0], y[1], y[2], y[3]  # (B, H) each
            np.multiply(f, c_prev, out=c)  # c_t = f ⊙ c_{t-1} + i ⊙ g
            c += np.multiply(i, g, out=tmp)
            if peep:
                a[2] += np.multiply(w_co, c, out=tmp)
                sigmoid_into(a[2], o)
            np.tanh(c, out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=Hs[t + 1])  # h_t = o ⊙ tanh(c_t)
        k = {name: INTERNAL.index(name) for name in self.gate_names}
        h, c = Hs[1:], Cs[1:]
        return {"h": h, "c": c, "state": (c, h),
                "gates": {name: Y[:, k[name]] for name in self.gate_names},
                "pre": {name: A[:, k[name]] for name in self.gate_names},
                "extra": {"x1": X1, "act": Y, "tanh_c": tanh_c, "h_prev": Hs[:-1], "c_prev": Cs[:-1]}}

    def _backward(self, trace: Trace, dH, per_step: bool) -> dict:
        Y, tanh_c = self._internals(trace)  # (T, 4, B, H) gates i, f, o, g; (T, B, H) tanh(c_t)
        T, _, B, H = Y.shape
        c_prev, h_prev = self.state_prev(trace, "c"), self.h_prev(trace)
        P = trace.params
        perm = internal_order(H)
        W_hh = P["weight_hh"][perm].reshape(4, H, H)  # W_g per gate
        # dL/d(pre-activation) of every gate at every step, gate-major (4, T, B, H) so that each weight
        # gradient is one matmul per gate over all steps; and the total dL/dh_t and dL/dc_t.
        dA, dH_total, dC_total = arena(Y.dtype, (4, T, B, H), (T, B, H), (T, B, H))
        f_gate = Y[:, 1]
        back = np.empty_like(Y[0])  # W_gᵀ dL/da_g for each gate, summed into dL/dh_{t-1}
        tmp = np.empty_like(dH[0])
        dh_next, dc_next = np.zeros_like(tmp), np.zeros_like(tmp)
        peep = self.peephole
        if peep:
            w_ci, w_cf, w_co = (P[k] for k in PEEPHOLES)
        # Walk back through time in blocks of steps small enough to stay in cache: first everything in
        # the block that does not depend on the recursion (vectorised), then the recursion step by step.
        size = block_steps(B * H * Y.itemsize)
        for stop in range(T, 0, -size):
            block = slice(max(0, stop - size), stop)
            local_factors(Y[block], c_prev[block], tanh_c[block], dA[:, block], dC_total[block])
            for t in range(block.stop - 1, block.start - 1, -1):
                da, dc = dA[:, t], dC_total[t]  # da: this step's four (B, H) planes
                dh = np.add(dH[t], dh_next, out=dH_total[t])  # loss at t + what flows back from t+1
                da[2] *= dh  # dL/da_o
                dc *= dh
                dc += dc_next  # dL/dc_t: through h_t, and straight back from c_{t+1}
                if peep:  # o saw c_t through w_co
                    dc += np.multiply(da[2], w_co, out=tmp)
                da[:2] *= dc  # dL/da_i, dL/da_f
                da[3] *= dc  # dL/da_g
                np.matmul(da, W_hh, out=back)
                np.add.reduce(back, axis=0, out=dh_next)  # dL/dh_{t-1} = Σ_g W_gᵀ dL/da_g
                np.multiply(dc, f_gate[t], out=dc_next)
                if peep:
                    dc_next += np.multiply(da[0], w_ci, out=tmp)
                    dc_next += np.multiply(da[1], w_cf, out=tmp)
        inp = input_grads(dA, self.inputs_with_ones(trace), P["weight_ih"][perm], per_step)
        # perm swaps the g and o blocks, so indexing with it again restores PyTorch's row order.
        grads = {"weight_ih": inp["weight"][perm], "weight_hh": gate_outer(dA, h_prev)[perm],
                 "bias_ih": inp["bias"][perm], "bias_hh": inp["bias"][perm]}
        steps = None
        if per_step:
            steps = {"weight_ih": inp["step_weight"][:, perm], "weight_hh": gate_steps(dA, h_prev)[:, perm],
                     "bias_ih": inp["step_bias"][:, perm], "bias_hh": inp["step_bias"][:, perm]}
        if peep:
            for name, k, state in (("weight_ci", 0, c_prev), ("weight_cf", 1, c_prev),
                                   ("weight_co", 2, self.batched_view(trace, "c"))):
                contrib = np.einsum("tbh,tbh->th", dA[k], state)  # (T, H)
                grads[name] = contrib.sum(axis=0)
                if per_step:
                    steps[name] = contrib
        res = {"params": grads, "x": inp["x"], "h0": dh_next, "c0": dc_next, "dh": dH_total, "dc": dC_total}
        if per_step:
            res["per_step"] = steps
        return res

    def _internals(self, trace: Trace) -> tuple[np.ndarray, np.ndarray]:
        """(T, 4, B, H) gate activations in the internal order i, f, o, g and (T, B, H) tanh(c_t): the
        forward pass's own arrays, or rebuilt from the public ones for a trace that lacks them."""
        if "act" in trace.extra and "tanh_c" in trace.extra:
            return trace.extra["act"], trace.extra["tanh_c"]
        return self.gates_of(trace, INTERNAL), np.tanh(self.batched_view(trace, "c"))


INTERNAL = ("i", "f", "o", "g")


def block_steps(plane_bytes: int) -> int:
    """How many steps of backward work (about a dozen (B, H) planes each) fit in ~1 MiB of cache."""
    return max(1, (1 << 20) // (12 * plane_bytes))


def local_factors(Y, c_prev, tanh_c, dA, dC) -> None:
    """Everything in dL/da and dL/dc that does not depend on the recursion, for a block of steps.

    Written where dL/da (4, T, B, H) and dL/dc (T, B, H) will go; the loop then only scales it in place
    by the gradient arriving at c_t or h_t:
        dL/da_i = dc ⊙ g ⊙ σ'(i)            dL/da_f = dc ⊙ c_{t-1} ⊙ σ'(f)
        dL/da_o = dh ⊙ tanh(c_t) ⊙ σ'(o)    dL/da_g = dc ⊙ i ⊙ tanh'(g)
        dL/dc_t = dh ⊙ o ⊙ (1 - tanh² c_t) + dc_{t+1} ⊙ f_{t+1}
    with σ' = y - y² and tanh' = 1 - g². Y: (T, 4, B, H) gates i, f, o, g.
    """
    local = dA.swapaxes(0, 1)  # (T, 4, B, H) view, laid out like Y
    np.multiply(Y, Y, out=local)
    np.subtract(Y[:, :3], local[:, :3], out=local[:, :3])
    np.subtract(1.0, local[:, 3], out=local[:, 3])
    for k, factor in ((0, Y[:, 3]), (1, c_prev), (2, tanh_c), (3, Y[:, 0])):
        dA[k] *= factor
    np.multiply(tanh_c, tanh_c, out=dC)
    np.subtract(1.0, dC, out=dC)
    dC *= Y[:, 2]


def internal_order(H: int) -> np.ndarray:
    """Row indices taking PyTorch's gate blocks (i, f, g, o) to the internal order (i, f, o, g).

    Swapping two blocks is its own inverse: indexing internal rows with it gives PyTorch's order back.
    """
    return np.arange(4 * H).reshape(4, H)[[0, 1, 3, 2]].ravel()
