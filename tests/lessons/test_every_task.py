"""Every lesson's Check-yourself tasks (lessons/<name>/tasks.py, as app.py finds them), checked alike: ids, how
many, and that a predict task takes its one answer. What each task's answer and check mean for its lesson is
tested next to the lesson (tests/lessons/<name>/test_tasks.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessons.catalog import LESSONS
from lessons.kit.tasks import of_lesson

TASKS = {lesson.url_path: of_lesson(Path(lesson.path).parent.name, lesson.url_path) for lesson in LESSONS}
EVERY = [task for tasks in TASKS.values() for task in tasks]
PREDICT = [task for task in EVERY if task.kind == "predict"]
MAKE = [task for task in EVERY if task.kind == "make"]
# The right answer of every predict task, as the student reads it (why it is right: tests/lessons/<name>/test_tasks.py).
ANSWERS = {
    "unrolled-half": "about 3 %",
    "unrolled-never-negative": "sigmoid",
    "bptt-reach": "between 0.01 % and 1 %",
    "bptt-zero-shares": "the steps up to and including the impulse",
    "vanishing-overflow": "after about 128 steps",
    "vanishing-sigmoid": "none of them",
    "lstm-fade": "about 40 %",
    "gru-params": "three times as many",
    "bidir-sees": "x_s for s ≤ t",
    "bidir-next": "the backward half h←",
    "gflow-far": "to the first step",
    "training-returns": "about twice as bad",
    "training-half": "about 0.083",
    "char-knowing-nothing": "about 4.1",
    "char-after-th": "about six times",
}


def test_task_ids_are_unique_across_the_app_and_safe_in_a_link():
    ids = [task.id for task in EVERY]
    assert len(set(ids)) == len(ids) and all(i.replace("-", "").isalnum() for i in ids)
    assert set(ANSWERS) == {task.id for task in PREDICT}


@pytest.mark.parametrize("url_path", [path for path in TASKS if path])  # Home ("") teaches no lesson to check
def test_every_lesson_has_two_to_four_tasks(url_path):
    assert 2 <= len(TASKS[url_path]) <= 4


@pytest.mark.parametrize("task", PREDICT, ids=lambda task: task.id)
def test_a_predict_task_accepts_only_its_answer(task):
    assert task.options[task.answer] == ANSWERS[task.id] and task.explain is not None
    assert task.is_right(task.answer) and not task.is_right(None)
    assert not any(task.is_right(k) for k in range(len(task.options)) if k != task.answer)


@pytest.mark.parametrize("task", MAKE, ids=lambda task: task.id)
def test_a_make_task_checks_the_lessons_own_controls(task):
    assert task.check is not None and task.table


@pytest.mark.parametrize("task", MAKE, ids=lambda task: task.id)
def test_a_make_task_asks_for_readable_controls_before_it_checks(task):
    ok, message = task.check({})  # no control drawn yet
    assert not ok and message
