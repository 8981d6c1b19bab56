"""The unrolled-RNN lesson's recipe: inputs, the slider -> matrix mapping, and the forward pass it reports."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.unrolled import recipe as demo


def cfg(**kw) -> demo.UnrolledConfig:
    return demo.UnrolledConfig(**kw)


# -- inputs ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [k for k in demo.SEQUENCES if k != "typed"])
@pytest.mark.parametrize("steps", [1, 2, 7, 200])
def test_generated_sequences_have_the_requested_length_and_are_finite(kind, steps):
    x = demo.input_sequence(kind, steps, seed=3)
    assert x.shape == (steps,)
    assert np.isfinite(x).all()


def test_impulse_and_step_switch_on_at_the_same_step():
    t0 = demo.event_step(12)
    imp, step = demo.input_sequence("impulse", 12), demo.input_sequence("step", 12)
    assert imp.sum() == 1 and imp[t0] == 1
    assert (step[:t0] == 0).all() and (step[t0:] == 1).all()
    assert demo.input_sequence("impulse", 1).tolist() == [1.0]  # T = 1 still shows the event


def test_sine_has_period_twelve_and_random_walk_depends_on_seed_only():
    x = demo.input_sequence("sine", 36)
    np.testing.assert_allclose(x[:12], x[12:24], atol=1e-12)
    a, b = demo.input_sequence("random walk", 50, seed=1), demo.input_sequence("random walk", 50, seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, demo.input_sequence("random walk", 50, seed=2))
    # a random walk: consecutive differences are the (small) daily moves
    assert np.abs(np.diff(a)).max() < 1.0


def test_typed_values_are_used_as_given_and_length_is_ignored():
    x = demo.input_sequence("typed", 99, values=(0.5, -1.0, 2.0))
    assert x.tolist() == [0.5, -1.0, 2.0]


@pytest.mark.parametrize(
    ("kind", "steps", "values", "message"),
    [
        ("zigzag", 5, (), "sequence: expected one of"),
        ("sine", 0, (), "length: expected an integer from 1 to 200"),
        ("sine", 201, (), "length: expected an integer from 1 to 200"),
        ("sine", 2.5, (), "length: expected an integer"),
        ("typed", 5, (), "numbers: type at least one number"),
    ],
)
def test_bad_inputs_raise_clear_errors(kind, steps, values, message):
    with pytest.raises(ValueError, match=message):
        demo.input_sequence(kind, steps, values=values)


# -- the slider -> matrix mapping -----------------------------------------------------------------------
def test_one_unit_network_is_exactly_the_scalar_recurrence():
    run = demo.run_unrolled(cfg(sequence="sine", length=20, w_in=0.7, w_rec=-0.9, bias=0.2, activation="tanh"))
    h, expected = 0.0, []
    for x in run.x:
        h = np.tanh(0.7 * x - 0.9 * h + 0.2)
        expected.append(h)
    np.testing.assert_allclose(run.h[:, 0], expected, rtol=0, atol=1e-14)
    np.testing.assert_allclose(run.y, run.h[:, 0], atol=0)  # v = 1, c = 0


@pytest.mark.parametrize("hidden", [2, 5, 8])
def test_shapes_are_seeded_orthogonal_and_normalised(hidden):
    u, q, v = demo.shapes(hidden, seed=7)
    np.testing.assert_allclose(q @ q.T, np.eye(hidden), atol=1e-12)
    assert np.abs(u).max() == pytest.approx(1.0)
    assert np.linalg.norm(v) == pytest.approx(1.0) and v[0] > 0
    u2, q2, v2 = demo.shapes(hidden, seed=7)
    np.testing.assert_array_equal(q, q2)
    assert not np.allclose(q, demo.shapes(hidden, seed=8)[1])


def test_recurrent_weight_is_the_spectral_scale_of_w_hh():
    run = demo.run_unrolled(cfg(hidden=6, w_rec=1.3, seed=4))
    np.testing.assert_allclose(np.linalg.svd(run.w_hh, compute_uv=False), np.full(6, 1.3), rtol=1e-12)
    np.testing.assert_allclose(run.b, np.zeros(6))


def test_identity_impulse_echo_scales_by_w_each_step():
    run = demo.run_unrolled(cfg(sequence="impulse", length=30, w_rec=0.5, activation="identity"))
    t0 = demo.event_step(30)
    h = run.h[t0:, 0]
    np.testing.assert_allclose(h, 0.5 ** np.arange(len(h)), rtol=1e-12)


def test_contributions_add_up_to_the_pre_activation():
    run = demo.run_unrolled(cfg(sequence="random walk", length=40, hidden=5, w_in=1.7, w_rec=0.9, bias=-0.3))
    np.testing.assert_allclose(run.from_input + run.from_memory + run.b, run.a, atol=1e-12)
    np.testing.assert_allclose(run.h_prev[1:], run.h[:-1])
    np.testing.assert_array_equal(run.h_prev[0], np.zeros(5))
    np.testing.assert_allclose(run.y, run.h @ run.v, atol=1e-12)


def test_run_matches_the_engine_cell_directly():
    c = cfg(sequence="sine", length=15, hidden=3, activation="elu", w_rec=1.1, seed=2)
    cell = demo.build_rnn(c)
    trace = cell.forward(demo.input_sequence("sine", 15)[:, None])
    np.testing.assert_array_equal(demo.run_unrolled(c).h, trace.h)


def test_large_recurrent_weight_grows_without_overflow_in_range():
    run = demo.run_unrolled(cfg(sequence="step", length=200, w_rec=3.0, w_in=3.0, activation="identity"))
    assert run.overflow_step is None  # 3^200 ~ 1e95 still fits in float64
    assert np.abs(run.h).max() > 1e70  # ~3^167 after the step switches on


def test_config_is_hashable_for_caching():
    assert hash(cfg()) == hash(cfg())
    assert cfg(values=(1.0, 2.0)) != cfg(values=(1.0,))


@pytest.mark.parametrize(
    ("kw", "message"),
    [({"hidden": 0}, "hidden: expected an integer from 1 to 8"), ({"hidden": 9}, "hidden"),
     ({"activation": "swish"}, "unknown activation"), ({"w_rec": float("nan")}, "w_rec: expected a finite")],
)
def test_bad_config_raises(kw, message):
    with pytest.raises(ValueError, match=message):
        demo.run_unrolled(cfg(**kw))


def test_activation_curve():
    a, y = demo.activation_curve("sigmoid", 4.0, points=9)
    assert a[0] == -4 and a[-1] == 4 and y[4] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="a_max"):
        demo.activation_curve("tanh", 0.0)
