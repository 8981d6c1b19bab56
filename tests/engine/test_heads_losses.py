"""The Linear readout and the losses: values, gradients vs central differences, PyTorch parity, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import numeric_grad, rel_error

from rnn_core.heads import Linear
from rnn_core.losses import mse, softmax, softmax_cross_entropy

TOL = 1e-7


# -- Linear --------------------------------------------------------------------------------------
def test_linear_init_is_seeded_and_bounded():
    a, b = Linear(9, 4, seed=3), Linear(9, 4, seed=3)
    assert a.params["weight"].shape == (4, 9) and a.params["bias"].shape == (4,)
    assert np.array_equal(a.params["weight"], b.params["weight"])
    assert np.abs(a.params["weight"]).max() <= 1 / 3 and np.abs(a.params["bias"]).max() <= 1 / 3
    assert not np.array_equal(a.params["weight"], Linear(9, 4, seed=4).params["weight"])
    assert a.num_params() == 40
    assert Linear(2, 2, dtype=np.float32).forward(np.ones(2)).dtype == np.float32


@pytest.mark.parametrize("lead", [(), (5,), (4, 3)])
def test_linear_forward_shapes_and_value(lead, rng):
    head = Linear(3, 2, seed=0)
    h = rng.standard_normal((*lead, 3))
    y = head.forward(h)
    assert y.shape == (*lead, 2)
    np.testing.assert_allclose(y, h @ head.params["weight"].T + head.params["bias"], rtol=1e-14)


@pytest.mark.parametrize("lead", [(), (5,), (4, 3)])
def test_linear_backward_matches_finite_differences(lead, rng):
    head = Linear(3, 2, seed=1)
    h = rng.standard_normal((*lead, 3))
    w = rng.standard_normal((*lead, 2))  # L = Σ w ⊙ y, so dL/dy = w
    loss = lambda: float(np.sum(w * head.forward(h)))  # noqa: E731
    grads, dh = head.backward(h, w)
    for name, arr in head.params.items():
        assert rel_error(grads[name], numeric_grad(loss, arr)) < TOL, name
    assert rel_error(dh, numeric_grad(loss, h)) < TOL


def test_linear_matches_torch(rng):
    torch = pytest.importorskip("torch")
    head = Linear(4, 3, seed=2)
    ref = torch.nn.Linear(4, 3).double()
    with torch.no_grad():
        ref.weight.copy_(torch.from_numpy(head.params["weight"]))
        ref.bias.copy_(torch.from_numpy(head.params["bias"]))
    h = rng.standard_normal((5, 2, 4))
    np.testing.assert_allclose(head.forward(h), ref(torch.from_numpy(h)).detach().numpy(), rtol=1e-14)


def test_linear_bad_input():
    head = Linear(3, 2)
    with pytest.raises(ValueError, match=r"h: expected shape \(\.\.\., 3\), got shape \(4, 2\)"):
        head.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"dy: expected shape \(4, 2\).*got shape \(4, 3\)"):
        head.backward(np.zeros((4, 3)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="in_features: expected a positive integer, got 0"):
        Linear(0, 2)
    with pytest.raises(ValueError, match="dtype: expected float32 or float64"):
        Linear(2, 2, dtype=np.int32)


# -- MSE -----------------------------------------------------------------------------------------
def test_mse_value_and_gradient(rng):
    pred, target = rng.standard_normal((4, 3, 2)), rng.standard_normal((4, 3, 2))
    loss, d = mse(pred, target)
    assert loss == pytest.approx(np.mean((pred - target) ** 2), rel=1e-14)
    assert rel_error(d, numeric_grad(lambda: mse(pred, target)[0], pred)) < TOL


def test_mse_matches_torch(rng):
    torch = pytest.importorskip("torch")
    pred, target = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    p = torch.tensor(pred, requires_grad=True)
    ref = torch.nn.MSELoss()(p, torch.from_numpy(target))
    ref.backward()
    loss, d = mse(pred, target)
    assert loss == pytest.approx(ref.item(), rel=1e-14)
    np.testing.assert_allclose(d, p.grad.numpy(), rtol=1e-13)


def test_mse_bad_input():
    with pytest.raises(ValueError, match=r"mse: pred has shape \(3, 1\) but target has shape \(3,\)"):
        mse(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match=r"target: contains NaN or inf \(first at index \(1,\)\)"):
        mse(np.zeros(3), np.array([0.0, np.nan, 0.0]))


def test_mse_of_overflowed_prediction_is_quietly_infinite():
    loss, _ = mse(np.array([np.inf, 0.0]), np.zeros(2))
    assert loss == np.inf


# -- softmax and cross-entropy ---------------------------------------------------------------------
def test_softmax_is_stable_and_normalised():
    p = softmax(np.array([[1000.0, 1000.0, -1000.0], [0.0, 1.0, 2.0]]))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(p[0], [0.5, 0.5, 0.0], atol=1e-300)
    e = np.exp([0.0, 1.0, 2.0])
    np.testing.assert_allclose(p[1], e / e.sum(), rtol=1e-14)


def test_softmax_temperature_sharpens_and_flattens():
    z = np.array([0.0, 1.0, 2.0])
    cold, warm, hot = softmax(z, 0.1), softmax(z), softmax(z, 100.0)
    assert cold[2] > warm[2] > hot[2]
    assert cold[2] > 0.9999 and np.ptp(hot) < 0.01
    np.testing.assert_allclose(softmax(z, 2.0), softmax(z / 2.0), rtol=1e-15)


@pytest.mark.parametrize("bad", [0, -1.0, np.nan, np.inf, "warm"])
def test_softmax_bad_temperature(bad):
    with pytest.raises(ValueError, match="temperature: expected a positive"):
        softmax(np.zeros(3), bad)


@pytest.mark.parametrize("lead", [(1,), (6,), (4, 3)])
def test_cross_entropy_value_and_gradient(lead, rng):
    C = 5
    logits = 2.0 * rng.standard_normal((*lead, C))
    targets = rng.integers(0, C, size=lead)
    loss, d = softmax_cross_entropy(logits, targets)
    p = softmax(logits)
    expected = -np.mean(np.log(np.take_along_axis(p, targets[..., None], axis=-1)))
    assert loss == pytest.approx(expected, rel=1e-13)
    assert rel_error(d, numeric_grad(lambda: softmax_cross_entropy(logits, targets)[0], logits)) < TOL


def test_cross_entropy_is_stable_for_huge_logits():
    loss, d = softmax_cross_entropy(np.array([[1e4, -1e4, 0.0]]), np.array([1]))
    assert loss == pytest.approx(2e4) and np.isfinite(d).all()


def test_cross_entropy_matches_torch(rng):
    torch = pytest.importorskip("torch")
    T, B, C = 4, 3, 6
    logits = rng.standard_normal((T, B, C))
    targets = rng.integers(0, C, size=(T, B))
    z = torch.tensor(logits.reshape(-1, C), requires_grad=True)
    ref = torch.nn.CrossEntropyLoss()(z, torch.from_numpy(targets.reshape(-1)))
    ref.backward()
    loss, d = softmax_cross_entropy(logits, targets)
    assert loss == pytest.approx(ref.item(), rel=1e-14)
    np.testing.assert_allclose(d.reshape(-1, C), z.grad.numpy(), rtol=1e-12, atol=1e-17)


def test_cross_entropy_bad_input():
    z = np.zeros((4, 3))
    with pytest.raises(ValueError, match="targets: expected integer class indices, got dtype float64"):
        softmax_cross_entropy(z, np.zeros(4))
    with pytest.raises(ValueError, match=r"targets: expected shape \(4,\) .*got shape \(3,\)"):
        softmax_cross_entropy(z, np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match=r"targets: class index 3 is out of range; expected 0 <= index < 3"):
        softmax_cross_entropy(z, np.array([0, 1, 2, 3]))
    with pytest.raises(ValueError, match=r"targets: class index -1 is out of range"):
        softmax_cross_entropy(z, np.array([0, -1, 2, 2]))
    with pytest.raises(ValueError, match=r"logits: contains NaN or inf"):
        softmax(np.array([0.0, np.nan]))
