"""Cell contracts beyond the gradient: textbook equations, batching, dtypes, seeds, params, init, per-step sums."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import rnn_core
from rnn_core import sigmoid

CONFIGS = {
    **{f"rnn-{a}": (rnn_core.RNN, {"nonlinearity": a}) for a in rnn_core.ACTIVATIONS},
    "lstm": (rnn_core.LSTM, {"peephole": False}),
    "lstm-peephole": (rnn_core.LSTM, {"peephole": True}),
    "gru": (rnn_core.GRU, {"reset_after": True}),
    "gru-cho": (rnn_core.GRU, {"reset_after": False}),
}
STATES = ("x", "h0", "dh", "c0", "dc")


def make(name: str, D: int = 3, H: int = 4, seed: int = 0, dtype=np.float64):
    cls, kwargs = CONFIGS[name]
    return cls(D, H, seed=seed, dtype=dtype, **kwargs)


def inputs(cell, T: int = 5, B: int | None = 3, seed: int = 1):
    """x, h0, c0 (None unless LSTM) and dh for a (T, [B,]) sequence."""
    rng = np.random.default_rng(seed)
    lead = (T,) if B is None else (T, B)
    state = lead[1:] + (cell.hidden_size,)
    c0 = rng.standard_normal(state) if cell.takes_c0 else None
    return rng.standard_normal((*lead, cell.input_size)), rng.standard_normal(state), c0, \
        rng.standard_normal((*lead, cell.hidden_size))


def reference_forward(cell, x, h0, c0):
    """The equations as written in the lesson, one step at a time, unbatched: (h, c, gates, pre) per step."""
    P = {k: np.asarray(v, dtype=np.float64) for k, v in cell.params.items()}
    H = cell.hidden_size
    rows = lambda W, k: W[k * H : (k + 1) * H]  # noqa: E731 - gate k's block of rows
    h, c = h0, c0
    out = {"h": [], "c": [], "gates": [], "pre": []}
    for x_t in x:
        xp = P["weight_ih"] @ x_t + P["bias_ih"]
        hp = P["weight_hh"] @ h + P["bias_hh"]
        if cell.kind == "rnn":
            a = xp + hp
            h = cell.activation.fn(a)
            gates, pre = {"h": h}, {"h": a}
        elif cell.kind == "lstm":
            a = {g: rows(xp + hp, k) for k, g in enumerate("ifgo")}
            if cell.peephole:
                a["i"] = a["i"] + P["weight_ci"] * c
                a["f"] = a["f"] + P["weight_cf"] * c
            i, f, g = sigmoid(a["i"]), sigmoid(a["f"]), np.tanh(a["g"])
            c = f * c + i * g
            if cell.peephole:
                a["o"] = a["o"] + P["weight_co"] * c
            o = sigmoid(a["o"])
            h = o * np.tanh(c)
            gates, pre = {"i": i, "f": f, "g": g, "o": o}, a
        else:
            r = sigmoid(rows(xp + hp, 0))
            z = sigmoid(rows(xp + hp, 1))
            if cell.reset_after:
                a_n = rows(xp, 2) + r * rows(hp, 2)
            else:
                a_n = rows(xp, 2) + rows(P["weight_hh"], 2) @ (r * h) + rows(P["bias_hh"], 2)
            n = np.tanh(a_n)
            h = (1 - z) * n + z * h
            gates = {"r": r, "z": z, "n": n}
            pre = {"r": rows(xp + hp, 0), "z": rows(xp + hp, 1), "n": a_n}
        for key, val in (("h", h), ("c", c), ("gates", gates), ("pre", pre)):
            out[key].append(val)
    return out


@pytest.mark.parametrize("name", CONFIGS)
def test_forward_matches_the_textbook_equations(name):
    cell = make(name)
    x, h0, c0, _ = inputs(cell, B=None)
    trace = cell.forward(x, h0, c0)
    ref = reference_forward(cell, x, h0, c0)
    np.testing.assert_allclose(trace.h, ref["h"], rtol=1e-13, atol=1e-14)
    if cell.takes_c0:
        np.testing.assert_allclose(trace.c, ref["c"], rtol=1e-13, atol=1e-14)
    assert set(trace.gates) == set(trace.pre) == set(cell.gate_names)
    for g in cell.gate_names:
        np.testing.assert_allclose(trace.gates[g], [s[g] for s in ref["gates"]], rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(trace.pre[g], [s[g] for s in ref["pre"]], rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("name", CONFIGS)
def test_batched_equals_each_sequence_alone(name):
    cell = make(name)
    x, h0, c0, dh = inputs(cell, B=3)
    trace = cell.forward(x, h0, c0)
    grads = cell.backward(trace, dh, per_step=True)
    assert trace.h.shape == (5, 3, 4) and grads.x.shape == x.shape and grads.h0.shape == h0.shape
    total = {k: np.zeros_like(v) for k, v in grads.params.items()}
    for b in range(3):
        tr = cell.forward(x[:, b], h0[b], None if c0 is None else c0[b])
        g = cell.backward(tr, dh[:, b], per_step=True)
        np.testing.assert_allclose(tr.h, trace.h[:, b], rtol=1e-13, atol=1e-15)
        for gate in cell.gate_names:
            np.testing.assert_allclose(tr.gates[gate], trace.gates[gate][:, b], rtol=1e-13, atol=1e-15)
            np.testing.assert_allclose(tr.pre[gate], trace.pre[gate][:, b], rtol=1e-13, atol=1e-15)
        if c0 is not None:
            np.testing.assert_allclose(tr.c, trace.c[:, b], rtol=1e-13, atol=1e-15)
        for f in STATES:
            if getattr(g, f) is not None:
                np.testing.assert_allclose(getattr(g, f), getattr(grads, f)[:, b] if f in ("x", "dh", "dc")
                                           else getattr(grads, f)[b], rtol=1e-12, atol=1e-14, err_msg=f)
        for k in total:
            total[k] += g.params[k]
    for k in total:
        np.testing.assert_allclose(grads.params[k], total[k], rtol=1e-12, atol=1e-14, err_msg=k)


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("name", CONFIGS)
def test_per_step_contributions_sum_to_the_gradient(name, batched):
    cell = make(name)
    x, h0, c0, dh = inputs(cell, T=6, B=2 if batched else None)
    trace = cell.forward(x, h0, c0)
    grads = cell.backward(trace, dh, per_step=True)
    assert set(grads.per_step) == set(cell.params)
    for k, total in grads.params.items():
        assert grads.per_step[k].shape == (6, *cell.params[k].shape), k
        np.testing.assert_allclose(grads.per_step[k].sum(axis=0), total, rtol=1e-12, atol=1e-14, err_msg=k)
    plain = cell.backward(trace, dh)
    assert plain.per_step is None
    for k in plain.params:
        np.testing.assert_allclose(plain.params[k], grads.params[k], rtol=1e-13, atol=1e-15)


def test_per_step_weight_hh_is_the_outer_product_at_that_step():
    """For an RNN, step t's share of dL/dW_hh is δ_t h_{t-1}ᵀ with δ_t = grads.dh[t] ⊙ act'(a_t)."""
    cell = make("rnn-tanh")
    x, h0, _, dh = inputs(cell, B=None)
    trace = cell.forward(x, h0)
    grads = cell.backward(trace, dh, per_step=True)
    delta = grads.dh * (1 - trace.h**2)
    h_prev = np.vstack([h0[None], trace.h[:-1]])
    np.testing.assert_allclose(grads.per_step["weight_hh"], delta[:, :, None] * h_prev[:, None, :], rtol=1e-13)


@pytest.mark.parametrize("name", CONFIGS)
def test_float32_end_to_end(name):
    cell64 = make(name)
    cell32 = make(name, dtype=np.float32)
    for k, v in cell64.params.items():
        np.testing.assert_allclose(cell32.params[k], v, rtol=1e-6)  # same seed -> same numbers, rounded
    x, h0, c0, dh = inputs(cell64)
    tr32 = cell32.forward(x.tolist(), h0, c0)  # lists and float64 arrays are cast to the cell's dtype
    g32 = cell32.backward(tr32, dh, per_step=True)
    tr64 = cell64.forward(x, h0, c0)
    g64 = cell64.backward(tr64, dh, per_step=True)
    arrays32 = [tr32.x, tr32.h0, tr32.h, *tr32.gates.values(), *tr32.pre.values(), *g32.params.values(),
                *g32.per_step.values()] + [getattr(g32, f) for f in STATES if getattr(g32, f) is not None]
    if c0 is not None:
        arrays32 += [tr32.c, tr32.c0]
    assert all(a.dtype == np.float32 for a in arrays32)
    np.testing.assert_allclose(tr32.h, tr64.h, rtol=1e-4, atol=1e-5)
    for k in g64.params:
        np.testing.assert_allclose(g32.params[k], g64.params[k], rtol=1e-3, atol=1e-4, err_msg=k)
    np.testing.assert_allclose(g32.x, g64.x, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("name", ["rnn-tanh", "lstm-peephole", "gru-cho"])
def test_default_dtype_is_float64(name):
    cell = make(name)
    assert cell.dtype == np.float64
    assert all(v.dtype == np.float64 for v in cell.params.values())


@pytest.mark.parametrize("name", CONFIGS)
def test_seed_reproducible(name):
    a, b, c = make(name, seed=5), make(name, seed=5), make(name, seed=6)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert any(not np.array_equal(a.params[k], c.params[k]) for k in a.params)
    x, h0, c0, _ = inputs(a)
    np.testing.assert_array_equal(a.forward(x, h0, c0).h, b.forward(x, h0, c0).h)
    u, v = make(name, seed=None), make(name, seed=None)
    assert not np.array_equal(u.params["weight_hh"], v.params["weight_hh"])


@pytest.mark.parametrize("name", CONFIGS)
def test_assigning_params_changes_the_model(name):
    cell = make(name)
    x, h0, c0, dh = inputs(cell)
    before = cell.forward(x, h0, c0).h
    for key in cell.params:
        old = cell.params[key]
        cell.params[key] = old + 0.1  # a new array under the same name
        after = cell.forward(x, h0, c0)
        assert not np.allclose(after.h, before), key
        assert after.params[key] is cell.params[key]  # the model reads the dict, no private copy
        cell.params[key] = old
        np.testing.assert_array_equal(cell.forward(x, h0, c0).h, before)
        saved = old.copy()
        old += 0.1  # editing the array in place changes the model too
        assert not np.allclose(cell.forward(x, h0, c0).h, before), key
        old[...] = saved
    cell.params["weight_hh"] = cell.params["weight_hh"].tolist()  # any array-like of the right shape
    np.testing.assert_allclose(cell.forward(x, h0, c0).h, before, rtol=1e-15)


@pytest.mark.parametrize("B", [3, None], ids=["batched", "unbatched"])
@pytest.mark.parametrize("name", CONFIGS)
def test_forward_and_backward_leave_their_inputs_and_the_trace_untouched(name, B):
    cell = make(name)
    x, h0, c0, dh = inputs(cell, B=B)
    snapshot = [a.copy() for a in (x, h0, dh, *cell.params.values())]
    trace = cell.forward(x, h0, c0)
    kept = {"h": trace.h.copy(), **{f"g{k}": v.copy() for k, v in trace.gates.items()},
            **{f"p{k}": v.copy() for k, v in trace.pre.items()}}
    g1 = cell.backward(trace, dh, per_step=True)
    g2 = cell.backward(trace, dh, per_step=True)  # a trace can be backpropagated twice
    for a, b in zip(snapshot, (x, h0, dh, *cell.params.values()), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(kept["h"], trace.h)
    for k, v in trace.gates.items():
        np.testing.assert_array_equal(kept[f"g{k}"], v)
    for k, v in trace.pre.items():
        np.testing.assert_array_equal(kept[f"p{k}"], v)
    for k in g1.params:
        np.testing.assert_array_equal(g1.params[k], g2.params[k])
    np.testing.assert_array_equal(g1.x, g2.x)
    np.testing.assert_array_equal(g1.dh, g2.dh)


@pytest.mark.parametrize("name", CONFIGS)
def test_init_is_uniform_within_one_over_sqrt_hidden(name):
    H = 16
    cell = make(name, D=8, H=H, seed=3)
    bound = 1 / np.sqrt(H)
    every = np.concatenate([v.ravel() for v in cell.params.values()])
    assert np.abs(every).max() <= bound
    assert every.min() < -0.95 * bound and every.max() > 0.95 * bound  # fills the interval
    assert abs(every.mean()) < 0.05 * bound
    shapes = {k: v.shape for k, v in cell.params.items()}
    G = len(cell.gate_names)
    assert shapes["weight_ih"] == (G * H, 8) and shapes["weight_hh"] == (G * H, H)
    assert shapes["bias_ih"] == shapes["bias_hh"] == (G * H,)
    assert cell.num_params() == sum(v.size for v in cell.params.values())


def grads_equal(a, b, rtol=1e-13):
    for k in a.params:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=rtol, atol=1e-15, err_msg=k)
    for f in STATES:
        if getattr(a, f) is not None:
            np.testing.assert_allclose(getattr(a, f), getattr(b, f), rtol=rtol, atol=1e-15, err_msg=f)


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("name", CONFIGS)
def test_backward_without_the_internal_arrays_rebuilds_them(name, batched):
    """trace.extra is an optimisation: a trace holding only the public arrays gives the same gradients."""
    cell = make(name)
    x, h0, c0, dh = inputs(cell, B=3 if batched else None)
    trace = cell.forward(x, h0, c0)
    bare = dataclasses.replace(trace, extra={})
    grads_equal(cell.backward(bare, dh, per_step=True), cell.backward(trace, dh, per_step=True), rtol=1e-12)


@pytest.mark.parametrize("name", CONFIGS)
def test_a_trace_sliced_in_time_is_the_trace_of_that_stretch(name):
    """Every per-step array, trace.extra included, is time-first: slicing steps [2, 5) gives the trace of
    the sub-sequence started from the state before step 2 (what truncated BPTT relies on)."""
    cell = make(name)
    x, h0, c0, dh = inputs(cell, T=6)
    trace = cell.forward(x, h0, c0)
    sl = slice(2, 5)
    part = dataclasses.replace(
        trace, x=trace.x[sl], h=trace.h[sl], c=None if trace.c is None else trace.c[sl], h0=trace.h[1],
        c0=None if trace.c is None else trace.c[1], gates={k: v[sl] for k, v in trace.gates.items()},
        pre={k: v[sl] for k, v in trace.pre.items()}, extra={k: v[sl] for k, v in trace.extra.items()},
    )
    fresh = cell.forward(x[sl], trace.h[1], None if c0 is None else trace.c[1])
    grads_equal(cell.backward(part, dh[sl], per_step=True), cell.backward(fresh, dh[sl], per_step=True), rtol=1e-12)


@pytest.mark.parametrize("name", rnn_core.ACTIVATIONS)
def test_activation_in_place_forms_match(name):
    act = rnn_core.ACTIVATIONS[name]
    a = np.concatenate([np.linspace(-6, 6, 25), [0.0, -0.0, 1e-12, -1e-12]])
    y = act.fn(a)
    out = np.full_like(a, np.nan)
    assert act.apply(a, out) is out
    np.testing.assert_array_equal(out, y)
    np.testing.assert_array_equal(act.deriv_into(a, y, np.full_like(a, np.nan)), act.deriv(a, y))
    bare = dataclasses.replace(act, into=None, deriv_into_fn=None)  # the generic fallbacks
    np.testing.assert_array_equal(bare.apply(a, np.empty_like(a)), y)
    np.testing.assert_array_equal(bare.deriv_into(a, y, np.empty_like(a)), act.deriv(a, y))
    f32 = a.astype(np.float32)
    assert act.apply(f32, np.empty_like(f32)).dtype == np.float32


@pytest.mark.parametrize("name", ["rnn-tanh", "lstm-peephole", "gru", "gru-cho"])
def test_a_pickled_trace_still_backpropagates(name):
    """Streamlit's cache pickles what it stores: a trace must survive the round trip (its arrays are views
    into one block of memory, which pickling turns into separate copies)."""
    import pickle

    cell = make(name)
    x, h0, c0, dh = inputs(cell)
    trace = cell.forward(x, h0, c0)
    again = pickle.loads(pickle.dumps(trace))
    np.testing.assert_array_equal(again.h, trace.h)
    grads_equal(cell.backward(again, dh), cell.backward(trace, dh), rtol=0)
