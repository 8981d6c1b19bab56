"""Exact links, on every page: after a "Try this" link the address bar names exactly the view on screen.

For every "Try this" link of every lesson, and every preset button (the one-click examples of
/vanishing-gradients): click it, read ``location.href``, open that address in a fresh browser context (a
classmate's), and find every control of the page with the same value. And a value a control cannot show gets a
visible notice instead of a silent reset.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from lessons.catalog import LESSONS
from lessons.vanishing.settings import PRESETS

from .conftest import settle

pytestmark = pytest.mark.browser

PATHS = ["/" + lesson.url_path for lesson in LESSONS]

# Every keyed control in the main column -> what it shows: slider and number values, text, toggles, the selected
# option of a select box, the selected segment of a segmented control.
CONTROLS_JS = """() => {
  const out = {};
  document.querySelectorAll('[data-testid="stMain"] [class*="st-key-"]').forEach(el => {
    if (!el.querySelector('input, textarea, button[data-selected]')) return;
    const key = [...el.classList].find(c => c.startsWith('st-key-')).slice(7);
    const shown = [...el.querySelectorAll('input, textarea')]
      .map(i => i.type === 'checkbox' ? String(i.checked) : i.value)
      .concat([...el.querySelectorAll('button[data-selected="true"]')].map(b => b.textContent));
    out[key] = shown.join(' | ');
  });
  return out;
}"""

# "Try this" links: page links in the main column that carry settings (prev/next links carry none).
TRIES_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPageLink"] a')]
  .map(a => a.getAttribute('href')).filter(h => h && h.includes('?'))"""


def open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    settle(page)
    page.wait_for_timeout(600)
    return context, page


def controls(page) -> dict[str, str]:
    return page.evaluate(CONTROLS_JS)


def differences(seen: dict, again: dict) -> dict:
    return {k: (seen.get(k), again.get(k)) for k in set(seen) | set(again) if seen.get(k) != again.get(k)}


def try_links(page) -> list[str]:
    return list(dict.fromkeys(page.evaluate(TRIES_JS)))


def test_the_collector_finds_the_try_links(browser, streamlit_app):
    """A collector finding none would let the test below pass vacuously: /unrolled has two."""
    context, page = open_page(browser, streamlit_app + "/unrolled")
    try:
        assert len(try_links(page)) >= 2
    finally:
        context.close()


@pytest.mark.timeout(1200)  # two page loads per link; under load a load can take a minute
@pytest.mark.parametrize("path", PATHS)
def test_every_try_link_leaves_an_address_that_reproduces_the_view(browser, streamlit_app, path):
    context, page = open_page(browser, streamlit_app + path)
    try:
        hrefs = try_links(page)
    finally:
        context.close()
    problems = [p for href in hrefs for p in try_problems(browser, streamlit_app + path, href)]
    assert not problems, problems


def try_problems(browser, url: str, href: str) -> list[tuple]:
    """Click the Try link ``href`` on the page at ``url``; what differs from the link and in a fresh browser."""
    context, page = open_page(browser, url)
    try:
        page.locator(f'[data-testid="stMain"] [data-testid="stPageLink"] a[href="{href}"]').first.click()
        settle(page)
        page.wait_for_timeout(600)
        address, seen = page.evaluate("location.href"), controls(page)
    finally:
        context.close()
    problems = []
    asked, kept = dict(parse_qsl(urlsplit(href).query)), dict(parse_qsl(urlsplit(address).query))
    if any(kept.get(k) != v for k, v in asked.items()):
        problems.append((href, "the address lost the link's values", address))
    fresh_context, fresh = open_page(browser, address)
    try:
        again = controls(fresh)
    finally:
        fresh_context.close()
    if again != seen or not seen:
        problems.append((href, "a fresh browser sees other values", differences(seen, again)))
    return problems


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_leaves_an_address_that_reproduces_the_view(browser, streamlit_app, name):
    context, page = open_page(browser, streamlit_app + "/vanishing-gradients")
    try:
        before = controls(page)
        page.locator(f'.st-key-vg_preset_{name} button').click()
        settle(page)
        page.wait_for_timeout(600)
        address, seen = page.evaluate("location.href"), controls(page)
    finally:
        context.close()
    # The preset changed the view (no preset is the default view, so the comparison below proves something),
    # and every value of it that differs from the default is in the address.
    assert seen != before
    kept = dict(parse_qsl(urlsplit(address).query))
    changed = {k for k in seen if seen[k] != before.get(k)}
    assert changed <= set(kept), (address, changed)
    fresh_context, fresh = open_page(browser, address)
    try:
        again = controls(fresh)
    finally:
        fresh_context.close()
    assert again == seen, differences(seen, again)


def test_a_link_value_a_control_cannot_show_gets_a_notice(browser, streamlit_app):
    context, page = open_page(browser, streamlit_app + "/unrolled?unrolled_w=99")
    try:
        text = page.get_by_test_id("stMain").inner_text()
        value = controls(page)["unrolled_w"]
    finally:
        context.close()
    # the note names the control and the value asked for; the slider starts at its default
    assert "link asked for unrolled_w" in text and "99" in text and float(value) == 0.8
