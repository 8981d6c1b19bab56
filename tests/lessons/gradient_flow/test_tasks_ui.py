"""/gradient-flow's Check-yourself task as a student uses it: it reads the page's own controls."""

from __future__ import annotations

from apptest_helpers import open_lesson


def test_gradient_flow_long_reads_the_pages_controls():
    at = open_lesson("lessons/gradient_flow/page.py", {"gflow_T": "100", "gflow_bf": "4"})
    at.button(key="task_gflow-long_go").click().run()
    assert any("all 99 steps back" in s.value for s in at.success)
