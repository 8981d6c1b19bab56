"""The Check-yourself tasks of /lstm, /gru and /bidirectional as a student uses them: a "make it
happen" task reads the page's own controls, a prediction is confirmed and explained."""

from __future__ import annotations

from apptest_helpers import open_lesson


def test_lstm_hold_reads_the_remember_demos_controls():
    at = open_lesson("lessons/gated/lstm_page.py", {"lstm_keep_bf": "5", "lstm_gap": "100"})
    at.button(key="task_lstm-hold_go").click().run()
    assert any("still on the belt" in s.value for s in at.success)
    at = open_lesson("lessons/gated/lstm_page.py", {"lstm_keep_bf": "4", "lstm_gap": "100"})
    at.button(key="task_lstm-hold_go").click().run()
    assert not at.success and any("Not yet" in i.value for i in at.info)


def test_gru_keep_reads_the_cells_controls():
    at = open_lesson("lessons/gated/gru_page.py", {"gru_bz": "5"})
    at.button(key="task_gru-keep_go").click().run()
    assert any("never drops below" in s.value for s in at.success)


def test_bidirectional_prediction_is_confirmed_and_explained():
    at = open_lesson("lessons/gated/bidirectional_page.py")
    at.radio(key="task_bidir-sees_answer").set_value(1).run()
    at.button(key="task_bidir-sees_go").click().run()
    assert any("Right" in s.value for s in at.success)
    assert any("has simply not read the future" in m.value for m in at.markdown)

