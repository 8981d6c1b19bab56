"""What the lessons' task tests (tests/lessons/*/test_tasks.py) share (importable as ``task_helpers``: tests/ is
on the path)."""

from __future__ import annotations

from collections.abc import Mapping

from lessons.kit.settings import Setting, defaults
from lessons.kit.tasks import Task


def by_id(tasks: tuple[Task, ...] | Mapping[str, tuple[Task, ...]]) -> dict[str, Task]:
    """A lesson's ``TASKS`` (a tuple, or page -> tuple for a folder with several pages) by task id."""
    groups = tasks.values() if isinstance(tasks, Mapping) else (tasks,)
    return {task.id: task for group in groups for task in group}


def control_values(settings: Mapping[str, Setting], **changed) -> dict[str, object]:
    """What a ``check`` reads: every control of ``settings`` at its default, except the ``changed`` ones."""
    return {**defaults(settings), **changed}
