"""Clipping follows torch.nn.utils.clip_grad_value_ / clip_grad_norm_."""

import warnings

import numpy as np
import pytest

from rnn_core import clip_by_norm, clip_by_value, global_norm


def grads():
    return {"a": np.array([3.0, -4.0]), "b": np.array([[12.0]])}


def test_global_norm_is_one_norm_over_everything():
    assert global_norm(grads()) == pytest.approx(13.0, rel=1e-15)
    assert global_norm({}) == 0.0


def test_clip_by_norm_keeps_direction_and_uses_torch_epsilon():
    res = clip_by_norm(grads(), 1.3)
    assert res.clipped and res.norm_before == pytest.approx(13.0)
    coef = 1.3 / (13.0 + 1e-6)
    np.testing.assert_array_equal(res.grads["a"], np.array([3.0, -4.0]) * coef)
    assert res.norm_after == pytest.approx(13.0 * coef, rel=1e-14)
    # same direction: the clipped vector is a positive multiple of the original
    assert np.allclose(res.grads["b"] / grads()["b"], res.grads["a"] / grads()["a"])


def test_clip_by_norm_leaves_short_gradients_alone_and_does_not_mutate():
    g = grads()
    res = clip_by_norm(g, 100.0)
    assert not res.clipped and res.norm_after == res.norm_before
    np.testing.assert_array_equal(res.grads["a"], g["a"])
    res2 = clip_by_norm(g, 1.0)
    np.testing.assert_array_equal(g["a"], [3.0, -4.0])  # input untouched
    assert res2.grads["a"] is not g["a"]


def test_clip_by_value_changes_direction():
    res = clip_by_value(grads(), 3.5)
    np.testing.assert_array_equal(res.grads["a"], [3.0, -3.5])
    np.testing.assert_array_equal(res.grads["b"], [[3.5]])
    assert res.clipped
    cos = (3 * 3 + 4 * 3.5 + 12 * 3.5) / (13 * res.norm_after)
    assert cos < 0.99  # no longer parallel to the original
    assert not clip_by_value(grads(), 20).clipped


def test_overflowed_gradient_behaves_like_torch_without_warnings():
    g = {"w": np.array([np.inf, 1.0])}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = clip_by_norm(g, 1.0)
    assert res.norm_before == np.inf and res.clipped
    assert np.isnan(res.grads["w"][0]) and res.grads["w"][1] == 0.0


def test_a_nan_gradient_norm_makes_every_entry_nan_like_torch():
    g = {"w": np.array([np.nan, 1.0]), "b": np.array([2.0])}
    res = clip_by_norm(g, 1.0)
    assert np.isnan(res.norm_before) and res.clipped
    assert np.isnan(res.grads["w"]).all() and np.isnan(res.grads["b"]).all()
    torch = pytest.importorskip("torch")
    ts = [torch.zeros(len(v), dtype=torch.float64, requires_grad=True) for v in (g["w"], g["b"])]
    for t, v in zip(ts, (g["w"], g["b"]), strict=True):
        t.grad = torch.tensor(v)
    torch.nn.utils.clip_grad_norm_(ts, 1.0)
    assert all(torch.isnan(t.grad).all() for t in ts)


@pytest.mark.parametrize("bad", [0, -1, np.nan, np.inf])
def test_bad_thresholds(bad):
    with pytest.raises(ValueError, match="max_norm: expected a positive finite number"):
        clip_by_norm(grads(), bad)
    with pytest.raises(ValueError, match="clip_value: expected a positive finite number"):
        clip_by_value(grads(), bad)


def test_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    g = {"a": rng.standard_normal((3, 4)), "b": rng.standard_normal(5) * 10}
    ps = [torch.nn.Parameter(torch.zeros(v.shape, dtype=torch.float64)) for v in g.values()]
    for p, v in zip(ps, g.values(), strict=True):
        p.grad = torch.from_numpy(v.copy())
    total = torch.nn.utils.clip_grad_norm_(ps, 2.0)
    res = clip_by_norm(g, 2.0)
    assert res.norm_before == pytest.approx(float(total), rel=1e-14)
    for p, v in zip(ps, res.grads.values(), strict=True):
        np.testing.assert_allclose(p.grad.numpy(), v, rtol=1e-14)
    for p, v in zip(ps, g.values(), strict=True):
        p.grad = torch.from_numpy(v.copy())
    torch.nn.utils.clip_grad_value_(ps, 0.7)
    for p, v in zip(ps, clip_by_value(g, 0.7).grads.values(), strict=True):
        np.testing.assert_array_equal(p.grad.numpy(), v)
