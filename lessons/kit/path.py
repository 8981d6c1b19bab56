"""The guided path: the previous and the next lesson at the end of every page, in the course's order
(lessons/catalog.py)."""

from __future__ import annotations

import streamlit as st

from lessons.catalog import LESSONS, Lesson


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
