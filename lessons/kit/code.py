"""Show the code: the engine's readable one-step function that produced the numbers on screen, beside the
equation with those numbers (rnn_core/steps.py — the same function tests check against the fast cells)."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import streamlit as st


def source(fn: Callable) -> str:
    """The function's source as written in rnn_core (its docstring included)."""
    return inspect.getsource(fn)


def step_code(fn: Callable, equations: str, numbers: str | None = None, *, title: str | None = None) -> None:
    """An expander with ``fn``'s source on the left and the equations (LaTeX) with this step's numbers
    (Markdown/LaTeX) on the right."""
    label = title or f"The code behind these numbers: rnn_core.steps.{fn.__name__}"
    with st.expander(label, icon=":material/code:"):
        code, maths = st.columns([3, 2], gap="large")
        code.code(source(fn), language="python", line_numbers=True)
        with maths:
            st.latex(equations)
            if numbers:
                st.markdown(numbers)
            st.caption("The lesson's cell runs every step at once, for speed; this readable version computes "
                       "one step the plain way. Tests check that both give the same numbers to 1e-12.")
