"""The /vanishing-gradients lesson's recipe: gradient sizes, the matrix case and clipping, checked against exact
values."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.vanishing import recipe as demo
from rnn_core import curve
from rnn_core.clipping import NORM_EPS


# -- the scalar chain -----------------------------------------------------------------------------------
@pytest.mark.parametrize("w", [2.0, 0.5, 1.0, 3.0, 0.0])
def test_identity_gives_exactly_w_to_the_k(w):
    res = demo.run_chain(demo.ChainConfig(w=w, length=50, activation="identity"))
    k = np.arange(51)
    if w in (2.0, 0.5, 1.0, 0.0):  # powers of 2 are exact in float64, whichever way they are computed
        np.testing.assert_array_equal(res.grad, np.abs(w) ** k)
    np.testing.assert_allclose(res.grad, np.abs(w) ** k, rtol=1e-13)
    np.testing.assert_allclose(res.analytic, np.abs(w) ** k, rtol=1e-13)
    assert res.distance.tolist() == k.tolist()


def test_the_classic_numbers():
    explode = demo.run_chain(demo.ChainConfig(w=2.0, length=50, activation="identity"))
    vanish = demo.run_chain(demo.ChainConfig(w=0.5, length=50, activation="identity"))
    assert explode.grad[50] == 2.0**50 == pytest.approx(1.13e15, rel=5e-3)
    assert vanish.grad[50] == 0.5**50 == pytest.approx(8.9e-16, rel=1e-2)


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "relu", "leaky_relu", "elu"])
@pytest.mark.parametrize("w", [0.7, 1.0, 2.5])
def test_saturating_activations_stay_under_their_bound(act, w):
    res = demo.run_chain(demo.ChainConfig(w=w, length=60, activation=act, input_scale=1.5, seed=2))
    assert np.all(res.grad <= res.bound * (1 + 1e-12))
    assert np.all(res.bound <= res.analytic * (1 + 1e-12))


def test_sigmoid_bound_is_a_quarter_per_step():
    res = demo.run_chain(demo.ChainConfig(w=2.0, length=10, activation="sigmoid"))
    np.testing.assert_allclose(res.bound, 0.5 ** np.arange(11), rtol=1e-15)


def test_gradient_is_the_product_of_step_factors():
    res = demo.run_chain(demo.ChainConfig(w=1.3, length=20, activation="tanh", input_scale=0.8, seed=5))
    factors = 1.3 * res.deriv  # time order, step 1..T
    expected = np.concatenate([[1.0], np.cumprod(factors[::-1])])
    np.testing.assert_allclose(res.grad, np.abs(expected), rtol=1e-12)


def test_float32_overflow_is_reported_not_raised():
    res = demo.run_chain(demo.ChainConfig(w=3.0, length=200, activation="identity", precision="float32"))
    # 3^81 ≈ 4.4e38 is the first power of 3 above float32's maximum, 3.4e38.
    assert res.overflow_distance == 81
    assert np.all(np.isfinite(res.grad[:81])) and not np.any(np.isfinite(res.grad[81:]))
    assert res.forward_overflow is not None


def test_float64_does_not_overflow_within_the_sliders():
    res = demo.run_chain(demo.ChainConfig(w=3.0, length=demo.MAX_LENGTH, activation="identity"))
    assert res.overflow_distance is None and res.forward_overflow is None
    assert res.grad[-1] == 3.0**200


def test_dead_relu_gives_exact_zeros():
    res = demo.run_chain(demo.ChainConfig(w=0.9, length=50, activation="relu", input_scale=0.5))
    z = res.zero_distance
    assert z is not None and res.grad[z] == 0.0
    assert np.all(res.grad[z:] == 0.0)  # once nothing passes, nothing further back receives anything
    assert np.all(res.grad[:z] > 0)


def test_underflow_to_zero_is_reported():
    res = demo.run_chain(demo.ChainConfig(w=0.01, length=200, activation="sigmoid"))
    assert res.zero_distance is not None and res.grad[-1] == 0.0


@pytest.mark.parametrize(("cfg", "match"), [
    (demo.ChainConfig(length=0), "length"),
    (demo.ChainConfig(length=demo.MAX_LENGTH + 1), "length"),
    (demo.ChainConfig(w=float("inf")), "w"),
    (demo.ChainConfig(activation="swish"), "nonlinearity"),
    (demo.ChainConfig(precision="float16"), "precision"),
    (demo.ChainConfig(input_scale=float("nan")), "input_scale"),
])
def test_bad_chain_configs(cfg, match):
    with pytest.raises(ValueError, match=match):
        demo.run_chain(cfg)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu", "identity", "elu", "leaky_relu"])
def test_activation_curve_derivative_matches_finite_differences(name):
    a, y, d = curve(name)  # the curve the lesson draws (rnn_core.curve's default grid)
    assert a.shape == y.shape == d.shape
    inner = slice(1, -1)
    numeric = (y[2:] - y[:-2]) / (a[2:] - a[:-2])
    smooth = np.abs(a[inner]) > 0.1  # skip the kink of the ReLU family
    np.testing.assert_allclose(d[inner][smooth], numeric[smooth], atol=2e-3)
    if name == "sigmoid":
        assert d.max() == pytest.approx(0.25)


# -- the matrix case ------------------------------------------------------------------------------------
def test_random_orthogonal_is_orthogonal():
    q = demo.random_orthogonal(12, seed=4)
    np.testing.assert_allclose(q.T @ q, np.eye(12), atol=1e-12)


@pytest.mark.parametrize("rho", [0.5, 1.0, 1.3])
def test_linear_matrix_case_scales_by_rho_per_step(rho):
    m = demo.run_matrix(demo.MatrixConfig(hidden=8, radius=rho, length=30, activation="identity"))
    np.testing.assert_allclose(np.abs(m.eigenvalues), rho, rtol=1e-10)
    np.testing.assert_allclose(m.norms, rho ** np.arange(30), rtol=1e-9)
    np.testing.assert_allclose(m.analytic, rho ** np.arange(30), rtol=1e-15)
    assert m.rate == pytest.approx(rho, rel=1e-9)


def test_tanh_matrix_case_decays_at_least_as_fast():
    m = demo.run_matrix(demo.MatrixConfig(hidden=16, radius=1.2, length=40, activation="tanh"))
    assert np.all(m.norms <= m.analytic * (1 + 1e-10))
    assert m.rate < 1.2


def test_decade_steps():
    m = demo.run_matrix(demo.MatrixConfig(hidden=4, radius=0.1, length=5, activation="identity"))
    assert m.decade_steps == pytest.approx(1.0)
    one = demo.run_matrix(demo.MatrixConfig(hidden=4, radius=1.0, length=5, activation="identity"))
    assert one.decade_steps == float("inf")


def test_geometric_rate_edge_cases():
    assert demo.geometric_rate(np.array([1.0, 0.5, 0.25])) == pytest.approx(0.5)
    assert np.isnan(demo.geometric_rate(np.array([1.0])))
    assert demo.geometric_rate(np.array([1.0, 0.5, 0.0])) == pytest.approx(0.5)  # uses the last nonzero point


@pytest.mark.parametrize(("cfg", "match"), [
    (demo.MatrixConfig(hidden=demo.MAX_HIDDEN + 1), "hidden"),
    (demo.MatrixConfig(hidden=0), "hidden"),
    (demo.MatrixConfig(radius=-1.0), "radius"),
    (demo.MatrixConfig(length=0), "length"),
])
def test_bad_matrix_configs(cfg, match):
    with pytest.raises(ValueError, match=match):
        demo.run_matrix(cfg)


# -- clipping -------------------------------------------------------------------------------------------
def test_clip_by_value_turns_and_clip_by_norm_does_not():
    c = demo.clip_2d(8.0, 3.0, 5.0)
    np.testing.assert_array_equal(c.by_value, [5.0, 3.0])
    assert np.linalg.norm(c.by_norm) == pytest.approx(5.0, rel=1e-6)
    np.testing.assert_allclose(c.by_norm / np.linalg.norm(c.by_norm), c.original / np.linalg.norm(c.original))
    expected = np.degrees(np.arctan2(3, 5) - np.arctan2(3, 8))
    assert c.angle_value == pytest.approx(expected, rel=1e-9)
    assert c.angle_norm == pytest.approx(0.0, abs=1e-6)


def test_short_gradients_are_left_alone():
    c = demo.clip_2d(1.0, -2.0, 5.0)
    np.testing.assert_array_equal(c.by_value, c.original)
    np.testing.assert_array_equal(c.by_norm, c.original)


def test_value_clipping_of_a_diagonal_keeps_its_direction():
    c = demo.clip_2d(9.0, 9.0, 2.0)
    assert c.angle_value == pytest.approx(0.0, abs=1e-6)


def test_zero_gradient_has_no_angle():
    c = demo.clip_2d(0.0, 0.0, 1.0)
    assert np.isnan(c.angle_value) and np.isnan(c.angle_norm)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_bad_threshold(bad):
    with pytest.raises(ValueError, match="clip_value|max_norm"):
        demo.clip_2d(1.0, 1.0, bad)


def test_clip_run_rescales_every_step_alike():
    chain = demo.run_chain(demo.ChainConfig(w=2.0, length=50, activation="identity"))
    rc = demo.clip_run(chain, 1.0)
    norm = np.linalg.norm(rc.before)
    assert rc.norm_before == pytest.approx(norm, rel=1e-12)
    assert rc.scale == pytest.approx(1.0 / (norm + NORM_EPS), rel=1e-12)
    np.testing.assert_allclose(rc.clipped, chain.grad * rc.scale, rtol=1e-15)
    np.testing.assert_allclose(rc.by_norm, rc.before * rc.scale, rtol=1e-12)
    assert np.all(np.abs(rc.by_value) <= 1.0)
    assert rc.angle_norm == pytest.approx(0.0, abs=1e-5) and rc.angle_value > 1.0
    assert rc.names == ("w", "u", "b")  # the page's equation h_t = act(w h_{t-1} + u x_t + b): three weights


def test_the_clipped_gradient_is_the_equations_three_weights():
    cfg = demo.ChainConfig(w=0.8, length=30, activation="tanh", input_scale=1.0, seed=3)
    chain = demo.run_chain(cfg)
    cell = demo._chain_cell(cfg.w, cfg.activation, np.float64)
    g = cell.backward(cell.forward(demo.chain_inputs(30, 1.0, 3)[:, None]), np.eye(1, 30, 29).T.copy()).params
    np.testing.assert_array_equal(demo.clip_run(chain, 100.0).before,
                                  [g["weight_hh"][0, 0], g["weight_ih"][0, 0], g["bias_hh"][0]])
    assert g["bias_ih"][0] == g["bias_hh"][0]  # PyTorch's two bias vectors: one b, one gradient


def test_clip_run_never_grows_a_small_gradient():
    chain = demo.run_chain(demo.ChainConfig(w=0.5, length=50, activation="identity"))
    rc = demo.clip_run(chain, 100.0)
    assert rc.scale == 1.0
    np.testing.assert_array_equal(rc.clipped, chain.grad)


def test_clip_run_of_an_overflowed_gradient_is_nan_not_an_error():
    chain = demo.run_chain(demo.ChainConfig(w=3.0, length=200, activation="identity", precision="float32"))
    rc = demo.clip_run(chain, 1.0)
    assert not np.isfinite(rc.norm_before)
    assert np.isnan(rc.scale)


def test_configs_are_hashable_for_caching():
    assert hash(demo.ChainConfig()) == hash(demo.ChainConfig())
    assert hash(demo.MatrixConfig()) == hash(demo.MatrixConfig())


@pytest.mark.parametrize("activation", ["identity", "tanh", "sigmoid", "relu", "leaky_relu", "elu"])
@pytest.mark.parametrize(("hidden", "radius", "length"), [(2, 0.5, 30), (16, 1.0, 50), (16, 2.0, 50), (64, 1.5, 200)])
def test_matrix_norms_are_the_engines_exact_jacobian_norms(activation, hidden, radius, length):
    """The lesson multiplies the engine's step Jacobians; analysis.jacobian_norms backpropagates H unit vectors."""
    from rnn_core import RNN
    from rnn_core.analysis import jacobian_norms

    cfg = demo.MatrixConfig(hidden=hidden, radius=radius, length=length, activation=activation, input_scale=3.0)
    m = demo.run_matrix(cfg)
    cell = RNN(hidden, hidden, nonlinearity=activation)
    cell.params.update(weight_ih=np.eye(hidden), weight_hh=radius * demo.random_orthogonal(hidden, 0),
                       bias_ih=np.zeros(hidden), bias_hh=np.zeros(hidden))
    x = 3.0 * np.random.default_rng(1).standard_normal((length, hidden))
    np.testing.assert_allclose(m.norms, jacobian_norms(cell, x).h[::-1], rtol=1e-10, atol=1e-300)
