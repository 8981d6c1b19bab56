"""SGD (with momentum) and Adam: the update rules by hand and against torch.optim over several steps."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core.optim import SGD, Adam


def _params(rng):
    return {"a": rng.standard_normal((3, 2)), "b": rng.standard_normal(4)}


def _grad_sequence(rng, params, steps=6):
    return [{k: rng.standard_normal(v.shape) for k, v in params.items()} for _ in range(steps)]


def test_plain_sgd_is_a_gradient_step(rng):
    p = _params(rng)
    start = {k: v.copy() for k, v in p.items()}
    g = {k: np.ones_like(v) for k, v in p.items()}
    ids = {k: id(v) for k, v in p.items()}
    SGD(0.1).step(p, g)
    for k in p:
        np.testing.assert_allclose(p[k], start[k] - 0.1, rtol=1e-15)
        assert id(p[k]) == ids[k]  # updated in place


def test_sgd_momentum_follows_pytorchs_buffer_convention(rng):
    p = {"w": np.zeros(1)}
    opt = SGD(1.0, momentum=0.5)
    for _ in range(3):
        opt.step(p, {"w": np.ones(1)})
    # buffers 1, 1.5, 1.75 (first buffer = the gradient itself, no dampening)
    assert p["w"][0] == pytest.approx(-(1 + 1.5 + 1.75))
    assert opt.state["w"]["momentum_buffer"][0] == pytest.approx(1.75)


def _torch_run(torch, make_opt, params, grads):
    tp = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    opt = make_opt(list(tp.values()))
    for g in grads:
        for k, t in tp.items():
            t.grad = torch.from_numpy(g[k].copy())
        opt.step()
    return {k: t.detach().numpy() for k, t in tp.items()}


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_matches_torch(momentum, rng):
    torch = pytest.importorskip("torch")
    p = _params(rng)
    grads = _grad_sequence(rng, p)
    ref = _torch_run(torch, lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=momentum), p, grads)
    opt = SGD(0.05, momentum=momentum)
    for g in grads:
        opt.step(p, g)
    for k in p:
        np.testing.assert_allclose(p[k], ref[k], rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("betas", [(0.9, 0.999), (0.5, 0.9)])
def test_adam_matches_torch(betas, rng):
    torch = pytest.importorskip("torch")
    p = _params(rng)
    grads = _grad_sequence(rng, p, steps=8)
    ref = _torch_run(torch, lambda ps: torch.optim.Adam(ps, lr=0.01, betas=betas, eps=1e-8), p, grads)
    opt = Adam(0.01, betas=betas)
    for g in grads:
        opt.step(p, g)
    for k in p:
        np.testing.assert_allclose(p[k], ref[k], rtol=1e-13, atol=1e-15)
    assert opt.state["a"]["step"] == 8 and opt.steps == 8


def test_adam_first_step_has_length_lr_thanks_to_bias_correction(rng):
    p = {"w": np.zeros(5)}
    g = rng.standard_normal(5) * np.array([1e-3, 1, 10, 100, 1e4])
    Adam(0.01).step(p, {"w": g})
    np.testing.assert_allclose(p["w"], -0.01 * np.sign(g), rtol=1e-4)


def test_state_is_keyed_by_name(rng):
    opt = Adam(0.1)
    opt.step({"x": np.zeros(2)}, {"x": np.ones(2)})
    opt.step({"y": np.zeros(3)}, {"y": np.ones(3)})
    assert set(opt.state) == {"x", "y"} and opt.state["y"]["step"] == 1


def test_float32_params_stay_float32():
    p = {"w": np.zeros(3, dtype=np.float32)}
    Adam(0.1).step(p, {"w": np.ones(3)})
    assert p["w"].dtype == np.float32


@pytest.mark.parametrize(("make", "message"), [
    (lambda: SGD(0.0), "lr: expected a positive finite number, got 0.0"),
    (lambda: SGD(-1), "lr: expected a positive finite number, got -1"),
    (lambda: SGD(float("nan")), "lr: expected a positive finite number"),
    (lambda: SGD("fast"), "lr: expected a positive number, got 'fast'"),
    (lambda: SGD(0.1, momentum=1.0), r"momentum: expected a number in \[0, 1\), got 1.0"),
    (lambda: Adam(0.1, betas=(0.9, 1.0)), r"betas\[1\]: expected a number in \[0, 1\), got 1.0"),
    (lambda: Adam(0.1, betas=(0.9,)), "betas: expected a pair"),
    (lambda: Adam(0.1, eps=-1), "eps: expected a non-negative finite number"),
])
def test_bad_hyperparameters(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_grads():
    p = {"a": np.zeros(2), "b": np.zeros(3)}
    with pytest.raises(ValueError, match=r"grads: keys must match params; missing \['b'\], unexpected \['c'\]"):
        SGD(0.1).step(p, {"a": np.zeros(2), "c": np.zeros(3)})
    with pytest.raises(ValueError, match=r"grads\['b'\]: expected shape \(3,\) .*got shape \(4,\)"):
        Adam(0.1).step(p, {"a": np.zeros(2), "b": np.zeros(4)})
