"""/vanishing-gradients' Check-yourself tasks: the right answer passes, a wrong one does not, checked on the
engine."""

from __future__ import annotations

from functools import partial

import numpy as np
from task_helpers import by_id, control_values

from lessons.vanishing import recipe
from lessons.vanishing.settings import SETTINGS
from lessons.vanishing.tasks import ALIVE, TASKS, overflow_option, overflow_run, sigmoid_answer, sigmoid_reach

BY_ID = by_id(TASKS)
values = partial(control_values, SETTINGS)


def test_float32_overflows_after_128_steps_back_and_float64_does_not():
    task = BY_ID["vanishing-overflow"]
    res = overflow_run()
    assert res.overflow_distance == 128 and 2.0 ** 127 < float(np.finfo(np.float32).max) < 2.0 ** 128
    assert task.options[task.answer] == "after about 128 steps" and overflow_option(res) == 1
    wide = recipe.run_chain(recipe.ChainConfig(w=2.0, length=200, activation="identity", precision="float64"))
    assert wide.overflow_distance is None
    assert "k = 128" in task.explain() and "stay finite" in task.explain()


def test_no_weight_on_the_slider_saves_the_sigmoid():
    task = BY_ID["vanishing-sigmoid"]
    reach = sigmoid_reach()
    assert all(g < ALIVE for g in reach.values())
    assert 0.75 ** SETTINGS["length"].default < ALIVE  # even the best case with w = 3 (the slider's end)
    assert SETTINGS["w"].hi == 3.0
    assert task.options[task.answer] == "none of them" and task.answer == sigmoid_answer()
    assert "0.75^50" in task.explain()


def test_make_an_exact_zero_passes_only_for_an_exact_zero_with_w_above_zero():
    task = BY_ID["vanishing-exact-zero"]
    ok, message = task.check(values(w=0.9, activation="relu"))
    assert ok and "dead unit" in message  # the dead-ReLU preset
    ok, message = task.check(values(w=0.01, activation="identity", length=200, f32=True))
    assert ok and "underflowed" in message
    assert not task.check(values())[0]  # tiny, not 0
    assert not task.check(values(w=0.0))[0]  # too easy
