"""One lesson page run in process through Streamlit's AppTest (the real script runner), as the page-time
benchmarks open it: the app shell first, then the page at a URL query, timed run by run.

Import it after the project root is on sys.path (the benchmarks put it there before they import the app).
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def open_page(path: str, query: dict[str, str] | None = None, timeout: float = 120):
    """An AppTest of the app switched to the page script ``path`` with the URL ``query``; the page has not run yet.

    The app shell runs once first: it registers the lessons' pages, and before that AppTest finds a page by its
    file name (every lesson's script is called page.py, so it would silently open another one).
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.switch_page(path)


def clear_caches() -> None:
    """Empty every st.cache_data and st.cache_resource entry and end every helper process: the next run is a server
    that never saw the setting. (Clearing the caches alone orphans the rival-fitting helper of the last setting,
    which goes on fitting: a few candidates later, several such fits took both cores and doubled the time of an
    unrelated rerun.)"""
    import multiprocessing as mp

    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    for child in mp.active_children():
        child.terminate()
        child.join(timeout=5)


def timed_run(at) -> tuple[float, float]:
    """(wall s, this process's CPU s) of one run of ``at``; a page that raised is a RuntimeError with its message."""
    w0, c0 = time.perf_counter(), time.process_time()
    at.run()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return wall, cpu
