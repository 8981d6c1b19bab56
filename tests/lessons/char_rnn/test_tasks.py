"""/char-rnn's Check-yourself tasks: the right answer passes, a wrong one does not, checked on the engine."""

from __future__ import annotations

from functools import partial

import numpy as np
from task_helpers import by_id, control_values

from lessons.char_rnn import recipe as demo
from lessons.char_rnn.settings import SETTINGS
from lessons.char_rnn.tasks import TASKS, WEIGHTS, cell_weights, shipped

BY_ID = by_id(TASKS)
values = partial(control_values, SETTINGS)


def test_knowing_nothing_costs_ln_v_and_the_letter_frequencies_less():
    task = BY_ID["char-knowing-nothing"]
    c = shipped()
    assert abs(np.log(c.vocab_size) - 4.1) < 0.05 and abs(c.unigram - 3.3) < 0.05  # the options "4.1" and "3.3"
    assert "4.08" in task.explain()


def test_e_after_th_is_about_six_times_as_likely():
    task = BY_ID["char-after-th"]
    h = demo.context_hint(shipped())
    assert (h.context, h.char) == ("th", "e") and 5 < h.after / h.overall < 7.5
    assert "×" in task.explain()


def test_the_weights_task_passes_only_inside_the_range():
    check = BY_ID["char-weights"].check
    V = shipped().vocab_size
    passing = [H for H in range(16, 129, 16) if WEIGHTS[0] <= 4 * H * (H + V + 2) <= WEIGHTS[1]]
    assert passing == [80]  # one setting of the slider solves it
    assert cell_weights(80, V) == 4 * 80 * (80 + V + 2)
    assert check(values(hidden=80))[0]
    assert not check(values(hidden=64))[0] and not check(values(hidden=96))[0]
    assert not check(values(hidden=80, source="pasted"))[0]
