"""/training's Check-yourself tasks: the right answer passes, a wrong one does not, checked on the lab's data."""

from __future__ import annotations

from functools import partial

import numpy as np
from task_helpers import by_id, control_values

from lessons.training import recipe
from lessons.training.settings import SETTINGS
from lessons.training.tasks import TASKS, first_numbers, returns_scores

BY_ID = by_id(TASKS)
values = partial(control_values, SETTINGS)


def test_returns_copying_is_about_twice_as_bad_as_the_average():
    task = BY_ID["training-returns"]
    s = returns_scores()
    assert 1.7 < s[recipe.PERSIST_NAME] / s[recipe.AVERAGE_NAME] < 2.5  # "about twice as bad"
    assert "×" in task.explain()


def test_without_the_first_number_the_floor_is_its_variance():
    task = BY_ID["training-half"]
    firsts, latest = first_numbers(20)
    assert latest < recipe.adding_half(20)  # every first marker lies in the cut-off half
    assert abs(np.var(firsts) - 1 / 12) < 0.01  # "about 0.083"
    assert "0.08" in task.explain()


def test_cutting_the_gradient_passes_only_when_no_first_marker_is_reached():
    check = BY_ID["training-cut"].check
    assert check(values(task="adding", window=20, bptt=9))[0]
    assert check(values(task="adding", window=20, bptt=1))[0]
    assert not check(values(task="adding", window=20, bptt=0))[0]  # full BPTT
    assert not check(values(task="adding", window=20, bptt=20))[0]
    assert not check(values(task="adding", window=20, bptt=15))[0]  # reaches step 6 onwards: some markers sit there
    assert not check(values(task="stock", window=20, bptt=9))[0]
    _, latest = first_numbers(20)
    assert check(values(task="adding", window=20, bptt=20 - latest - 1))[0]
    assert not check(values(task="adding", window=20, bptt=20 - latest))[0]
