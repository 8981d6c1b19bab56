"""Claims of the /vanishing-gradients lesson, checked against the engine (see tests/claims/README.md).

The chain is rebuilt here from the engine (``RNN`` with the lesson's weights, the lesson's random inputs), in the
precision the page computes in, so each claim is checked against numbers the lesson did not compute itself.
"""

from __future__ import annotations

import functools
import itertools
import re

import numpy as np
import pytest

from lessons.kit.settings import defaults
from lessons.vanishing import figures, recipe, stories
from lessons.vanishing.settings import ACTIVATIONS, PRESETS, SETTINGS, TRIES, chain_config, clip_config, matrix_config
from lessons.vanishing.sweep import readout
from rnn_core import RNN, curve

W_GRID = (0.0, 0.01, 0.5, 0.9, 1.0, 1.5, 2.0, 3.0)  # the slider is 0..3
T_GRID = (1, 2, 50, 200)  # the slider is 1..200
X_GRID = (0.0, 0.5, 3.0)  # input strength, 0..3
SEEDS = range(5)
PRECISIONS = ("float64", "float32")
CHAIN_GRID = [dict(w=w, length=T, input_scale=x, activation=a, precision=p, seed=s)
              for w, T, x, a, p, s in itertools.product(W_GRID, T_GRID, X_GRID, ACTIVATIONS, PRECISIONS, SEEDS)]


@functools.cache
def chain(**kw) -> recipe.ChainResult:
    return recipe.run_chain(recipe.ChainConfig(**kw))


def run(kw: dict) -> recipe.ChainResult:
    return chain(**kw)


@functools.cache
def engine(w: float, length: int, input_scale: float, activation: str, precision: str, seed: int):
    """The same chain straight from the engine, in the page's precision: (trace, act'(a_t) in that precision)."""
    dtype = recipe.PRECISIONS[precision]
    cell = RNN(1, 1, nonlinearity=activation, dtype=dtype)
    cell.params.update(weight_ih=np.ones((1, 1), dtype), weight_hh=np.full((1, 1), w, dtype),
                       bias_ih=np.zeros(1, dtype), bias_hh=np.zeros(1, dtype))
    x = recipe.chain_inputs(length, input_scale, seed)
    with np.errstate(all="ignore"):
        trace = cell.forward(x[:, None])
        deriv = cell.activation.deriv(trace.pre["h"][:, 0], trace.h[:, 0])
    return trace, deriv, dtype(w)


def factors_back(kw: dict) -> np.ndarray:
    """(T,) |w·act'(a)| of the steps crossed going back, nearest the loss first, in float64."""
    _, deriv, w = engine(**kw)
    with np.errstate(all="ignore"):
        return np.abs(np.float64(w) * deriv.astype(np.float64))[::-1]


def preset_config(name: str) -> recipe.ChainConfig:
    return chain_config({**defaults(SETTINGS), **PRESETS[name].values})


# -- the scalar chain ---------------------------------------------------------------------------------------
def test_going_back_k_steps_multiplies_the_gradient_by_k_factors_and_never_beats_the_best_case():
    """/vanishing-gradients, section 1: "Going back one step multiplies the gradient by w·act′(a_t), so going
    back k steps multiplies it by k such factors: |∂L/∂h_{T−k}| = Π |w||act′(a_s)| ≤ (|w|·max|act′|)^k".

    Checked at: every activation × w ∈ {0, 0.01, 0.5, 0.9, 1, 1.5, 2, 3} × T ∈ {1, 2, 50, 200} × input strength ∈
    {0, 0.5, 3} × float64 and float32 × seeds 0–4 (5,760 runs); the product of the engine's own factors, in the
    page's precision."""
    for kw in CHAIN_GRID:
        res, f = run(kw), factors_back(kw)
        with np.errstate(all="ignore"):
            product = np.concatenate([[1.0], np.cumprod(f)])
        tiny = 1e-290 if kw["precision"] == "float64" else 1e-30  # below, the engine's float rounds to 0 early
        ok = np.isfinite(product) & np.isfinite(res.grad) & (product > tiny) & (product < 1e300)
        eps = 4e-16 if kw["precision"] == "float64" else 2e-7
        k = np.arange(product.size)
        assert np.all(np.abs(res.grad[ok] - product[ok]) <= eps * (k[ok] + 1) * product[ok]), kw
        finite = np.isfinite(res.grad) & np.isfinite(res.bound)
        sub = np.finfo(recipe.PRECISIONS[kw["precision"]]).smallest_subnormal * 4 * (k[finite] + 1)  # subnormals
        assert np.all(res.grad[finite] <= res.bound[finite] * (1 + eps * (k[finite] + 1)) + sub), kw


def test_with_the_identity_every_factor_is_exactly_w_and_the_gradient_is_w_to_the_k():
    """/vanishing-gradients, section 1: "With the identity activation every factor is exactly w: the gradient is
    |w|^k, a straight line on this log axis."

    Checked at: identity × every w, T, input strength and seed of the grid, in float64 (exact up to rounding in the
    last digit) and float32 (up to float32 rounding of w and of each step)."""
    for kw in (k for k in CHAIN_GRID if k["activation"] == "identity"):
        res = run(kw)
        _, deriv, _ = engine(**kw)
        assert np.all(deriv[np.isfinite(deriv)] == 1.0)
        normal = np.finfo(recipe.PRECISIONS[kw["precision"]]).tiny  # below it, subnormals lose digits
        ok = np.isfinite(res.grad) & (res.analytic > normal) & (res.grad > 0)
        rtol = 1e-13 if kw["precision"] == "float64" else 1e-4
        np.testing.assert_allclose(res.grad[ok], res.analytic[ok], rtol=rtol)
        if kw["precision"] == "float64":
            assert res.overflow_distance is None and res.zero_cause in (None, "w", "underflow")


@pytest.mark.parametrize(("preset", "value", "text"),
                         [("explode", 2.0**50, "1.13e+15"), ("vanish", 0.5**50, "8.9e-16")])
def test_two_to_the_fifty_explodes_and_a_half_to_the_fifty_vanishes(preset, value, text):
    """/vanishing-gradients, section 1 and the presets "2⁵⁰ explodes", "0.5⁵⁰ vanishes": "2^50 ≈ 1.13e15 (it
    explodes), 0.5^50 ≈ 8.9e−16 (it vanishes): the first input is effectively forgotten."

    Checked at: both presets' exact settings (the page's seed) and seeds 0–4."""
    for seed in SEEDS:
        cfg = recipe.ChainConfig(**{**preset_config(preset).__dict__, "seed": seed})
        res = recipe.run_chain(cfg)
        assert res.grad[50] == value and res.grad.shape == (51,)
    assert f"{value:.3g}" == text or f"{value:.2g}" == text
    assert (value > 1e15) if preset == "explode" else (value < 1e-15)


def test_no_activation_beats_w_to_the_k_and_tanh_passes_the_full_factor_only_at_zero():
    """/vanishing-gradients, section 1: "No activation offered here has a slope above 1, so any other one can only
    bend the line further down: tanh and σ saturate (only tanh at a = 0 passes the full factor), ReLU passes it
    whole or cuts it to 0."

    Checked at: every activation × w ∈ {0, 0.01, 0.5, 0.9, 1, 1.5, 2, 3} × T ∈ {1, 2, 50, 200} × input strength ∈
    {0, 0.5, 3} × float64 and float32 × seeds 0–4 (5,760 runs); tanh strictly below |w|^k wherever a step landed off
    a = 0, equal with input strength 0 (every a_t = 0)."""
    for kw in CHAIN_GRID:
        res = run(kw)
        eps = 4e-16 if kw["precision"] == "float64" else 2e-7
        k = res.distance
        fin = np.isfinite(res.grad) & np.isfinite(res.analytic)
        sub = np.finfo(recipe.PRECISIONS[kw["precision"]]).smallest_subnormal * 4 * (k[fin] + 1)  # subnormals
        assert np.all(res.grad[fin] <= res.analytic[fin] * (1 + eps * (k[fin] + 1)) + sub), kw
        if kw["activation"] == "tanh" and kw["precision"] == "float64" and kw["w"] > 0:
            trace, _, _ = engine(**kw)
            on_path = np.abs(trace.pre["h"][::-1, 0])  # a_T, a_{T-1}, ...: crossed one by one going back
            off_zero = np.cumsum(on_path > 1e-7) > 0  # some step so far landed off a = 0
            sel = fin[1:] & (res.analytic[1:] > 1e-280)
            assert np.all(res.grad[1:][sel & off_zero] < res.analytic[1:][sel & off_zero]), kw
            if kw["input_scale"] == 0:  # every a_t = 0: the full factor, up to rounding of the product
                np.testing.assert_allclose(res.grad[fin], res.analytic[fin], rtol=1e-13)


def test_the_sigmoid_shrinks_the_gradient_at_every_step():
    """/vanishing-gradients, section 2: "The sigmoid's slope is at most ¼, so a step multiplies the gradient by at
    most |w|/4: with |w| ≤ 1 it loses at least 4× per step even in the best case, and on this slider (w ≤ 3) it
    shrinks at every step."

    Checked at: the sigmoid × every w, T, input strength and seed of the grid, float64 and float32."""
    for kw in (k for k in CHAIN_GRID if k["activation"] == "sigmoid"):
        f = factors_back(kw)
        assert np.all(f <= abs(kw["w"]) / 4 * (1 + 1e-6)) and np.all(f < 1)
        if abs(kw["w"]) <= 1:
            assert np.all(f <= 0.25 * (1 + 1e-6))
        g = run(kw).grad
        g = g[g > np.finfo(recipe.PRECISIONS[kw["precision"]]).tiny]  # subnormals round to equal neighbours
        assert np.all(np.diff(g) < 0)  # strictly smaller one step further back


def test_relu_multiplies_by_exactly_w_or_kills_the_gradient():
    """/vanishing-gradients, section 2: "ReLU's slope is exactly 1 or exactly 0, so a step multiplies the gradient
    by exactly w or kills it completely (a negative input): the activation itself never shrinks it a little."

    Checked at: ReLU × every w, T, input strength and seed of the grid, float64 and float32."""
    for kw in (k for k in CHAIN_GRID if k["activation"] == "relu"):
        trace, deriv, w = engine(**kw)
        fin = np.isfinite(deriv)
        assert set(np.unique(deriv[fin])) <= {0.0, 1.0}
        assert np.all(deriv[fin & (trace.pre["h"][:, 0] <= 0)] == 0)
        g = run(kw).grad
        alive = (g[:-1] > 1e-30) & np.isfinite(g[:-1]) & np.isfinite(g[1:])
        ratios = g[1:][alive] / g[:-1][alive]
        assert np.all((ratios == 0) | np.isclose(ratios, abs(float(w)), rtol=1e-6)), kw


def test_leaky_relu_and_elu_have_slope_one_for_positive_inputs_and_never_cut_a_step_to_zero():
    """/vanishing-gradients, section 2: "Leaky ReLU and ELU … For a > 0 their slope is exactly 1, like ReLU's — no
    flat end on that side. For a < 0 they pass back a little instead of nothing: 0.01 for leaky ReLU, e^a for ELU.
    So a negative input shrinks the gradient but no step cuts it to exactly 0: the unit is never dead."

    Checked at: leaky ReLU and ELU × every w, T, input strength and seed of the grid, float64 and float32: every
    slope of every run; an exact 0 in the gradient only ever comes from w = 0 or from underflow."""
    for kw in (k for k in CHAIN_GRID if k["activation"] in ("leaky_relu", "elu")):
        trace, deriv, _ = engine(**kw)
        a = trace.pre["h"][:, 0]
        fin = np.isfinite(a)
        assert np.all(deriv[fin & (a > 0)] == 1.0) and np.all(deriv[fin] > 0)
        neg = fin & (a < 0)
        if kw["activation"] == "leaky_relu":
            np.testing.assert_allclose(deriv[neg], 0.01, rtol=1e-6)
        else:
            tol = {"rtol": 1e-12} if kw["precision"] == "float64" else {"rtol": 1e-4, "atol": 1e-7}  # float32: h + 1
            np.testing.assert_allclose(deriv[neg], np.exp(a[neg].astype(np.float64)), **tol)
        assert run(kw).zero_cause in (None, "w", "underflow"), kw


@pytest.mark.parametrize("seed", SEEDS)
def test_the_dead_relu_example_and_its_repairs(seed):
    """/vanishing-gradients, preset "dead ReLU" and section 2: "Try the dead ReLU example, then switch to leaky ReLU
    or ELU: the gradient no longer drops to 0. Leaky ReLU's 0.01 still costs a factor of 100 on every negative
    step; ELU costs much less." — and the message "A ReLU whose input was not positive passes back nothing at all:
    a dead unit".

    Checked at: the preset's settings (w = 0.9, T = 50, input strength 0.5, float64) with seeds 0–4."""
    base = {**preset_config("dead").__dict__, "seed": seed}
    relu, leaky, elu = (recipe.run_chain(recipe.ChainConfig(**{**base, "activation": a}))
                        for a in ("relu", "leaky_relu", "elu"))
    assert relu.zero_distance is not None and relu.zero_cause == "dead" and np.all(relu.grad[relu.zero_distance:] == 0)
    assert leaky.zero_distance is None and elu.zero_distance is None
    assert elu.grad[-1] > 1e3 * leaky.grad[-1]
    neg = leaky.pre[::-1] < 0  # the steps crossed going back, nearest the loss first
    ratios = leaky.grad[1:] / leaky.grad[:-1]
    np.testing.assert_allclose(ratios[neg], 0.01 * 0.9, rtol=1e-9)


def test_the_message_says_why_the_gradient_became_exactly_zero():
    """/vanishing-gradients, section 1: "From k = K the gradient is exactly 0" and its reason: "With w = 0 nothing
    flows back", "At step t the ReLU's input was not positive … a dead unit", "its slope rounded to exactly 0",
    "No single step cut it (every factor was nonzero): the product underflowed".

    Checked at: every activation × w ∈ {0, 0.01, 0.5, 0.9, 1, 1.5, 2, 3} × T ∈ {1, 2, 50, 200} × input strength ∈
    {0, 0.5, 3} × float64 and float32 × seeds 0–4 (5,760 runs): the reason is read off the engine's own numbers at
    the step that zeroed it."""
    for kw in CHAIN_GRID:
        res = run(kw)
        if res.zero_distance is None:
            assert not np.any(res.grad == 0)
            continue
        z, T = res.zero_distance, kw["length"]
        assert res.grad[z - 1] != 0 and np.all(res.grad[z:] == 0), kw  # exactly 0 from k = z on
        trace, deriv, w = engine(**kw)
        i = T - z  # the step (0-based) whose factor was crossed last
        cause = res.zero_cause
        assert cause == ("w" if w == 0 else "dead" if deriv[i] == 0 and kw["activation"] == "relu" else
                         "flat" if deriv[i] == 0 else "underflow"), kw
        if cause == "dead":
            assert trace.pre["h"][i, 0] <= 0
        if cause == "underflow":
            assert np.all(factors_back(kw)[:z] > 0)
        text = stories.zero_reason(res, kw["precision"])
        assert (f"At step {i + 1} " in text) == (cause in ("dead", "flat"))


def test_overflow_messages_hold_from_the_step_they_name():
    """/vanishing-gradients, section 1: "The forward pass overflowed at step t: h became larger than float32 can
    hold, so it is ±inf (or NaN) from there on"; "The gradient overflowed at k = K …: every step beyond is inf (or
    NaN). Those points sit on the chart's top edge."

    Checked at: every activation × w ∈ {0, 0.01, 0.5, 0.9, 1, 1.5, 2, 3} × T ∈ {1, 2, 50, 200} × input strength ∈
    {0, 0.5, 3} × float64 and float32 × seeds 0–4 (5,760 runs); the chart's overflow markers for each run that
    overflowed."""
    for kw in CHAIN_GRID:
        res = run(kw)
        if res.forward_overflow is not None:
            trace, _, _ = engine(**kw)
            assert np.all(~np.isfinite(trace.h[res.forward_overflow:, 0]))
            assert np.all(np.isfinite(trace.h[: res.forward_overflow, 0]))
        if res.overflow_distance is not None:
            k = res.overflow_distance
            assert np.all(~np.isfinite(res.grad[k:])) and np.all(np.isfinite(res.grad[:k])), kw
            fig = figures.gradient_norm_figure(res, activation=kw["activation"])
            marks = next(d for d in fig.data if d.name.endswith("overflow (not finite)"))
            assert list(marks.x) == list(range(k, kw["length"] + 1))
            assert np.log10(marks.y[0]) <= fig.layout.yaxis.range[1]  # on the top edge, inside the chart


def test_float32_overflows_where_float64_does_not():
    """/vanishing-gradients, preset "float32 overflow" and the toggle's help: "float32 overflows above about 3.4e38,
    float64 above about 1.8e308."

    Checked at: the preset (w = 2, T = 200, identity, float32) with seeds 0–4, and the same in float64."""
    assert f"{np.finfo(np.float32).max:.2g}" == "3.4e+38" and f"{np.finfo(np.float64).max:.2g}" == "1.8e+308"
    for seed in SEEDS:
        cfg = recipe.ChainConfig(**{**preset_config("overflow").__dict__, "seed": seed})
        f32, f64 = recipe.run_chain(cfg), recipe.run_chain(recipe.ChainConfig(**{**cfg.__dict__,
                                                                                  "precision": "float64"}))
        assert f32.overflow_distance == 128 and 2.0**127 < float(np.finfo(np.float32).max) < 2.0**128
        assert f64.overflow_distance is None and f64.grad[-1] == 2.0**200


@pytest.mark.parametrize("w", (0.5, 0.9, 1.0, 2.0, 3.0))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_the_statistics_of_a_t_differ_from_step_to_step(w, activation):
    """/vanishing-gradients, "What about batch normalisation?": "the statistics differ from step to step (the first
    step sees only the input, later ones the input and the memory)".

    Checked at: every activation × w ∈ {0.5, 0.9, 1, 2, 3}, input strength 0.5, T = 50, a batch of 1,024
    sequences (seeds 0–1,023) per setting: the mean or the spread of a_t across the batch moves away from step 1's
    by more than 10 % of step 1's spread (sampling error: about 3 %)."""
    x = np.stack([recipe.chain_inputs(50, 0.5, s) for s in range(1024)], axis=1)[:, :, None]
    with np.errstate(all="ignore"):
        a = recipe._chain_cell(w, activation, np.float64).forward(x).pre["h"][:, :, 0]
        mean, spread = a.mean(axis=1), a.std(axis=1)
    moved = np.maximum(np.abs(mean - mean[0]), np.abs(spread - spread[0]))
    assert np.nanmax(moved) > 0.1 * spread[0]


# -- the matrix case ----------------------------------------------------------------------------------------
RHO_GRID = (0.0, 0.5, 0.99, 1.0, 1.5, 2.0)  # the slider is 0..2
MATRIX_GRID = [dict(hidden=H, radius=r, activation=a, input_scale=x, seed=s, length=50)
               for H, r, a, x, s in itertools.product((2, 16), RHO_GRID, ACTIVATIONS, (0.5, 3.0), SEEDS)]
MATRIX_GRID += [dict(hidden=64, radius=r, activation=a, input_scale=3.0, seed=0, length=200)
                for r, a in itertools.product((0.5, 1.0, 2.0), ACTIVATIONS)]


@functools.cache
def matrix(**kw) -> recipe.MatrixResult:
    return recipe.run_matrix(recipe.MatrixConfig(**kw))


def test_every_eigenvalue_sits_on_the_circle_of_radius_rho():
    """/vanishing-gradients, section 3: "Here W_hh = ρQ with Q a random orthogonal matrix (a pure rotation), so every
    eigenvalue sits on the circle |λ| = ρ."

    Checked at: H ∈ {2, 16, 64} × ρ ∈ {0, 0.5, 0.99, 1, 1.5, 2} × seeds 0–4."""
    for H, rho, seed in itertools.product((2, 16, 64), RHO_GRID, SEEDS):
        W = rho * recipe.random_orthogonal(H, seed)
        np.testing.assert_allclose(np.abs(np.linalg.eigvals(W)), rho, atol=1e-12)
        np.testing.assert_allclose(W @ W.T, rho**2 * np.eye(H), atol=1e-12)


def test_inside_the_unit_circle_gradients_always_shrink_and_a_linear_rnn_scales_them_by_exactly_rho_to_the_k():
    """/vanishing-gradients, section 3: "Inside the unit circle (ρ < 1) gradients always shrink — no activation here
    has a slope above 1, so it can only shrink them more; outside they can grow. For a linear RNN it is exact:
    ‖(ρQ)^k‖₂ = ρ^k."

    Checked at: H ∈ {2, 16} × ρ ∈ {0, 0.5, 0.99, 1, 1.5, 2} × every activation × input strength ∈ {0.5, 3} × seeds
    0–4 at T = 50, and H = 64, T = 200 (the sliders' ends) with ρ ∈ {0.5, 1, 2}, every activation."""
    for kw in MATRIX_GRID:
        m, rho = matrix(**kw), kw["radius"]
        n = m.norms
        assert n[0] == pytest.approx(1.0)
        assert np.all(n[1:] <= rho * n[:-1] * (1 + 1e-9) + 1e-300), kw  # each step back: at most ×ρ
        if kw["activation"] == "identity":
            np.testing.assert_allclose(n, rho ** np.arange(n.size), rtol=1e-9, atol=1e-300)
            if rho > 1:
                assert np.all(np.diff(n) > 0)  # outside the circle it grows


def test_the_measured_factor_per_step_and_the_steps_per_decade():
    """/vanishing-gradients, section 3: "Measured factor per step × r" and "The gradient shrinks (grows) 10× every
    N steps", or "Factor 1: the gradient keeps its size", and "Saturation wins here: it shrinks although ρ > 1".

    Checked at: H ∈ {2, 16} × ρ ∈ {0, 0.5, 0.99, 1, 1.5, 2} × every activation × input strength ∈ {0.5, 3} × seeds
    0–4 at T = 50, and H = 64, T = 200 (the sliders' ends) with ρ ∈ {0.5, 1, 2}, every activation."""
    for kw in MATRIX_GRID:
        m = matrix(**kw)
        ok = np.flatnonzero(np.isfinite(m.norms) & (m.norms > 0))
        if not np.isfinite(m.rate):
            assert ok.size < 2
            continue
        far = int(ok[-1])
        assert m.rate ** far == pytest.approx(m.norms[far] / m.norms[0], rel=1e-6)
        text = stories.matrix_caption(m)
        if np.isfinite(m.decade_steps):
            assert m.rate ** m.decade_steps == pytest.approx(10.0 if m.rate > 1 else 0.1, rel=1e-6)
            assert ("shrinks 10×" in text) == (m.norms[far] < m.norms[0])
            if "Saturation wins" in text:
                assert kw["radius"] > 1 and kw["activation"] != "identity" and m.norms[far] < 1
        else:
            np.testing.assert_allclose(m.norms[ok], 1.0, rtol=1e-6)  # "keeps its size"
            assert text.startswith("Factor 1")


# -- clipping -------------------------------------------------------------------------------------------------
G_GRID = (-10.0, -8.0, -3.0, 0.0, 3.0, 8.0, 10.0)
C_GRID = (0.1, 3.0, 5.0, 8.0, 10.0)


def test_clipping_by_value_turns_the_gradient_unless_nothing_or_everything_is_clipped_alike():
    """/vanishing-gradients, section 4: "Clipping by value squeezes each entry into the orange square separately,
    so the gradient turns — unless no entry is clipped, or all of its nonzero entries are clipped alike (g = (8, 8)
    stays on its diagonal)."

    Checked at: g₁, g₂ ∈ {−10, −8, −3, 0, 3, 8, 10} × c ∈ {0.1, 3, 5, 8, 10} (the sliders' ends and the defaults)."""
    for g1, g2, c in itertools.product(G_GRID, G_GRID, C_GRID):
        if g1 == g2 == 0:
            continue
        clip = recipe.clip_2d(g1, g2, c)
        assert np.all(np.abs(clip.by_value) <= c)
        nonzero = [abs(g) for g in (g1, g2) if g != 0]
        clipped = [g > c for g in nonzero]
        alike = not any(clipped) or (all(clipped) and len(set(nonzero)) == 1)
        assert (clip.angle_value < 1e-4) == alike, (g1, g2, c, clip.angle_value)  # arccos: ~1e-6° of rounding
    assert recipe.clip_2d(8.0, 8.0, 5.0).angle_value < 1e-4 and recipe.clip_2d(8.0, 3.0, 5.0).angle_value > 10


def test_clipping_by_norm_keeps_the_direction_and_shrinks_only_long_vectors():
    """/vanishing-gradients, section 4: "Clipping by norm shrinks a vector longer than c onto the blue circle (a
    shorter one is left alone) and keeps its direction."

    Checked at: the same grid of g₁, g₂ and c."""
    for g1, g2, c in itertools.product(G_GRID, G_GRID, C_GRID):
        if g1 == g2 == 0:
            continue
        clip = recipe.clip_2d(g1, g2, c)
        assert clip.angle_norm < 1e-5
        if clip.norm_original > c:
            assert clip.norm_norm == pytest.approx(c, rel=1e-6)
        else:  # PyTorch divides by ‖g‖ + 1e-6: a vector exactly c long shrinks by a millionth
            np.testing.assert_allclose(clip.by_norm, clip.original, rtol=1e-6)


def test_clipping_the_runs_gradient_only_ever_shrinks_it_and_keeps_the_curves_shape():
    """/vanishing-gradients, section 4: "On this run's gradient: the three weights of the equation above, after BPTT.
    Clipping by norm multiplies everything by one factor — exactly as if the loss had been scaled — so the curve
    slides down but keeps its shape: the far past still dominates an exploding gradient, and a vanishing one is not
    helped, because clipping only ever shrinks." — and the caption "By value the 3-D gradient turns X°, by norm 0°".

    Checked at: every activation × w ∈ {0, 0.01, 0.5, 0.9, 1, 1.5, 2, 3} × T ∈ {1, 2, 50, 200} × input strength ∈
    {0, 0.5, 3} × float64 and float32 × seeds 0–4 (5,760 runs) × c ∈ {0.1, 1, 5, 10}, wherever the gradient is
    finite."""
    for kw, c in itertools.product(CHAIN_GRID, (0.1, 1.0, 5.0, 10.0)):
        res = run(kw)
        rc = recipe.clip_run(res, c)
        assert rc.names == ("w", "u", "b") and rc.before.shape == (3,)
        if not np.isfinite(rc.norm_before):
            assert np.isnan(rc.scale)
            continue
        assert 0 < rc.scale <= 1 or (rc.scale == 1 and rc.norm_before == 0)
        np.testing.assert_array_equal(rc.clipped, res.grad * rc.scale)
        assert np.all(rc.clipped <= res.grad)  # never larger: a vanishing gradient is not helped
        assert np.all(np.abs(rc.by_value) <= np.minimum(np.abs(rc.before), c))
        if np.isfinite(rc.angle_norm):
            assert rc.angle_norm < 1e-5
        if rc.scale < 1:
            assert int(np.argmax(rc.clipped)) == int(np.argmax(res.grad))  # the same step dominates


def test_an_overflowed_gradient_cannot_be_repaired_by_clipping():
    """/vanishing-gradients, section 4: "This gradient overflowed (inf/NaN): no clipping can repair it. By norm,
    PyTorch's clip_grad_norm_ multiplies it by c/‖g‖ — 0 for an infinite norm, NaN for a NaN one — so every inf
    becomes NaN; by value, an inf becomes ±c (and NaN stays NaN)."

    Checked at: the "float32 overflow" preset and w = 3, T = 200, identity, float32, seeds 0–4, c ∈ {0.1, 5, 10};
    against PyTorch where it is installed, and the engine's clipping either way."""
    torch = pytest.importorskip("torch")
    cases = [preset_config("overflow"), recipe.ChainConfig(w=3.0, length=200, activation="identity",
                                                           precision="float32")]
    for cfg, seed, c in itertools.product(cases, SEEDS, (0.1, 5.0, 10.0)):
        res = recipe.run_chain(recipe.ChainConfig(**{**cfg.__dict__, "seed": seed}))
        grads = {k: np.atleast_1d(v) for k, v in res.param_grads.items()}
        assert not all(np.isfinite(v).all() for v in grads.values())
        with np.errstate(invalid="ignore"):
            norm = np.linalg.norm(np.concatenate(list(grads.values())))
            pytorch = {k: g * min(c / (norm + 1e-6), 1.0) if not np.isnan(norm) else g * np.nan
                       for k, g in grads.items()}
        assert all(np.isnan(v[~np.isfinite(grads[k])]).all() for k, v in pytorch.items())  # every inf -> NaN
        rc = recipe.clip_run(res, c)
        np.testing.assert_array_equal(rc.by_norm, np.concatenate(list(pytorch.values())))  # the page's table
        assert np.isnan(rc.scale)  # and the chart draws no "after" curve
        params = [torch.nn.Parameter(torch.zeros(1, dtype=torch.float64)) for _ in grads]
        for p, g in zip(params, grads.values(), strict=True):
            p.grad = torch.tensor(g, dtype=torch.float64)
        torch.nn.utils.clip_grad_norm_(params, c)
        for p, g in zip(params, pytorch.values(), strict=True):
            np.testing.assert_array_equal(p.grad.numpy(), g)
        for p, g in zip(params, grads.values(), strict=True):
            p.grad = torch.tensor(g, dtype=torch.float64)
        torch.nn.utils.clip_grad_value_(params, c)
        for p, g in zip(params, grads.values(), strict=True):
            expected = np.where(np.isnan(g), np.nan, np.clip(g, -c, c))
            np.testing.assert_array_equal(p.grad.numpy(), expected)


def test_the_figures_draw_every_step_of_every_run():
    """/vanishing-gradients, every chart of sections 1, 2 and 4: no point silently missing — every k is a point, an
    "exactly 0" marker on the bottom edge or an overflow marker on the top edge; every step of the run is a dot on
    the activation chart or a triangle on its edge ("drawn at the edge").

    Checked at: every activation × every w of the grid × input strength ∈ {0, 0.5, 3} × float64 and float32 ×
    T ∈ {50, 200} × seeds 0 and 3 (the drawing does not depend on the seed beyond where zeros and overflows fall),
    c = 5."""
    for kw in (k for k in CHAIN_GRID if k["length"] >= 50 and k["seed"] in (0, 3)):
        res = run(kw)
        fig = figures.gradient_norm_figure(res, activation=kw["activation"])
        drawn = set()
        for trace in fig.data:
            if trace.name.startswith("|∂L/∂h|"):
                y = np.asarray(trace.y, dtype=float)
                drawn |= {int(x) for x, v in zip(trace.x, y, strict=True) if np.isfinite(v)}
        assert drawn == set(range(kw["length"] + 1)), kw
        act_fig = figures.activation_figure(kw["activation"], *recipe_curve(kw["activation"]), res)
        dots = sum(len(t.x) for t in act_fig.data
                   if t.name in ("this run's steps", "steps beyond the edge (|a| larger)") and t.xaxis in (None, "x"))
        assert dots == kw["length"], kw
        lo, hi = act_fig.layout.yaxis.range
        for t in act_fig.data:
            if t.xaxis in (None, "x") and t.name != "act(a)":
                assert np.all((np.asarray(t.y) >= lo) & (np.asarray(t.y) <= hi))
        clip_fig = figures.clip_effect_figure(recipe.clip_run(res, 5.0))
        before = {int(x) for t in clip_fig.data if t.name.startswith("before clipping")
                  for x, v in zip(t.x, np.asarray(t.y, dtype=float), strict=True) if np.isfinite(v)}
        assert before == set(range(kw["length"] + 1))


@functools.cache
def recipe_curve(name: str):
    return curve(name)


def _angle(a: np.ndarray, b: np.ndarray) -> float:
    cos = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


@pytest.mark.parametrize("tip", TRIES, ids=lambda t: t.label)
def test_every_try_this_tip_holds(tip):
    """/vanishing-gradients "Try this": "σ′ ≤ ¼: even w = 3 shrinks the gradient at least ×0.75 per step";
    "strong inputs (3.0) saturate tanh: even w = 1.5 vanishes"; "ρ = 1 with the identity: the norm stays exactly 1
    at every distance"; "g = (10, 1), c = 5: clipping by value turns the gradient 5.6°, by norm not at all".

    Checked at: each link's exact settings (the page's defaults otherwise): the chain's factors from the engine's
    own forward pass, ‖W_hh^k‖₂ from NumPy, the clipped vectors from np.clip and the norm rule."""
    values = {**defaults(SETTINGS), **tip.values}
    c = chain_config(values)
    kw = dict(w=c.w, length=c.length, input_scale=c.input_scale, activation=c.activation, precision=c.precision,
              seed=c.seed)
    res = run(kw)
    if "×0.75 per step" in tip.tip:
        f = factors_back(kw)
        assert c.w == 3.0 and np.all(f <= 0.75)
        assert np.all(res.grad[1:] <= 0.75 * res.grad[:-1] * (1 + 1e-12))
    if "saturate tanh" in tip.tip:
        f = factors_back(kw)
        assert c.w == 1.5 and np.prod(f) == pytest.approx(res.grad[-1], rel=1e-9)
        assert res.grad[-1] < 1e-6 and np.median(f) < 0.5  # most steps sit on tanh's flat ends
    if "norm stays exactly 1" in tip.tip:
        mc = matrix_config(values, c)
        m = matrix(**{f: getattr(mc, f) for f in ("hidden", "radius", "length", "activation", "input_scale",
                                                   "seed")})
        W = mc.radius * recipe.random_orthogonal(mc.hidden, mc.seed)
        direct = [np.linalg.norm(np.linalg.matrix_power(W, k), 2) for k in range(m.norms.size)]
        np.testing.assert_allclose(m.norms, direct, rtol=1e-9)
        np.testing.assert_allclose(m.norms, 1.0, rtol=1e-9)
    if "turns the gradient" in tip.tip:
        cc = clip_config(values)
        g = np.array([cc.g1, cc.g2])
        by_value = np.clip(g, -cc.threshold, cc.threshold)
        by_norm = g * min(1.0, cc.threshold / np.linalg.norm(g))
        clip = recipe.clip_2d(cc.g1, cc.g2, cc.threshold)
        assert f"{_angle(g, by_value):.1f}°" == f"{clip.angle_value:.1f}°" == "5.6°"
        assert _angle(g, by_norm) < 1e-4 and clip.angle_norm < 1e-4


# -- the w sweep ---------------------------------------------------------------------------------------------
SWEEP_GRID = [dict(length=T, input_scale=x, activation=a, precision=p)
              for T, x, a, p in itertools.product((1, 50, 200), X_GRID, ACTIVATIONS, PRECISIONS)]
SWEEP_IDS = [f"{k['activation']}-T{k['length']}-x{k['input_scale']}-{k['precision']}" for k in SWEEP_GRID]
SWEEP_GROUPS = {"is exactly 0": lambda g: g == 0, "is smaller than 1": lambda g: 0 < g < 1,
                "keeps exactly its size, 1,": lambda g: g == 1, "is larger than 1": lambda g: 1 < g < np.inf,
                "overflows": lambda g: not np.isfinite(g)}


def sweep_runs(kw: dict) -> dict[float, recipe.ChainResult]:
    """w -> the engine's chain (one ``run_chain``, i.e. RNN.forward + RNN.backward, per w on the sweep's grid:
    independent of the sweep's vectorised pass), the other settings as in ``kw`` and the page's seed."""
    return {round(float(w), 2): chain(**{**dict(seed=0), **kw, "w": float(w)}) for w in recipe.W_GRID}


def named_ws(clause: str) -> set[float]:
    """The grid points a story clause names: "w = 0.00", "every w from 0.05 to 1.00", joined by "and"."""
    out = {float(v) for v in re.findall(r"(?<!from )w = (\d\.\d\d)", clause)}
    for lo, hi in re.findall(r"every w from (\d\.\d\d) to (\d\.\d\d)", clause):
        out |= {w for w in (round(float(v), 2) for v in recipe.W_GRID) if float(lo) <= w <= float(hi)}
    return out


@pytest.mark.parametrize("kw", SWEEP_GRID, ids=SWEEP_IDS)
def test_the_sweep_story_names_what_reaches_h0_at_every_w(kw):
    """/vanishing-gradients, "Sweep the recurrent weight": "In this sweep the gradient that reaches h₀, all T steps
    back, is exactly 0 for …; it is smaller than 1 for …; it keeps exactly its size, 1, for …; it is larger than 1
    for …; it overflows for …" — each clause names exactly the grid points where the engine's gradient does that,
    and every w of the grid is named once.

    Checked at: every activation × T ∈ {1, 50, 200} × input strength ∈ {0, 0.5, 3} × float64 and float32 (108
    sweeps), one engine run per w on the 61-point grid each, the page's seed."""
    text = stories.sweep_story(recipe.sweep_chain(recipe.ChainConfig(**kw))).split("\n\n")[-1]
    runs = sweep_runs(kw)
    assert text.startswith(f"In this sweep the gradient that reaches $h_0$, all {kw['length']} steps back, ")
    named = {}
    for clause in text.removesuffix(".").split("; it "):
        what = next(g for g in SWEEP_GROUPS if g in clause)
        named[what] = named_ws(clause.split(what, 1)[1])
    for what, holds in SWEEP_GROUPS.items():
        assert named.get(what, set()) == {w for w, r in runs.items() if holds(r.grad[-1])}, (what, kw)
    assert sum(len(ws) for ws in named.values()) == recipe.W_GRID.size


@pytest.mark.parametrize("kw", SWEEP_GRID, ids=SWEEP_IDS)
def test_a_step_whose_slope_lies_above_one_over_w_multiplies_the_gradient_by_more_than_one(kw):
    """/vanishing-gradients, "Sweep the recurrent weight": "the dashed line is 1/|w|: a step whose slope lies above
    it multiplies the gradient by more than 1, one below it by less" — and the readout's "mean factor per step
    |w·act′| = r: shrinks / grows / keeps its size" is the geometric mean of the engine's factors and says what
    happened to the gradient that reached h₀.

    Checked at: every activation × T ∈ {1, 50, 200} × input strength ∈ {0, 0.5, 3} × float64 and float32, every
    w > 0 of the sweep's grid: the factors |∂L/∂h_{t-1}| / |∂L/∂h_t| of the engine's own backward pass (where both
    are normal numbers: a subnormal keeps too few digits to show a factor)."""
    sw = recipe.sweep_chain(recipe.ChainConfig(**kw))
    info = np.finfo(recipe.PRECISIONS[kw["precision"]])
    for s, (w, res) in enumerate(sweep_runs(kw).items()):
        with np.errstate(all="ignore"):
            factor = res.grad[1:] / res.grad[:-1]  # what each step back multiplied the gradient by
            slope = sw.deriv[s, ::-1]
            # where both sizes are normal numbers (a subnormal keeps too few digits to show a factor)
            ok = np.isfinite(factor) & (np.minimum(res.grad[:-1], res.grad[1:]) > 8 * info.tiny) & (
                res.grad[:-1] < info.max / 8)
        if w > 0:
            above, below = ok & (slope > 1 / w * (1 + 1e-6)), ok & (slope < 1 / w * (1 - 1e-6))
            assert np.all(factor[above] > 1) and np.all(factor[below] < 1), (w, kw)
        trend = readout(sw, s).rsplit(": ", 1)[1]
        g0 = res.grad[-1]
        if trend == "shrinks":
            assert g0 < 1, (w, kw)
        elif trend == "grows":
            assert g0 > 1, (w, kw)
        elif trend == "keeps its size":
            assert g0 == 1, (w, kw)


def test_at_w_1_with_the_identity_the_gradient_neither_vanishes_nor_explodes():
    """/vanishing-gradients, "Sweep the recurrent weight", the readout at w = 1.00 with the identity: "|∂L/∂h₀| = 1,
    |w|^T = 1 … mean factor per step |w·act′| = 1: keeps its size" — the gradient is exactly 1 at every distance.

    Checked at: T ∈ {1, 2, 50, 200} × input strength ∈ {0, 0.5, 3} × float64 and float32 × seeds 0–4."""
    for T, x, p, seed in itertools.product(T_GRID, X_GRID, PRECISIONS, SEEDS):
        kw = dict(w=1.0, length=T, input_scale=x, activation="identity", precision=p, seed=seed)
        assert np.all(run(kw).grad == 1.0), kw
        sw = recipe.sweep_chain(recipe.ChainConfig(**kw))
        assert readout(sw, sw.start).endswith("= 1: keeps its size") and f"|w|<sup>{T}</sup> = 1<br>" in readout(
            sw, sw.start)
