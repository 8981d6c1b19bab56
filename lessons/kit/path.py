"""The guided path at the end of every page: its "Try this" links, and the previous and the next lesson in the
course's order (lessons/catalog.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from lessons.catalog import LESSONS, Lesson
from lessons.kit.settings import Setting, Try


def neighbours(url_path: str) -> tuple[Lesson | None, Lesson | None]:
    """(previous, next) lesson around the one at ``url_path`` in the catalog's order."""
    paths = [lesson.url_path for lesson in LESSONS]
    if url_path not in paths:
        return None, None
    k = paths.index(url_path)
    return (LESSONS[k - 1] if k > 0 else None), (LESSONS[k + 1] if k + 1 < len(LESSONS) else None)


def footer(url_path: str) -> None:
    """Previous / next links under the lesson."""
    before, after = neighbours(url_path)
    st.divider()
    left, right = st.columns(2)
    if before is not None:
        left.page_link(before.path, label=f"Previous: {before.title}", icon=":material/arrow_back:")
    if after is not None:
        right.page_link(after.path, label=f"Next: {after.title}", icon=":material/arrow_forward:")


def try_this(page: str, tries: Sequence[Try], table: Mapping[str, Setting], heading: str = "**Try this:**") -> None:
    """The "Try this" links under a lesson, one column each: ``page`` opened with a link's settings (keys from
    the page's settings ``table``)."""
    st.divider()
    st.markdown(heading)
    for col, tip in zip(st.columns(len(tries)), tries, strict=True):
        col.page_link(page, label=tip.label, icon=tip.icon, help=tip.tip, query_params=tip.query(table))
