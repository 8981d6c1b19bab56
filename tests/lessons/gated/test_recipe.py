"""lessons.gated.recipe: the LSTM/GRU lessons' recipe (inputs, configured cells, step numbers, remember demo,
parameter counts). Typed numbers are parsed by the settings: see test_settings.py."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.gated import recipe as demo
from rnn_core import GRU, LSTM, RNN


# -- inputs -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", [p for p in demo.PATTERNS if p != "custom"])
def test_input_patterns_have_the_requested_length_and_are_seeded(pattern):
    x = demo.input_sequence(pattern, 25, seed=3)
    assert x.shape == (25,) and np.isfinite(x).all()
    np.testing.assert_array_equal(x, demo.input_sequence(pattern, 25, seed=3))


def test_pulse_is_the_first_input_and_the_only_one():
    x = demo.input_sequence("pulse", 10)
    assert x[0] == 1 and x.sum() == 1  # x_1 = 1: step 1 is row 0
    noisy = demo.input_sequence("pulse + noise", 10, seed=2)
    assert noisy[0] == 1 and np.all(noisy[1:] != 0) and np.abs(noisy[1:]).max() < 1


def test_input_sequence_errors():
    with pytest.raises(ValueError, match="pattern: expected one of"):
        demo.input_sequence("zigzag", 10)
    with pytest.raises(ValueError, match="steps: expected an integer from 1 to 200"):
        demo.input_sequence("sine", 0)
    with pytest.raises(ValueError, match="at least one number"):
        demo.input_sequence("custom", 5)
    np.testing.assert_array_equal(demo.input_sequence("custom", 5, values=(1.0, 2.0)), [1.0, 2.0])


# -- LSTM ---------------------------------------------------------------------------------------------
def test_build_lstm_sets_only_the_forget_bias():
    cell = demo.build_lstm(demo.LSTMConfig(hidden=3, forget_bias=2.5))
    b = cell.params["bias_ih"] + cell.params["bias_hh"]
    np.testing.assert_array_equal(b, [0, 0, 0, 2.5, 2.5, 2.5, 0, 0, 0, 0, 0, 0])


def test_input_gain_scales_only_the_input_weights():
    a = demo.build_lstm(demo.LSTMConfig(gain=1.0, seed=4))
    b = demo.build_lstm(demo.LSTMConfig(gain=3.0, seed=4))
    np.testing.assert_allclose(b.params["weight_ih"], 3 * a.params["weight_ih"])
    np.testing.assert_array_equal(b.params["weight_hh"], a.params["weight_hh"])


def test_run_lstm_matches_the_engine_and_silence_writes_nothing():
    cfg = demo.LSTMConfig(steps=12, hidden=4, seed=1)
    run = demo.run_lstm(cfg)
    tr = demo.build_lstm(cfg).forward(run.x[:, None])
    np.testing.assert_allclose(run.c, tr.c)
    np.testing.assert_allclose(run.h, tr.h)
    assert run.gates["f"].shape == (12, 4)
    assert np.abs(run.c[0]).max() > 0.05  # the pulse x_1 = 1 is written at step 1
    np.testing.assert_allclose(run.c_prev[1:], run.c[:-1])
    np.testing.assert_allclose(run.h_prev[0], 0)  # h_0 = c_0 = 0
    np.testing.assert_allclose(run.c_prev[0], 0)
    quiet = demo.run_lstm(demo.LSTMConfig(pattern="custom", values=(0.0, 0.0, 1.0), hidden=4, seed=1))
    assert np.all(quiet.c[:2] == 0)  # silence from a zero state writes nothing: g = tanh(0) = 0


def test_a_larger_forget_bias_keeps_the_pulse_longer():
    short = demo.run_lstm(demo.LSTMConfig(forget_bias=0.0, steps=40))
    long = demo.run_lstm(demo.LSTMConfig(forget_bias=5.0, steps=40))
    assert np.abs(long.c[30]).max() > 10 * np.abs(short.c[30]).max()


def test_peephole_lstm_has_extra_parameters():
    plain = demo.run_lstm(demo.LSTMConfig(hidden=5))
    peep = demo.run_lstm(demo.LSTMConfig(hidden=5, peephole=True))
    assert peep.num_params == plain.num_params + 15


def test_lstm_config_errors():
    with pytest.raises(ValueError, match="hidden: expected an integer from 1 to 64"):
        demo.run_lstm(demo.LSTMConfig(hidden=0))
    with pytest.raises(ValueError, match="forget_bias"):
        demo.run_lstm(demo.LSTMConfig(forget_bias=float("nan")))
    with pytest.raises(ValueError, match="gain"):
        demo.run_lstm(demo.LSTMConfig(gain=-1.0))


# -- GRU ----------------------------------------------------------------------------------------------
def test_run_gru_both_forms():
    cfg = demo.GRUConfig(steps=15, hidden=3, update_bias=2.0, pattern="noise")
    after = demo.run_gru(cfg)
    assert set(after.gates) == {"r", "z", "n"} and after.c is None
    cell = demo.build_gru(cfg)
    assert cell.reset_after
    b = cell.params["bias_ih"] + cell.params["bias_hh"]
    np.testing.assert_array_equal(b, [0, 0, 0, 2, 2, 2, 0, 0, 0])
    h_after, h_before, gap = demo.reset_form_gap(cfg)
    np.testing.assert_allclose(h_after, after.h)
    assert gap.shape == (15,) and gap.max() > 0  # same weights, different functions


# -- step values --------------------------------------------------------------------------------------
def test_step_values_add_up_for_one_unit_and_on_average():
    run = demo.run_lstm(demo.LSTMConfig(pattern="noise", hidden=5, steps=10))
    for unit in (None, 2):
        v = demo.step_values(run, 4, unit)
        assert v["c"] == pytest.approx(v["kept"] + v["written"])
    v = demo.step_values(run, 4, 2)
    assert v["kept"] == pytest.approx(v["f"] * v["c_prev"])
    assert v["h"] == pytest.approx(v["o"] * v["tanh_c"])
    assert v["x"] == run.x[3]  # step 4 is row 3
    assert v["c"] == run.c[3, 2] and v["c_prev"] == run.c[2, 2]
    first = demo.step_values(run, 1, 0)
    assert first["h_prev"] == first["c_prev"] == 0 and first["x"] == run.x[0]


def test_step_values_gru():
    run = demo.run_gru(demo.GRUConfig(pattern="sine", hidden=4, steps=10))
    v = demo.step_values(run, 3, 1)
    assert v["h"] == pytest.approx(v["z"] * v["h_prev"] + (1 - v["z"]) * v["n"])
    assert v["h"] == pytest.approx(v["kept"] + v["written"])


def test_step_values_errors():
    run = demo.run_lstm(demo.LSTMConfig(steps=5, hidden=2))
    with pytest.raises(ValueError, match="t: expected a step from 1 to 5"):
        demo.step_values(run, 0)
    with pytest.raises(ValueError, match="t: expected a step from 1 to 5"):
        demo.step_values(run, 6)
    with pytest.raises(ValueError, match="unit: expected 0 to 1"):
        demo.step_values(run, 1, 2)


def test_half_life():
    assert demo.half_life(0.5) == pytest.approx(1.0)
    assert demo.half_life(1.0) == float("inf")
    assert demo.half_life(0.0) == 0.0


# -- remember demo ------------------------------------------------------------------------------------
def test_remember_keeps_f_to_the_power_of_the_gap():
    res = demo.run_remember(demo.RememberConfig(forget_bias=4.0, gap=30, noise=0.0))
    f = 1 / (1 + np.exp(-4.0))
    assert res.forget_power == pytest.approx(f**30) and res.kept == pytest.approx(res.stored * f**30)
    assert res.recalled == pytest.approx(res.kept + res.leaked)
    assert res.write_step == 3 and res.read_step == 33 and len(res.c) == res.read_step  # steps 1..T
    assert res.o[res.read_step - 1] > 0.99 and res.o[res.read_step - 2] < 0.01
    assert res.i[res.write_step - 1] > 0.99 and res.x[res.write_step - 1, 1] == 1
    assert res.stored == res.c[res.write_step - 1]
    assert res.h[-1] == pytest.approx(res.o[-1] * np.tanh(res.c[-1]))


def test_remember_noise_stays_off_the_belt():
    quiet = demo.run_remember(demo.RememberConfig(noise=0.0))
    noisy = demo.run_remember(demo.RememberConfig(noise=1.0))
    assert abs(noisy.recalled - quiet.recalled) < 0.05 * abs(quiet.recalled)
    assert abs(quiet.leaked) < 1e-12 < abs(noisy.leaked)  # without noise nothing leaks in (g = tanh(0) = 0)


def test_remember_errors():
    with pytest.raises(ValueError, match="gap"):
        demo.run_remember(demo.RememberConfig(gap=0))


# -- parameter counts ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("D", "H"), [(1, 6), (300, 512), (7, 3)])
def test_param_counts_formulas(D, H):
    counts = demo.param_counts(D, H)
    block = H * (D + H + 2)
    assert counts == {"RNN": block, "GRU": 3 * block, "LSTM": 4 * block, "LSTM + peepholes": 4 * block + 3 * H}
    assert counts["LSTM"] == LSTM(D, H).num_params() and counts["GRU"] == GRU(D, H).num_params()
    assert counts["RNN"] == RNN(D, H).num_params()


def test_param_counts_match_torch():
    torch = pytest.importorskip("torch")
    D, H = 5, 7
    counts = demo.param_counts(D, H)
    for name, module in (("RNN", torch.nn.RNN), ("GRU", torch.nn.GRU), ("LSTM", torch.nn.LSTM)):
        assert counts[name] == sum(p.numel() for p in module(D, H).parameters())
