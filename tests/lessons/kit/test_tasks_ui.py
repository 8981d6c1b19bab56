"""The Check-yourself block as a student uses it (on /unrolled): answer, check, see the explanation, progress."""

from __future__ import annotations

from apptest_helpers import open_lesson

PAGE = "lessons/unrolled/page.py"


def test_a_right_prediction_is_confirmed_explained_and_counted():
    at = open_lesson(PAGE)
    assert any(h.value == "Check yourself" for h in at.subheader)
    at.radio(key="task_unrolled-half_answer").set_value(2).run()
    at.button(key="task_unrolled-half_go").click().run()
    assert any("Right" in s.value for s in at.success)
    assert any("3.1 %" in m.value for m in at.markdown)
    assert any("1 of" in p.proto.text for p in at.get("progress"))


def test_a_wrong_prediction_gets_the_answer_and_no_credit():
    at = open_lesson(PAGE)
    at.radio(key="task_unrolled-half_answer").set_value(0).run()
    at.button(key="task_unrolled-half_go").click().run()
    assert any("about 3 %" in w.value for w in at.warning)
    assert any("0 of" in p.proto.text for p in at.get("progress"))


def test_make_it_happen_reads_the_controls_on_the_page():
    at = open_lesson(PAGE, {"unrolled_w": "1.5", "unrolled_act": "identity", "unrolled_T": "30"})
    at.button(key="task_unrolled-explode_go").click().run()
    assert any("explodes" in s.value for s in at.success)
    at = open_lesson(PAGE, {"unrolled_T": "20"})  # the default w = 0.8 fades
    at.button(key="task_unrolled-explode_go").click().run()
    assert not at.success and any("Not yet" in i.value for i in at.info)


def test_a_link_opens_the_lesson_at_one_task():
    at = open_lesson(PAGE, {"task": "unrolled-flip"})
    opened = [e for e in at.expander if e.proto.expanded]
    assert len(opened) == 1 and "flips sign" in opened[0].label
