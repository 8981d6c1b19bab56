"""Check yourself: two to four tasks under every lesson, checked against the engine.

Two kinds:
- *predict, then see*: the student commits to one of a few answers; then the app runs the experiment and
  explains what happened (``explain`` computes the text from the engine, so it is always true);
- *make it happen*: a goal reached with the lesson's own controls; ``check`` reads the controls as they are
  (``widgets.drawn``) and runs the engine on them.

A lesson lists its tasks in ``lessons/<name>/tasks.py`` as ``TASKS`` (pure Python: tests check that each
task's right answer passes and a wrong one does not). app.py draws them under the lesson; progress is kept for
the session and shown in the sidebar; ``?task=<id>`` opens a lesson with that task open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import streamlit as st

from lessons.kit.settings import Setting
from lessons.kit.widgets import drawn

R = TypeVar("R")
DONE = "_unrolled_tasks_done"  # session key: ids of the tasks solved in this session
LINK_KEY = "task"  # ?task=<id> opens that task


@dataclass(frozen=True)
class Task:
    """One task. ``id`` is unique across the app and safe in a URL (it is the anchor and the link value)."""

    id: str
    title: str
    prompt: str
    options: tuple[str, ...] = ()  # a "predict" task: the answers to choose from
    answer: int | None = None  # ... and the index of the right one
    explain: Callable[[], str] | None = None  # ... what the experiment shows, computed from the engine
    check: Callable[[Mapping[str, object]], tuple[bool, str]] | None = field(default=None)  # a "make" task
    table: Mapping[str, Setting] | None = field(default=None, repr=False)  # ... reads these controls, by name

    @property
    def kind(self) -> str:
        return "predict" if self.options else "make"

    def is_right(self, choice: int | None) -> bool:
        return choice is not None and choice == self.answer


def named_values(table: Mapping[str, Setting]) -> dict[str, object]:
    """The current values of a lesson's drawn controls, by setting name (for a ``check``)."""
    current = drawn()
    return {name: current[s.key][1] for name, s in table.items() if s.key in current}


def run_on(values: Mapping[str, object], run: Callable[[dict], R]) -> R | None:
    """What a ``check`` computes: ``run`` on the controls' current values, or None while they cannot be read — a
    control that is not drawn yet is missing (KeyError), a value the recipe refuses raises ValueError (and the page
    already says why)."""
    try:
        return run(dict(values))
    except (ValueError, KeyError):
        return None


def reading(run: Callable[[dict], R], controls: str = "The controls", unreadable: str | None = None):
    """Decorator for a ``check`` written on what ``run`` makes of the controls (a recipe's result) rather than on
    their raw values. While they cannot be read (``run_on`` gives None) the check answers ``unreadable``, by
    default that ``controls`` ("The cell's controls") are not readable yet."""
    unreadable = unreadable or f"{controls} are not readable yet: move one of them and try again."

    def wrap(check: Callable[[R], tuple[bool, str]]) -> Callable[[Mapping[str, object]], tuple[bool, str]]:
        def checked(values: Mapping[str, object]) -> tuple[bool, str]:
            got = run_on(values, run)
            return (False, unreadable) if got is None else check(got)

        return checked

    return wrap


def solved() -> set[str]:
    return st.session_state.setdefault(DONE, set())


def progress(tasks: Mapping[str, tuple[Task, ...]]) -> tuple[int, int]:
    """(solved, total) over every lesson's tasks."""
    ids = {t.id for group in tasks.values() for t in group}
    return len(ids & solved()), len(ids)


def section(tasks: tuple[Task, ...]) -> None:
    """The "Check yourself" block under a lesson."""
    if not tasks:
        return
    st.subheader("Check yourself", anchor="check-yourself")
    wanted = st.query_params.get(LINK_KEY)
    for task in tasks:
        done = task.id in solved()
        label = f"{task.title}{'  ✓' if done else ''}"
        with st.expander(label, icon=":material/task_alt:" if done else ":material/help:",
                         expanded=wanted == task.id):
            st.markdown(task.prompt)
            (_predict if task.kind == "predict" else _make)(task)


def _predict(task: Task) -> None:
    choice = st.radio("Your answer", range(len(task.options)), format_func=lambda k: task.options[k], index=None,
                      key=f"task_{task.id}_answer", label_visibility="collapsed")
    if st.button("Check my answer", key=f"task_{task.id}_go", disabled=choice is None):
        if task.is_right(choice):
            solved().add(task.id)
            st.success("Right.", icon=":material/check_circle:")
        else:
            st.warning(f"Not quite: the answer is **{task.options[task.answer]}**.", icon=":material/info:")
        st.markdown(task.explain() if task.explain else "")


def _make(task: Task) -> None:
    if st.button("Check my settings", key=f"task_{task.id}_go"):
        ok, message = task.check(named_values(task.table or {}))
        if ok:
            solved().add(task.id)
            st.success(message, icon=":material/check_circle:")
        else:
            st.info(message, icon=":material/lightbulb:")


def of_lesson(folder: str, url_path: str) -> tuple[Task, ...]:
    """The tasks of the page at ``url_path`` from ``lessons/<folder>/tasks.py`` (``TASKS``: a tuple, or a dict
    url_path -> tuple for a folder with several pages); none when the lesson has no tasks module."""
    import importlib

    try:
        module = importlib.import_module(f"lessons.{folder}.tasks")
    except ModuleNotFoundError:
        return ()
    found = module.TASKS
    return tuple(found.get(url_path, ())) if isinstance(found, dict) else tuple(found)


def sidebar_progress(where, all_tasks: Mapping[str, tuple[Task, ...]]) -> None:
    done, total = progress(all_tasks)
    if total:
        where.progress(done / total, text=f"Check yourself: {done} of {total} tasks solved")
