"""Check-yourself tasks of /lstm, /gru and /bidirectional: the right answer passes, a wrong one does not, and what
each explanation says is what the engine does."""

from __future__ import annotations

import numpy as np
from task_helpers import by_id

from lessons.gated import bidirectional_recipe as brecipe
from lessons.gated import recipe
from lessons.gated.settings import GRU_SETTINGS, LSTM_SETTINGS
from lessons.gated.tasks import SEES_T, TASKS
from lessons.kit.settings import defaults

BY_ID = by_id(TASKS)


def test_every_page_of_the_folder_has_its_tasks():
    assert set(TASKS) == {"lstm", "gru", "bidirectional"}


def test_twenty_steps_at_b_f_3_leave_about_40_percent():
    run = recipe.run_remember(recipe.RememberConfig(forget_bias=3.0, gap=20))
    assert 0.35 < run.forget_power < 0.45 and run.kept < run.stored / 2
    assert "38%" in BY_ID["lstm-fade"].explain()


def test_holding_half_for_100_steps_needs_a_forget_bias_of_5():
    task = BY_ID["lstm-hold"]
    base = defaults(LSTM_SETTINGS)
    assert task.check({**base, "keep_bias": 5.0, "gap": 100})[0]
    assert task.check({**base, "keep_bias": 8.0, "gap": 150})[0]
    assert not task.check({**base, "keep_bias": 4.5, "gap": 100})[0]
    assert not task.check({**base, "keep_bias": 8.0, "gap": 50})[0]  # too short a gap


def test_a_gru_has_three_times_the_parameters_of_an_rnn():
    for D, H in ((1, 6), (300, 128)):
        counts = recipe.param_counts(D, H)
        assert counts["GRU"] == 3 * counts["RNN"]
    assert "3×" in BY_ID["gru-params"].explain()


def test_keeping_the_past_needs_z_above_097_everywhere():
    task = BY_ID["gru-keep"]
    base = defaults(GRU_SETTINGS)
    ok, message = task.check({**base, "update_bias": 5.0})
    assert ok and "|h| stays below" in message
    assert not task.check(base)[0]
    assert not task.check({**base, "update_bias": 3.0})[0]


def test_the_forward_half_sees_only_the_past_and_the_backward_half_only_the_future():
    sens = brecipe.sensitivity(brecipe.BiConfig())
    fwd, bwd = sens.forward[SEES_T - 1], sens.backward[SEES_T - 1]
    assert (fwd[:SEES_T] > 0).all() and (fwd[SEES_T:] == 0).all()
    assert (bwd[SEES_T - 1:] > 0).all() and (bwd[:SEES_T - 1] == 0).all()
    assert "$x_{1}$ … $x_{12}$" in BY_ID["bidir-sees"].explain()


def test_only_the_backward_half_carries_the_next_input():
    r2 = brecipe.readout(brecipe.ReadoutConfig(task="next")).r2
    assert r2["backward"] > 0.7 and abs(r2["forward"]) < 0.05
    assert np.isfinite(list(r2.values())).all()
    assert "backward half **" in BY_ID["bidir-next"].explain()
