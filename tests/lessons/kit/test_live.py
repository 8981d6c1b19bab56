"""kit.live: Stop answers in the live view itself, before the full rerun that draws the stopped model."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _stop_answer(step, total):
    from types import SimpleNamespace

    from lessons.kit import live

    live.stopping(SimpleNamespace(progress=None if step is None else SimpleNamespace(step=step, total_steps=total)))


def test_stop_answers_with_the_step_it_stopped_at():
    at = AppTest.from_function(_stop_answer, kwargs={"step": 1234, "total": 20000}).run()
    assert [w.value for w in at.warning] == [
        "Stopped at step 1,234 of 20,000. Drawing the results of the model as it is now…"]


def test_a_job_stopped_before_its_first_step_says_nothing_was_trained():
    at = AppTest.from_function(_stop_answer, kwargs={"step": None, "total": None}).run()
    assert [w.value for w in at.warning] == ["Stopped before training began: nothing was trained."]
