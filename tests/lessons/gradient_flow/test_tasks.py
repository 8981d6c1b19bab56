"""/gradient-flow's Check-yourself tasks: the right answer passes, a wrong one does not, and the explanations are
what the engine does."""

from __future__ import annotations

from functools import partial

from task_helpers import by_id, control_values

from lessons.gradient_flow.settings import SETTINGS
from lessons.gradient_flow.tasks import FAR_T, LONG_T, TASKS, lstm_reach
from lessons.kit.settings import defaults

BY_ID = by_id(TASKS)
values = partial(control_values, SETTINGS)


def test_b_f_3_takes_the_lstm_gradient_to_the_first_step_at_t_60_with_seed_0():
    assert "seed 0" in BY_ID["gflow-far"].prompt and defaults(SETTINGS)["seed"] == 0
    before, whole = lstm_reach(values(T=FAR_T, forget_bias=1.0, seed=0))
    after, _ = lstm_reach(values(T=FAR_T, forget_bias=3.0, seed=0))
    assert 15 <= before <= 25 and after == whole == FAR_T - 1  # "some 20 steps", then "to the first step"
    assert "the whole sequence" in BY_ID["gflow-far"].explain()


def test_reaching_back_99_steps_needs_t_100_and_a_large_forget_bias():
    task = BY_ID["gflow-long"]
    ok, message = task.check(values(T=LONG_T, forget_bias=4.0))
    assert ok and "all 99 steps back" in message
    assert not task.check(values(T=LONG_T, forget_bias=3.0))[0]
    assert not task.check(values(T=60, forget_bias=4.0))[0]  # the whole of a shorter sequence does not count
