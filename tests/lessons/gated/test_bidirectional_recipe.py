"""lessons.gated.bidirectional_recipe: both directions, the sensitivity maps (checked by finite differences) and
the readout task whose answer lies in the future."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.gated import bidirectional_recipe as demo

SMALL = demo.BiConfig(steps=7, hidden=3, seed=2)


def test_run_concatenates_forward_then_backward():
    r = demo.run_bidirectional(SMALL)
    assert r.x.shape == (7,) and r.forward.shape == (7, 3) and r.backward.shape == (7, 3)
    np.testing.assert_array_equal(r.out, np.concatenate([r.forward, r.backward], axis=1))
    # The backward direction is an LSTM run on the reversed sequence, drawn in original time order.
    layer = demo.build(3, 2, SMALL.gain)
    back = layer.backward_cell.forward(r.x[::-1, None])
    np.testing.assert_allclose(r.backward, back.h[::-1])


def test_directions_have_different_weights():
    layer = demo.build(3, 0, 1.0)
    assert not np.allclose(layer.forward_cell.params["weight_hh"], layer.backward_cell.params["weight_hh"])


def test_sensitivity_is_causal_in_each_direction():
    s = demo.sensitivity(SMALL)
    T = SMALL.steps
    assert s.forward.shape == s.backward.shape == (T, T)
    upper = np.triu_indices(T, k=1)
    assert np.all(s.forward[upper] == 0)  # the forward half cannot see later inputs
    assert np.all(s.backward.T[upper] == 0)  # the backward half cannot see earlier inputs
    assert np.all(np.diag(s.forward) > 0) and np.all(np.diag(s.backward) > 0)


def test_sensitivity_matches_finite_differences():
    s = demo.sensitivity(SMALL)
    x = SMALL.inputs()
    layer = demo.build(SMALL.hidden, SMALL.seed, SMALL.gain)
    H, eps = SMALL.hidden, 1e-6
    for t, src in ((4, 1), (2, 5), (3, 3)):
        up, down = x.copy(), x.copy()
        up[src] += eps
        down[src] -= eps
        jac = (layer.forward(up[:, None]).h[t] - layer.forward(down[:, None]).h[t]) / (2 * eps)  # (2H,)
        assert s.forward[t, src] == pytest.approx(np.linalg.norm(jac[:H]), rel=1e-6, abs=1e-10)
        assert s.backward[t, src] == pytest.approx(np.linalg.norm(jac[H:]), rel=1e-6, abs=1e-10)


def test_sequence_length_is_capped():
    with pytest.raises(ValueError, match=f"at most {demo.MAX_STEPS}"):
        demo.run_bidirectional(demo.BiConfig(pattern="custom", values=tuple([0.0] * (demo.MAX_STEPS + 1))))


def test_readout_needs_the_direction_that_has_seen_the_answer():
    nxt = demo.readout(demo.ReadoutConfig(task="next", train=120, test=60, steps=16)).r2
    prev = demo.readout(demo.ReadoutConfig(task="previous", train=120, test=60, steps=16)).r2
    both = demo.readout(demo.ReadoutConfig(task="both", train=120, test=60, steps=16)).r2
    assert nxt["forward"] < 0.05 < 0.6 < nxt["backward"]
    assert prev["backward"] < 0.05 < 0.6 < prev["forward"]
    assert both["both"] > max(both["forward"], both["backward"]) + 0.2


def test_readout_example_and_errors():
    r = demo.readout(demo.ReadoutConfig(task="next", train=40, test=10, steps=8))
    assert r.example_t.tolist() == list(range(2, 8))  # steps 2..T−1: each has both neighbours
    assert r.example_y.shape == (6,) and set(r.example_pred) == {"forward", "backward", "both"}
    with pytest.raises(ValueError, match="task: expected one of next, previous, both"):
        demo.readout(demo.ReadoutConfig(task="sideways"))
    with pytest.raises(ValueError, match="steps"):
        demo.readout(demo.ReadoutConfig(steps=2))
