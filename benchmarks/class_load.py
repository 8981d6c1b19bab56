"""A whole class at once: N students, side by side, open every lesson and move a slider on each.

    python benchmarks/class_load.py                         # 30 students, one app process
    python benchmarks/class_load.py --through-nginx 2       # the same through nginx and 2 app processes
    python benchmarks/class_load.py --students 10 --pages /unrolled /lstm
    python benchmarks/class_load.py --reload                # every lesson opened by its link (a cold start each)

Each student is a fresh browser context in one headless Chromium (Debian's /usr/bin/chromium), so cookies and
sessions are separate. A student opens the first page by its link and every other lesson from the sidebar's
navigation, as a student clicks through the course (``--reload``: every lesson by its link, so the browser boots
the whole app again for each page, as when a teacher hands out one link per lesson). On each page the student
waits until it has settled (connected, script done, no skeleton left), then presses ArrowRight on the page's
first slider and waits for that rerun. Everything runs on loopback; the run stops by itself after --budget s.

Reports: settle times (median, p95, max) for page loads and slider nudges, overall and per page; errors (a
Python exception shown on a page, a lost connection, a page that never settled); the app processes' memory
before and after (and per student); with --through-nginx, how many student sessions each app process served
(from nginx's log).
Exit status 1 when any error was seen.

The 30 browsers stand for 30 students' own devices, but here they share the server's cores, and they need far
more CPU than the server does. Measured on the reference 2-core machine over one run: the browsers ~1,000 s, the
app process ~115 s. 30 cold starts of the front end alone (the home page, nothing else) take ~130 s of wall time
while the server is 9 % busy. So most of a settle time is the browsers queueing for the cores, and the defaults
model a class as closely as one machine can:
- students arrive one after another over ``--arrive-over`` s (default 60, a class handed one link; 0: all within
  3 s, when 30 simultaneous cold starts alone nearly fill the 120 s settle limit);
- the browsers ask for reduced motion (``--motion`` turns animations back on): the server's work is the same,
  and a page's animations, drawn on a student's own device, no longer take the shared cores (~15 % of the
  browsers' CPU);
- every wait runs inside the page, not as a poll from here.
The report gives each app process's CPU time and the browsers' over the run, to tell the two shares apart.
``--browsers-nice N`` runs the browsers at a lower priority than the server (the renderers only: Chromium gives
its browser and GPU processes a priority of its own, -8 here).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.proc_cpu import DescendantCpu, cpu_seconds  # noqa: E402
from benchmarks.serving import CHROMIUM, app_cluster, launch_chromium, rss_mb, upstream_counts  # noqa: E402
from lessons.catalog import LESSONS  # noqa: E402

# Each wait runs inside the page (Playwright's wait_for_function, polled by the page's own timer): polling from
# here instead costs a round trip through the driver and the browser per check, and with 30 pages checking
# every 0.1 s that traffic took more of the browsers' CPU than the pages themselves did.
RUNNING = """() => document.querySelector("[data-testid='stApp']")
    ?.getAttribute('data-test-script-state') === 'running'"""
SETTLED = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return app?.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector("[data-testid='stSkeleton']");
}"""
TITLE = "document.querySelector('h1')?.innerText ?? null"
ARRIVED = """([path, before]) => location.pathname.replace(/\\/$/, '').endsWith(path.replace(/\\/$/, ''))
    && ![null, undefined, before].includes(document.querySelector('h1')?.innerText)"""
POLL_MS = 100


@dataclass
class Tally:
    loads: dict[str, list[float]] = field(default_factory=dict)  # page path -> settle times of its loads
    started: float = field(default_factory=time.perf_counter)
    nudges: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)  # per app process, seconds over the run
    browser_cpu: float = 0.0  # every Chromium process of the run together, seconds


async def settle(page, timeout_s: float, *, expect_run: bool = False) -> float:
    """Seconds until the app is connected, its script is not running and no skeleton is left."""
    t0 = time.perf_counter()
    if expect_run:  # a quick rerun may finish before "running" is ever seen: give it a moment to start
        with contextlib.suppress(PlaywrightTimeout):
            await page.wait_for_function(RUNNING, polling=50, timeout=500)
    try:
        left = max(timeout_s - (time.perf_counter() - t0), 1)
        await page.wait_for_function(SETTLED, polling=POLL_MS, timeout=left * 1000)
    except PlaywrightTimeout:
        raise TimeoutError(f"did not settle within {timeout_s:.0f} s") from None
    return time.perf_counter() - t0


async def open_by_link(page, base: str, path: str, timeout_s: float) -> None:
    await page.goto(base + path, timeout=timeout_s * 1000)
    await settle(page, timeout_s)


async def open_from_navigation(page, path: str, timeout_s: float) -> None:
    """Click the lesson in the sidebar; settled once the address names it, the title has changed (the new
    page's script has begun) and the app is settled again."""
    before = await page.evaluate(TITLE)
    t0 = time.perf_counter()
    await page.locator(f'[data-testid="stSidebarNavLink"][href$="{path}"]').first.click(timeout=timeout_s * 1000)
    try:
        await page.wait_for_function(ARRIVED, arg=[path, before], polling=POLL_MS, timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        raise TimeoutError(f"the navigation to {path} did not start within {timeout_s:.0f} s") from None
    await settle(page, timeout_s - (time.perf_counter() - t0))


async def visit(page, base: str, path: str, tally: Tally, timeout_s: float, *, by_link: bool) -> None:
    t0 = time.perf_counter()
    if by_link:
        await open_by_link(page, base, path, timeout_s)
    else:
        await open_from_navigation(page, path, timeout_s)
    tally.loads.setdefault(path, []).append(time.perf_counter() - t0)
    if await page.get_by_test_id("stException").count():
        tally.errors.append(f"{path}: exception shown on load")
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    if await slider.count():
        await slider.focus()
        t0 = time.perf_counter()
        await slider.press("ArrowRight")
        await settle(page, timeout_s, expect_run=True)
        tally.nudges.append(time.perf_counter() - t0)
        if await page.get_by_test_id("stException").count():
            tally.errors.append(f"{path}: exception shown after a slider nudge")


async def student(browser, base: str, paths: list[str], tally: Tally, delay: float, timeout_s: float,
                  reload: bool, motion: bool) -> None:
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1400, "height": 900},
                                        reduced_motion="no-preference" if motion else "reduce")
    page = await context.new_page()
    try:
        for k, path in enumerate(paths):
            try:
                await visit(page, base, path, tally, timeout_s, by_link=reload or k == 0)
            except Exception as err:  # noqa: BLE001 - every failure is a finding to count, not to crash on
                at = time.perf_counter() - tally.started
                tally.errors.append(f"{path} (at {at:.0f} s): {type(err).__name__}: "
                                    f"{str(err).splitlines()[0][:120]}")
    finally:
        await context.close()


async def run_class(base: str, paths: list[str], students: int, timeout_s: float, budget_s: float,
                    reload: bool, arrive_over: float, motion: bool) -> Tally:
    tally = Tally()
    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        cpu = DescendantCpu(Path(CHROMIUM).name)
        sampler = asyncio.create_task(cpu.run())
        gap = max(arrive_over / students, 0.1)  # 0.1 s at least: contexts are not all created in one instant
        jobs = [student(browser, base, paths, tally, gap * k, timeout_s, reload, motion) for k in range(students)]
        try:
            await asyncio.wait_for(asyncio.gather(*jobs), budget_s)
        except TimeoutError:
            tally.errors.append(f"the whole run exceeded its budget of {budget_s:.0f} s")
        sampler.cancel()
        cpu.sample()
        tally.browser_cpu = cpu.total
        await browser.close()
    return tally


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:22s} none"
    q = statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    return (f"{name:22s} n={len(values):4d}  median {statistics.median(values):6.2f} s  p95 {q:6.2f} s  "
            f"max {max(values):6.2f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--through-nginx", type=int, default=0, metavar="N",
                    help="serve through nginx in front of N app processes (default: one process, no nginx)")
    ap.add_argument("--pages", nargs="*", help="URL paths (default: every lesson)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds one page may take to settle")
    ap.add_argument("--budget", type=float, default=1200, help="seconds the whole run may take")
    ap.add_argument("--reload", action="store_true",
                    help="open every lesson by its link (default: the first by link, the others from the sidebar)")
    ap.add_argument("--arrive-over", type=float, default=60, metavar="S",
                    help="students arrive one after another over S seconds (default 60, a class handed one link; "
                         "0: one every 0.1 s, all within 3 s)")
    ap.add_argument("--motion", action="store_true",
                    help="let the browsers animate (default: they ask for reduced motion, see above)")
    ap.add_argument("--browsers-nice", type=int, default=0, metavar="N",
                    help="run the browsers at this niceness (the app processes keep theirs)")
    args = ap.parse_args()
    paths = args.pages or ["/" + lesson.url_path for lesson in LESSONS]
    with tempfile.TemporaryDirectory() as tmp, \
            app_cluster(max(1, args.through_nginx), Path(tmp), through_nginx=args.through_nginx > 0) as (base, procs):
        before = [rss_mb(p.pid) for p in procs]
        cpu_before = [cpu_seconds(p.pid) for p in procs]
        if args.browsers_nice:
            os.nice(args.browsers_nice)  # after the servers started: Playwright and Chromium inherit it, they do not
        t0 = time.perf_counter()
        tally = asyncio.run(run_class(base, paths, args.students, args.timeout, args.budget, args.reload,
                                    args.arrive_over, args.motion))
        wall = time.perf_counter() - t0
        after = [rss_mb(p.pid) for p in procs]
        tally.server_cpu = [cpu_seconds(p.pid) - c for p, c in zip(procs, cpu_before, strict=True)]
        served = upstream_counts(Path(tmp) / "access.log") if args.through_nginx else {}
    report(args, paths, tally, wall, before, after, served)
    return 1 if tally.errors else 0


def report(args, paths, tally: Tally, wall: float, before, after, served) -> None:
    setup = f"{args.through_nginx} processes behind nginx" if args.through_nginx else "one process"
    setup += f", browsers at nice {args.browsers_nice}" if args.browsers_nice else ""
    setup += f", arriving over {args.arrive_over:.0f} s" + (", animations on" if args.motion else "")
    setup += ", every lesson by its link" if args.reload else ", lessons opened from the sidebar"
    print(f"{args.students} students × {len(paths)} pages, {setup}: {wall:.0f} s wall")
    print(summary("page load", [t for loads in tally.loads.values() for t in loads]))
    print(summary("slider nudge", tally.nudges))
    for path, loads in tally.loads.items():
        print(summary("  " + (path.strip("/") or "home")[:20], loads))
    for k, (b, a, cpu) in enumerate(zip(before, after, tally.server_cpu, strict=True), start=1):
        print(f"app process {k}: RSS {b:.0f} MB -> {a:.0f} MB; CPU {cpu:.0f} s over the run "
              f"({100 * cpu / wall:.0f} % of one core)")
    print(f"browsers (every student's Chromium): CPU {tally.browser_cpu:.0f} s over the run "
          f"({100 * tally.browser_cpu / wall:.0f} % of one core)")
    extra = sum(after) - sum(before)
    print(f"memory per student session: {extra / max(args.students, 1):.1f} MB")
    if served:
        print("sessions per app process (websockets through nginx): "
              + ", ".join(f"{up}: {n}" for up, n in sorted(served.items())))
    print(f"errors: {len(tally.errors)}")
    for err in tally.errors[:20]:
        print("  -", err)


if __name__ == "__main__":
    sys.exit(main())
