"""Every cell, every option, every parameter: backward() against central finite differences (float64).

The loss is L = Σ_t Σ w_t ⊙ h_t with a random fixed w, so dL/dh_t = w_t is what backward receives.
Also: the exact powers of two of the BPTT lesson, and the *total* gradients grads.dh / grads.dc.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import numeric_grad, rel_error

import rnn_core

TOL = 1e-7  # central differences in float64 agree to ~1e-9 here; a wrong term shows up as O(1)

CONFIGS = {
    **{f"rnn-{a}": (rnn_core.RNN, {"nonlinearity": a}) for a in rnn_core.ACTIVATIONS},
    "lstm": (rnn_core.LSTM, {"peephole": False}),
    "lstm-peephole": (rnn_core.LSTM, {"peephole": True}),
    "gru-reset-after": (rnn_core.GRU, {"reset_after": True}),
    "gru-cho": (rnn_core.GRU, {"reset_after": False}),
}
# (T, B or None for unbatched): T = 1 both ways, then longer sequences.
LAYOUTS = [(1, None), (1, 3), (4, None), (5, 2)]


def make_case(name: str, layout_index: int):
    """A cell with random small sizes, a random x, h0, (c0) and loss weights w — all from a fixed seed."""
    rng = np.random.default_rng([layout_index, *name.encode()])
    T, B = LAYOUTS[layout_index]
    D, H = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    cls, kwargs = CONFIGS[name]
    cell = cls(D, H, seed=int(rng.integers(1 << 30)), **kwargs)
    for arr in cell.params.values():  # wider than PyTorch's init so that every gate does real work
        arr[...] = rng.uniform(-1.0, 1.0, arr.shape)
    lead = (T,) if B is None else (T, B)
    state = (H,) if B is None else (B, H)
    x = rng.standard_normal((*lead, D))
    h0 = 0.5 * rng.standard_normal(state)
    c0 = 0.5 * rng.standard_normal(state) if cell.takes_c0 else None
    w = rng.standard_normal((*lead, H))
    return cell, x, h0, c0, w


def loss(cell, x, h0, c0, w) -> float:
    return float(np.sum(w * cell.forward(x, h0, c0).h))


@pytest.mark.parametrize("layout", range(len(LAYOUTS)), ids=[f"T{t}-B{b}" for t, b in LAYOUTS])
@pytest.mark.parametrize("name", CONFIGS)
def test_backward_matches_finite_differences(name, layout):
    cell, x, h0, c0, w = make_case(name, layout)
    grads = cell.backward(cell.forward(x, h0, c0), w)
    f = lambda: loss(cell, x, h0, c0, w)  # noqa: E731 - reads the arrays numeric_grad perturbs
    assert set(grads.params) == set(cell.params)
    for key, arr in cell.params.items():
        assert grads.params[key].shape == arr.shape, key
        assert rel_error(grads.params[key], numeric_grad(f, arr)) < TOL, key
    assert rel_error(grads.x, numeric_grad(f, x)) < TOL
    assert rel_error(grads.h0, numeric_grad(f, h0)) < TOL
    if c0 is not None:
        assert rel_error(grads.c0, numeric_grad(f, c0)) < TOL
    else:
        assert grads.c0 is None


@pytest.mark.parametrize("name", CONFIGS)
def test_total_gradient_reaching_each_step(name):
    """grads.dh[t] = the loss at t + dL/dh_t of the rest of the sequence restarted from h_t (and c_t)."""
    cell, x, h0, c0, w = make_case(name, 3)
    trace = cell.forward(x, h0, c0)
    grads = cell.backward(trace, w)
    T = x.shape[0]
    np.testing.assert_array_equal(grads.dh[-1], w[-1])
    for t in range(T - 1):
        rest = cell.backward(cell.forward(x[t + 1 :], trace.h[t], None if c0 is None else trace.c[t]), w[t + 1 :])
        np.testing.assert_allclose(grads.dh[t], w[t] + rest.h0, rtol=1e-12, atol=1e-14)
        if c0 is not None:
            # dc_t: straight from step t+1, plus through h_t = o ⊙ tanh(c_t) (and o's peephole).
            o, tc = trace.gates["o"][t], np.tanh(trace.c[t])
            via_h = grads.dh[t] * o * (1 - tc**2)
            if cell.peephole:
                via_h = via_h + grads.dh[t] * tc * o * (1 - o) * cell.params["weight_co"]
            np.testing.assert_allclose(grads.dc[t], rest.c0 + via_h, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("power", [2.0, 0.5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_recurrent_weight_w_over_50_steps_scales_gradient_by_w_to_the_50(power, dtype):
    """h_t = w h_{t-1} + x_t (identity, W_ih = 1, no bias): ∂h_50/∂x_0 = w^50 and ∂h_49/∂h0 = w^50, exactly."""
    cell = rnn_core.RNN(1, 1, nonlinearity="identity", dtype=dtype)
    cell.params.update(weight_ih=np.ones((1, 1)), weight_hh=np.full((1, 1), power),
                       bias_ih=np.zeros(1), bias_hh=np.zeros(1))
    x = np.ones((51, 1))
    dh = np.zeros((51, 1))
    dh[-1] = 1.0  # L = h_50: the loss sits on the last of 51 steps, 50 steps after x_0
    grads = cell.backward(cell.forward(x), dh)
    assert grads.x[0, 0] == power**50
    assert grads.dh[0, 0] == power**50
    np.testing.assert_array_equal(grads.dh[:, 0], power ** np.arange(50, -1, -1.0))  # w^(50 - t)
    np.testing.assert_array_equal(grads.x[:, 0], grads.dh[:, 0])  # identity: dL/dx_t = dL/dh_t
    assert grads.h0[0] == power**51

    # The same 50 factors between h0 and h_49 in a 50-step sequence.
    grads = cell.backward(cell.forward(x[:50]), dh[1:])
    assert grads.h0[0] == power**50
    assert grads.x[0, 0] == power**49


def test_h0_none_is_zeros():
    cell = rnn_core.LSTM(2, 3, seed=0)
    x = np.random.default_rng(0).standard_normal((4, 2))
    a, b = cell.forward(x), cell.forward(x, np.zeros(3), np.zeros(3))
    np.testing.assert_array_equal(a.h, b.h)
    np.testing.assert_array_equal(a.c, b.c)
