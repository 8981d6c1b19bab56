"""/unrolled's Check-yourself tasks: the right answer passes, a wrong one does not, checked on the engine."""

from __future__ import annotations

from functools import partial

from task_helpers import by_id, control_values

from lessons.unrolled.settings import SETTINGS
from lessons.unrolled.tasks import TASKS, echo_left

BY_ID = by_id(TASKS)
values = partial(control_values, SETTINGS)


def test_predict_tasks_accept_only_their_answer_and_the_answer_is_what_the_engine_does():
    half = BY_ID["unrolled-half"]
    assert 0.02 < echo_left(0.5, 5) < 0.045  # "about 3 %"
    assert "%" in half.explain()
    sign = BY_ID["unrolled-never-negative"]
    assert "sigmoid" in sign.explain()


def test_make_it_grow_passes_only_for_a_growing_echo():
    task = BY_ID["unrolled-explode"]
    assert task.check(values(w_rec=1.5, activation="identity", length=30))[0]
    assert not task.check(values())[0]  # the defaults fade
    assert not task.check(values(w_rec=1.5, activation="identity", length=30, sequence="step"))[0]


def test_make_it_flip_passes_only_for_a_negative_weight():
    task = BY_ID["unrolled-flip"]
    assert task.check(values(w_rec=-0.9, length=20))[0]
    assert not task.check(values(w_rec=0.9, length=20))[0]
