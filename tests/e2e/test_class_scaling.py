"""Past one machine: two app processes behind nginx with the deploy/ configuration. Every student's requests
(page, websocket, everything) stay on one process, both processes serve students, and nobody sees an error."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from benchmarks.serving import app_cluster, routes, upstream_counts
from e2e.conftest import _unavailable as unavailable

pytestmark = pytest.mark.browser


def students_until_both_serve(browser, base: str, workdir: Path, most: int = 16) -> list[str]:
    """Open /unrolled as new students (fresh contexts) until both processes have served one; returns any
    problems seen. Route keys are random, so a handful of students nearly always reaches both."""
    problems = []
    for k in range(most):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/unrolled")
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(timeout=90_000)
        page.locator('[data-testid="stSlider"] input[type="range"]').first.wait_for(timeout=90_000)
        if page.get_by_test_id("stException").count():
            problems.append(f"student {k + 1}: exception")
        slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
        slider.focus()
        slider.press("ArrowRight")
        page.wait_for_timeout(1500)
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(timeout=90_000)
        if page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").count() != 1:
            problems.append(f"student {k + 1}: lost the connection")
        context.close()
        if k >= 2 and len(upstream_counts(workdir / "access.log")) >= 2:
            break
    return problems


def test_two_processes_behind_nginx_share_a_class_with_sticky_sessions(browser):
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        unavailable("nginx is not installed (apt-get install -y nginx)")
    with tempfile.TemporaryDirectory() as tmp, app_cluster(2, Path(tmp), through_nginx=True) as (base, _):
        problems = students_until_both_serve(browser, base, Path(tmp))
        served = upstream_counts(Path(tmp) / "access.log")
        sticky = routes(Path(tmp) / "access.log")
    assert not problems, problems
    assert len(served) == 2, served  # both processes served websocket sessions
    assert all(len(ups) == 1 for ups in sticky.values()), sticky  # each browser stayed on one process
