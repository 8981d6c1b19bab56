"""BPTT anatomy: Jacobian norms, per-step factors, truncated BPTT."""

import warnings

import numpy as np
import pytest

from rnn_core import GRU, LSTM, RNN, jacobian_norms, singular_values, step_jacobians, truncated_backward


def scalar_rnn(w: float, act: str = "identity") -> RNN:
    cell = RNN(1, 1, nonlinearity=act)
    cell.params.update(weight_ih=np.ones((1, 1)), weight_hh=np.full((1, 1), w),
                       bias_ih=np.zeros(1), bias_hh=np.zeros(1))
    return cell


@pytest.mark.parametrize("w", [2.0, 0.5])
def test_scalar_identity_jacobian_is_w_to_the_distance_exactly(w):
    jn = jacobian_norms(scalar_rnn(w), np.ones((50, 1)))
    np.testing.assert_array_equal(jn.h, w ** np.arange(49, -1, -1.0))
    assert jn.c is None


def test_jacobian_norms_match_finite_differences_for_every_cell():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 2))
    for cell in (RNN(2, 3, seed=1), LSTM(2, 3, seed=1), GRU(2, 3, seed=1), GRU(2, 3, reset_after=False, seed=1)):
        jn = jacobian_norms(cell, x)
        t = 2  # perturb h_t by re-running the tail from a perturbed state
        tr = cell.forward(x)
        eps = 1e-6
        num = np.zeros((3, 3))
        for j in range(3):
            for sign in (1, -1):
                h = tr.h[t].copy()
                h[j] += sign * eps
                kw = {"c0": tr.c[t]} if cell.takes_c0 else {}
                num[:, j] += sign * cell.forward(x[t + 1 :], h, **kw).h[-1] / (2 * eps)
        np.testing.assert_allclose(jn.matrices[t], num, atol=1e-8)
        assert jn.h[t] == pytest.approx(np.linalg.norm(num, 2), rel=1e-6)
        assert jn.h[-1] == pytest.approx(1.0)
        if cell.takes_c0:
            assert jn.c is not None and jn.c.shape == (6,)


def test_step_jacobians_are_diag_derivative_times_w():
    cell = RNN(2, 4, seed=0)
    tr = cell.forward(np.random.default_rng(0).standard_normal((5, 2)))
    J = step_jacobians(cell, tr)
    expected = (1 - tr.h[3] ** 2)[:, None] * cell.params["weight_hh"]
    np.testing.assert_allclose(J[3], expected, rtol=1e-15)
    sv = singular_values(J)
    assert sv.shape == (5, 4) and np.all(np.diff(sv, axis=1) <= 0)
    with pytest.raises(ValueError, match="step_jacobians needs a vanilla RNN"):
        step_jacobians(LSTM(2, 4), LSTM(2, 4).forward(np.zeros((3, 2))))


def test_overflowing_jacobians_are_inf_not_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jn = jacobian_norms(scalar_rnn(3.0), np.ones((700, 1)))
    assert np.isinf(jn.h[0]) and jn.h[-1] == 1.0
    assert np.isnan(singular_values(np.full((1, 2, 2), np.nan))).all()


@pytest.mark.parametrize("make", [lambda: RNN(2, 3, seed=0), lambda: LSTM(2, 3, seed=0, peephole=True),
                                  lambda: GRU(2, 3, seed=0)])
def test_truncated_backward(make):
    cell = make()
    rng = np.random.default_rng(1)
    tr = cell.forward(rng.standard_normal((7, 2, 2)))
    dh = rng.standard_normal(tr.h.shape)
    full = cell.backward(tr, dh, per_step=True)
    same = truncated_backward(cell, tr, dh, 7)
    for n in full.params:
        np.testing.assert_allclose(same.params[n], full.params[n], rtol=1e-13)
    cut = truncated_backward(cell, tr, dh, 2)
    for n in full.params:
        np.testing.assert_allclose(cut.per_step[n].sum(0), cut.params[n], atol=1e-14)
    assert not np.allclose(cut.params["weight_hh"], full.params["weight_hh"])
    # loss at the last step only: truncation keeps exactly the last k contributions
    last = np.zeros_like(dh)
    last[-1] = dh[-1]
    f = cell.backward(tr, last, per_step=True)
    t = truncated_backward(cell, tr, last, 3)
    np.testing.assert_allclose(t.params["weight_hh"], f.per_step["weight_hh"][-3:].sum(0), atol=1e-14)
    np.testing.assert_array_equal(t.dh[:-3], 0)


def test_truncated_backward_checks_k_and_dh():
    cell = RNN(1, 2)
    tr = cell.forward(np.zeros((4, 1)))
    with pytest.raises(ValueError, match="k: expected a positive integer"):
        truncated_backward(cell, tr, np.zeros((4, 2)), 0)
    with pytest.raises(ValueError, match=r"dh: expected shape \(4, 2\)"):
        truncated_backward(cell, tr, np.zeros((3, 2)), 2)


def test_jacobian_norms_needs_one_sequence():
    with pytest.raises(ValueError, match=r"x: expected one sequence of shape \(T, 1\)"):
        jacobian_norms(RNN(1, 2), np.zeros((4, 2, 1)))
