"""/bptt's Check-yourself tasks: the right answer passes, a wrong one does not, checked on the engine."""

from __future__ import annotations

from functools import partial

import numpy as np
from task_helpers import by_id, control_values

from lessons.bptt import recipe
from lessons.bptt.settings import SETTINGS
from lessons.bptt.tasks import REACH_OPTIONS, TASKS, impulse_step, reach_option, reached, zero_share_steps

BY_ID = by_id(TASKS)
values = partial(control_values, SETTINGS)


def test_how_much_reaches_step_one_is_what_the_engine_computes():
    task = BY_ID["bptt-reach"]
    share = reached(0.5)
    assert 1e-4 <= share <= 1e-2 and share <= 0.5 ** 11  # "between 0.01 % and 1 %", below the bound 0.5¹¹
    assert task.options[task.answer] == REACH_OPTIONS[2] == "between 0.01 % and 1 %"
    assert [reach_option(s) for s in (0.5, 0.05, 0.005, 5e-5)] == [0, 1, 2, 3]
    assert reach_option(share) == task.answer
    assert "0.00017" in task.explain() and "0.5^11" in task.explain()


def test_the_steps_before_the_impulse_add_exactly_nothing():
    task = BY_ID["bptt-zero-shares"]
    res = recipe.run_bptt(recipe.BPTTConfig())
    assert zero_share_steps() == list(range(1, impulse_step() + 1)) == [1, 2, 3]
    assert np.all(res.h_prev[:3] == 0) and np.all(res.da[:3] != 0)  # the state is 0, its gradient is not
    assert np.all(res.contributions[3:] != 0)
    assert "Steps 1, 2, 3" in task.explain() and "step 3" in task.explain()


def test_make_it_grow_passes_only_when_more_than_the_last_steps_error_reaches_step_one():
    task = BY_ID["bptt-grow"]
    assert task.check(values(w_rec=1.5, activation="identity"))[0]
    assert not task.check(values())[0]  # the defaults fade
    assert not task.check(values(w_rec=2.0))[0]  # tanh saturates: it still fades
    assert not task.check(values(w_rec=1.5, activation="identity", length=5))[0]  # too short
    ok, message = task.check(values(w_rec=1.5, activation="identity"))
    assert ok and f"{abs(recipe.run_bptt(recipe.BPTTConfig(w_rec=1.5, activation='identity')).running[0]):.3g}" \
        in message
