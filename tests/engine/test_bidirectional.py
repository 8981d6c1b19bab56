"""Bidirectional layer: concatenation, time order, params view, gradients."""

import numpy as np
import pytest
from conftest import numeric_grad, rel_error

from rnn_core import GRU, LSTM, RNN, Bidirectional

TOL = 1e-7  # central differences in float64 agree to ~1e-9 here; a wrong term shows up as O(1)


def make(kind=LSTM, D=2, H=3):
    return Bidirectional(kind(D, H, seed=1), kind(D, H, seed=2))


def test_output_is_forward_then_backward_in_time_order():
    bi = make()
    x = np.random.default_rng(0).standard_normal((5, 2))
    tr = bi.forward(x)
    np.testing.assert_array_equal(tr.h[:, :3], bi.forward_cell.forward(x).h)
    np.testing.assert_array_equal(tr.h[:, 3:], bi.backward_cell.forward(x[::-1]).h[::-1])
    np.testing.assert_array_equal(tr.backward.h, tr.h[:, 3:])
    np.testing.assert_array_equal(tr.backward.gates["f"][0], tr.backward_raw.gates["f"][-1])


def test_params_view_writes_through_to_the_right_cell():
    bi = make(GRU)
    assert sorted(bi.params) == sorted(
        [f"{n}{s}" for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh") for s in ("", "_reverse")])
    bi.params["bias_hh_reverse"] = np.zeros(9)
    np.testing.assert_array_equal(bi.backward_cell.params["bias_hh"], 0)
    assert not np.all(bi.forward_cell.params["bias_hh"] == 0)
    assert bi.num_params() == 2 * bi.forward_cell.num_params()


@pytest.mark.parametrize("kind", [RNN, LSTM, GRU])
def test_gradients_match_finite_differences(kind):
    bi = make(kind, D=2, H=2)
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 3, 2))
    h0 = rng.standard_normal((2, 3, 2))
    c0 = rng.standard_normal((2, 3, 2)) if kind is LSTM else None
    R = rng.standard_normal((4, 3, 4))
    loss = lambda: float((bi.forward(x, h0, c0).h * R).sum())  # noqa: E731 - reads the arrays numeric_grad perturbs
    g = bi.backward(bi.forward(x, h0, c0), R, per_step=True)
    for name in ("weight_hh", "bias_ih_reverse", "weight_ih_reverse"):
        assert rel_error(g.params[name], numeric_grad(loss, bi.params[name])) < TOL, name
        np.testing.assert_allclose(g.per_step[name].sum(0), g.params[name], atol=1e-13)
    assert rel_error(g.x, numeric_grad(loss, x)) < TOL
    assert g.h0.shape == (2, 3, 2) and g.dh.shape == (4, 3, 4)


def test_bad_construction_and_states():
    with pytest.raises(ValueError, match="backward_cell: expected the same kind"):
        Bidirectional(LSTM(2, 3), GRU(2, 3))
    with pytest.raises(ValueError, match="forward_cell: expected an RNN, LSTM or GRU cell"):
        Bidirectional("lstm", LSTM(2, 3))
    bi = make()
    with pytest.raises(ValueError, match=r"h0: expected shape \(2, 3\) \(direction first\), got shape \(3,\)"):
        bi.forward(np.zeros((4, 2)), h0=np.zeros(3))
    with pytest.raises(ValueError, match="c0: only an LSTM"):
        make(GRU).forward(np.zeros((4, 2)), c0=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"dh: expected shape \(4, 6\)"):
        bi.backward(bi.forward(np.zeros((4, 2))), np.zeros((4, 3)))
