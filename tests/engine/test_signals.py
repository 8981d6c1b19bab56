"""Input signals and the range checks they use."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import signals
from rnn_core.validation import check_choice, check_float, check_int, check_number


def test_impulse_step_and_sine():
    np.testing.assert_array_equal(signals.impulse(5, 2), [0, 0, 1, 0, 0])
    np.testing.assert_array_equal(signals.step(5, 2), [0, 0, 1, 1, 1])
    np.testing.assert_allclose(signals.sine(13, 12)[[0, 3, 12]], [0, 1, 0], atol=1e-12)


def test_random_signals_repeat_for_a_seed():
    np.testing.assert_array_equal(signals.noise(20, [3, 7]), signals.noise(20, [3, 7]))
    assert not np.array_equal(signals.noise(20, [3, 7]), signals.noise(20, [4, 7]))
    walk = signals.random_walk(50, 0.1, [0, 4])
    np.testing.assert_allclose(np.diff(walk), 0.1 * signals.noise(50, [0, 4])[1:])


@pytest.mark.parametrize("kind", signals.KINDS)
def test_every_named_kind_is_generated_at_any_length_and_repeats_for_a_seed(kind):
    for length in (1, 7, signals.MAX_STEPS):
        x = signals.generate(kind, length, seed=3)
        assert x.shape == (length,) and np.isfinite(x).all()
        np.testing.assert_array_equal(x, signals.generate(kind, length, seed=3))
    assert signals.generate("impulse", 12)[signals.event_step(12)] == 1


@pytest.mark.parametrize(("call", "message"), [
    (lambda: signals.impulse(0, 0), "steps: expected an integer of at least 1, got 0"),
    (lambda: signals.impulse(5, 5), "at: expected an integer from 0 to 4, got 5"),
    (lambda: signals.sine(5, 0), "period: expected a number of at least 1e-09"),
    (lambda: signals.random_walk(5, -1, 0), "volatility: expected a number of at least 0"),
    (lambda: signals.noise(2.5, 0), "steps: expected an integer"),
    (lambda: signals.generate("zigzag", 5), "sequence: expected one of step, impulse, sine, random walk, got"),
    (lambda: signals.generate("sine", 201), "length: expected an integer from 1 to 200, got 201"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_range_checks_name_the_argument_and_the_range():
    assert check_int("T", 5, 1, 10) == 5
    assert check_number("w", np.float32(0.5), -1, 1) == 0.5
    assert check_choice("cell", "gru", ("rnn", "gru")) == "gru"
    assert check_float("lr", "0.5") == 0.5 and check_float("eps", 0, "non-negative") == 0.0
    for call, message in [(lambda: check_int("T", True, 1), "T: expected an integer of at least 1, got True"),
                          (lambda: check_int("T", 11, 1, 10), "T: expected an integer from 1 to 10, got 11"),
                          (lambda: check_number("w", float("inf")), "w: expected a finite number, got inf"),
                          (lambda: check_number("w", 2.0, hi=1), "w: expected a number of at most 1, got 2"),
                          (lambda: check_number("w", "1"), "w: expected a finite number, got '1'"),
                          (lambda: check_choice("cell", "cnn", ("rnn",)), "cell: expected one of rnn, got 'cnn'"),
                          (lambda: check_float("lr", None), "lr: expected a positive number, got None"),
                          (lambda: check_float("lr", 0), "lr: expected a positive finite number, got 0"),
                          (lambda: check_float("eps", -1e-9, "non-negative"), "eps: expected a non-negative finite")]:
        with pytest.raises(ValueError, match=message):
            call()


def test_activation_curve_gives_the_function_and_its_slope():
    from rnn_core import curve

    a, y, d = curve("tanh", -2, 2, 5)
    np.testing.assert_allclose(a, [-2, -1, 0, 1, 2])
    np.testing.assert_allclose(y, np.tanh(a))
    np.testing.assert_allclose(d, 1 - np.tanh(a) ** 2)
    with pytest.raises(ValueError, match="finite lo < hi"):
        curve("tanh", 1, 1)
    with pytest.raises(ValueError, match="nonlinearity: unknown activation"):
        curve("swish")
