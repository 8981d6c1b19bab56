"""Small helpers several test folders share (importable as ``tests_shared``: tests/ is on the path)."""

from __future__ import annotations

from lessons.catalog import LESSONS


def lesson_pages() -> dict[str, str]:
    """URL path ("" for Home) -> page script, as app.py navigates."""
    return {lesson.url_path: lesson.path for lesson in LESSONS}
