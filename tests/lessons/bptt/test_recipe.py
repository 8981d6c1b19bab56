"""The /bptt lesson's recipe: the numbers the lesson shows are exact BPTT numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lessons.bptt import recipe as demo
from lessons.kit.typed import parse_numbers

CONFIGS = [
    demo.BPTTConfig(),
    demo.BPTTConfig(sequence="sine", length=9, w_rec=-1.3, activation="tanh", loss="every"),
    demo.BPTTConfig(sequence="random walk", length=15, w_rec=1.7, bias=0.2, activation="sigmoid", loss="every"),
    demo.BPTTConfig(sequence="step", length=7, w_rec=0.6, activation="elu", target=-0.4),
    demo.BPTTConfig(sequence="typed", values=(0.5, -1.0, 2.0, 0.0), w_rec=1.1, activation="leaky_relu", loss="every"),
    demo.BPTTConfig(sequence="impulse", length=1),
]


def loss_of(cfg: demo.BPTTConfig) -> float:
    return demo.run_bptt(cfg).loss


@pytest.mark.parametrize("cfg", CONFIGS)
def test_contributions_sum_to_the_engine_total(cfg):
    res = demo.run_bptt(cfg)
    assert res.contributions.shape == (res.steps,)
    assert res.contributions_sum == pytest.approx(res.total, rel=1e-12, abs=1e-15)
    # ... and the total is cell.backward's gradient, computed independently here.
    cell = demo.build_cell(cfg)
    trace = cell.forward(demo.make_input(cfg)[:, None])
    g = cell.backward(trace, res.local[:, None].copy())
    assert res.total == g.params["weight_hh"][0, 0]


@pytest.mark.parametrize("cfg", CONFIGS)
def test_total_matches_finite_differences(cfg):
    eps = 1e-6
    up = loss_of(dataclasses.replace(cfg, w_rec=cfg.w_rec + eps))
    down = loss_of(dataclasses.replace(cfg, w_rec=cfg.w_rec - eps))
    numeric = (up - down) / (2 * eps)
    assert demo.run_bptt(cfg).total == pytest.approx(numeric, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("cfg", CONFIGS)
def test_backward_recursion_and_factors(cfg):
    """∂L/∂h_t = ∂ℓ_t/∂h_t + w act'(a_{t+1}) ∂L/∂h_{t+1}, with factors = w_rec · act'(a_t)."""
    r = demo.run_bptt(cfg)
    np.testing.assert_allclose(r.factors, cfg.w_rec * r.deriv, rtol=1e-14)
    np.testing.assert_allclose(r.dh[:-1], r.local[:-1] + r.factors[1:] * r.dh[1:], rtol=1e-12, atol=1e-15)
    assert r.dh[-1] == r.local[-1]
    np.testing.assert_allclose(r.da, r.dh * r.deriv, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.contributions, r.da * r.h_prev, rtol=1e-12, atol=1e-15)
    assert r.h_prev[0] == 0 and np.array_equal(r.h_prev[1:], r.h[:-1])


def test_running_product_carries_the_last_error_back():
    cfg = demo.BPTTConfig(sequence="sine", length=10, w_rec=1.2, loss="last")
    r = demo.run_bptt(cfg)
    assert r.running[-1] == 1.0
    np.testing.assert_allclose(r.dh, r.dh[-1] * r.running, rtol=1e-12)
    np.testing.assert_allclose(r.running[:-1], np.cumprod(r.factors[:0:-1])[::-1], rtol=1e-14)


def test_identity_activation_gives_powers_of_w():
    r = demo.run_bptt(demo.BPTTConfig(activation="identity", w_rec=0.5, length=8))
    np.testing.assert_array_equal(r.factors, np.full(8, 0.5))
    np.testing.assert_array_equal(r.running, 0.5 ** np.arange(7, -1, -1))


def test_loss_modes_place_the_loss():
    last = demo.run_bptt(demo.BPTTConfig(loss="last", length=6, target=0.3))
    every = demo.run_bptt(demo.BPTTConfig(loss="every", length=6, target=0.3))
    assert np.count_nonzero(last.local[:-1]) == 0 and last.local[-1] == pytest.approx(last.h[-1] - 0.3)
    np.testing.assert_allclose(every.local, every.h - 0.3)
    assert every.loss == pytest.approx(0.5 * np.sum((every.h - 0.3) ** 2))


def test_uses_the_unrolled_lessons_network_and_inputs():
    # The recipe rebuilds /unrolled's one-unit network and inputs (a lesson never imports another): same numbers.
    from lessons.unrolled import recipe as unrolled

    cfg = demo.BPTTConfig(sequence="random walk", length=20, w_in=0.7, w_rec=-0.8, bias=0.1, seed=3)
    ucfg = unrolled.UnrolledConfig(sequence="random walk", length=20, w_in=0.7, w_rec=-0.8, bias=0.1, seed=3)
    np.testing.assert_array_equal(demo.run_bptt(cfg).h, unrolled.run_unrolled(ucfg).h[:, 0])


@pytest.mark.parametrize("kind", [k for k in demo.SEQUENCES if k != "typed"])
@pytest.mark.parametrize("steps", [1, 7, 100])
def test_inputs_are_the_unrolled_lessons_bit_for_bit(kind, steps):
    from lessons.unrolled import recipe as unrolled

    np.testing.assert_array_equal(demo.input_sequence(kind, steps, seed=5), unrolled.input_sequence(kind, steps, 5))
    cfg = demo.BPTTConfig(sequence=kind, length=steps, w_rec=1.3, activation="elu", seed=5)
    ucfg = unrolled.UnrolledConfig(sequence=kind, length=steps, w_rec=1.3, activation="elu", seed=5)
    np.testing.assert_array_equal(demo.run_bptt(cfg).a, unrolled.run_unrolled(ucfg).a[:, 0])


@pytest.mark.parametrize("cfg", CONFIGS)
def test_truncation_with_k_at_least_T_is_full_bptt(cfg):
    r = demo.run_bptt(cfg)
    for k in (r.steps, r.steps + 5):
        tr = demo.truncate(cfg, k)
        assert tr.rel_error == 0.0
        assert tr.total == tr.full_total == r.total
        np.testing.assert_array_equal(tr.dropped, np.zeros(r.steps))


@pytest.mark.parametrize("cfg", CONFIGS[:4])
def test_truncation_splits_each_share_into_kept_and_dropped(cfg):
    r = demo.run_bptt(cfg)
    tr = demo.truncate(cfg, 3)
    np.testing.assert_allclose(tr.contributions + tr.dropped, r.contributions, rtol=1e-12, atol=1e-15)
    assert tr.total == pytest.approx(tr.contributions.sum(), rel=1e-12, abs=1e-15)
    assert tr.rel_error == pytest.approx(abs(tr.total - r.total) / abs(r.total))


def test_truncation_with_last_step_loss_keeps_exactly_the_window():
    cfg = demo.BPTTConfig(sequence="sine", length=12, w_rec=0.9, loss="last")
    r = demo.run_bptt(cfg)
    tr = demo.truncate(cfg, 4)
    np.testing.assert_array_equal(tr.contributions[:-4], 0.0)
    np.testing.assert_allclose(tr.contributions[-4:], r.contributions[-4:], rtol=1e-13)


def test_truncation_curve_ends_exact():
    cfg = demo.BPTTConfig(sequence="sine", length=30, loss="every")
    c = demo.truncation_curve(cfg)
    np.testing.assert_array_equal(c.ks, np.arange(1, 31))  # every window length
    assert c.rel_errors[-1] == 0.0
    for k in (1, 4, 17, 29):
        assert c.rel_errors[k - 1] == demo.truncate(cfg, k).rel_error  # the curve and the metric agree exactly


@pytest.mark.parametrize("cfg", CONFIGS)
def test_truncation_matches_the_engines_truncated_backward(cfg):
    """The lesson reads truncated BPTT off every loss's shares; the engine runs one backward per loss window."""
    from rnn_core.analysis import truncated_backward

    cell, _, trace, _, local = demo._setup(cfg)
    shares = demo.loss_shares(cfg)
    scale = np.abs(shares.by_loss).sum() + 1e-300
    for k in range(1, demo.run_bptt(cfg).steps + 2):
        engine = truncated_backward(cell, trace, local[:, None].copy(), k)
        tr = demo.truncate(cfg, k, shares)
        assert abs(tr.total - engine.params["weight_hh"][0, 0]) <= 1e-13 * scale
        np.testing.assert_allclose(tr.contributions, engine.per_step["weight_hh"][:, 0, 0], rtol=0, atol=1e-13 * scale)


def test_relative_error_edge_cases():
    assert demo.relative_error(0.0, 0.0) == 0.0
    assert demo.relative_error(1.0, 0.0) == float("inf")
    assert demo.relative_error(1.5, 2.0) == 0.25


def test_typed_sequences_set_the_length():
    r = demo.run_bptt(demo.BPTTConfig(sequence="typed", values=parse_numbers("1, 2; 3 4"), length=99))
    assert r.steps == 4
    np.testing.assert_array_equal(r.x, [1, 2, 3, 4])


@pytest.mark.parametrize(("cfg", "match"), [
    (demo.BPTTConfig(loss="sometimes"), "loss"),
    (demo.BPTTConfig(activation="softsign"), "nonlinearity"),
    (demo.BPTTConfig(sequence="zigzag"), "sequence"),
    (demo.BPTTConfig(length=0), "length"),
    (demo.BPTTConfig(length=demo.MAX_LENGTH + 1), "length"),
    (demo.BPTTConfig(sequence="typed", values=()), "number"),
    (demo.BPTTConfig(sequence="typed", values=tuple(range(demo.MAX_LENGTH + 1))), "at most"),
    (demo.BPTTConfig(target=float("nan")), "target"),
])
def test_bad_configs_raise_clear_value_errors(cfg, match):
    with pytest.raises(ValueError, match=match):
        demo.run_bptt(cfg)


@pytest.mark.parametrize("text", ["", "1, two, 3", "1, inf", "nan"])
def test_bad_typed_numbers(text):
    with pytest.raises(ValueError, match="number"):
        parse_numbers(text)


def test_bad_truncation_window():
    with pytest.raises(ValueError, match="k"):
        demo.truncate(demo.BPTTConfig(), 0)


def test_config_is_hashable_for_caching():
    assert hash(demo.BPTTConfig()) == hash(demo.BPTTConfig())
