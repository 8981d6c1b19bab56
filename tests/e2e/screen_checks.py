"""Checks of what a page looks like on a real screen, run in Chromium by tests/e2e/test_every_screen.py and
usable alone to count problems on any running copy of the app:

    python tests/e2e/screen_checks.py --base http://127.0.0.1:8501      # every lesson, 3 widths, 2 themes

- ``axe_problems``: an axe-core audit (the copy shipped with axe-playwright-python; no network), serious and
  critical violations only. Streamlit's own sidebar navigation is excluded: axe reports list/listitem problems
  in its markup, which an app cannot change.
- ``overlapping_labels``: pairs of text labels inside one Plotly chart whose boxes overlap.
- ``sideways_scroll``: whether the main column scrolls sideways (deliberate scrollers excepted: a container
  keyed "scroller…" or an equation box may scroll inside itself, see lessons/kit/chrome.py).
- ``cut_off_chart_text``: chart text that runs past its chart's edge (Plotly never wraps: a long title or
  label is simply cut off on a phone).
- ``small_chart_text``: chart text drawn smaller than a minimum size in CSS pixels.
- ``low_contrast_chart_text``: chart text below WCAG AA contrast against the page (in the viewer's theme).
- ``low_contrast_marks``: chart lines, markers and bars below 3:1 against the page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

AXE_EXCLUDE = {"exclude": [["[data-testid='stSidebar']"]]}
SERIOUS = ("serious", "critical")

OVERLAPS_JS = """(minOverlap) => {
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((plot, p) => {
    const boxes = [...plot.querySelectorAll('svg text')]
      .filter(t => t.textContent.trim() && t.getClientRects().length && getComputedStyle(t).opacity !== '0'
                   && getComputedStyle(t).visibility !== 'hidden' && !t.closest('.legendtoggle, .hoverlayer'))
      .map(t => [t.textContent.trim().slice(0, 30), t.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > minOverlap && h > minOverlap) out.push([p, a, b]);
    }
  });
  return out;
}"""

SIDEWAYS_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']") || document.scrollingElement;
  const inner = main.querySelector("[data-testid='stMainBlockContainer']") || main;
  const wide = [...inner.querySelectorAll('*')].filter(el => {
    if (el.closest('[class*="st-key-scroller"], .katex-display')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > main.clientWidth + 1 && getComputedStyle(el).position !== 'fixed';
  }).map(el => (el.getAttribute('data-testid') || el.tagName) + ':' + Math.round(el.getBoundingClientRect().right));
  return {scroll: main.scrollWidth > main.clientWidth + 1, wide: wide.slice(0, 5)};
}"""

CONTRAST_JS = """(skip) => {
  const rgb = (c) => (c.match(/[0-9.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
                                                              : Math.pow((v + 0.055) / 1.055, 2.4); })
                                .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const app = document.querySelector("[data-testid='stApp']");
  const bg = rgb(getComputedStyle(app).backgroundColor);
  const out = [];
  document.querySelectorAll('.js-plotly-plot svg text').forEach(t => {
    if (!t.textContent.trim() || !t.getClientRects().length || t.closest('.hoverlayer, .modebar')) return;
    const style = getComputedStyle(t);
    const fill = rgb(style.fill);
    const hex = '#' + fill.slice(0, 3).map(v => v.toString(16).padStart(2, '0')).join('');
    if (skip.includes(hex) || fill.length < 3) return;  // text on a coloured fill, chosen for that fill
    const alpha = (fill.length > 3 ? fill[3] : 1) * parseFloat(style.opacity || 1) * parseFloat(style.fillOpacity || 1);
    const seen = fill.slice(0, 3).map((v, i) => alpha * v + (1 - alpha) * bg[i]);
    const [hi, lo] = [lum(seen), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < needed - 0.01) out.push([t.textContent.trim().slice(0, 30), hex, Math.round(ratio * 100) / 100]);
  });
  return out;
}"""

MARKS_JS = """() => {
  const rgb = (c) => (c.match(/[0-9.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
                                                              : Math.pow((v + 0.055) / 1.055, 2.4); })
                                .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bg = rgb(getComputedStyle(document.querySelector("[data-testid='stApp']")).backgroundColor);
  const out = new Map();
  const contrast = (el, prop) => {
    const style = getComputedStyle(el);
    const c = rgb(style[prop]);
    if (c.length < 3 || style[prop] === 'none') return;
    const a = (c.length > 3 ? c[3] : 1) * parseFloat(style.opacity || 1)
              * parseFloat(prop === 'stroke' ? style.strokeOpacity || 1 : style.fillOpacity || 1);
    if (a < 0.5) return;  // a faint fill or band is a background, not a mark
    const seen = c.slice(0, 3).map((v, i) => a * v + (1 - a) * bg[i]);
    const [hi, lo] = [lum(seen), lum(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    return ratio;
  };
  const check = (el, prop) => {
    const ratio = contrast(el, prop);
    if (ratio === undefined || ratio >= 2.99) return;
    // a filled marker with a clearly visible outline is seen by its outline; its fill encodes a value
    if (prop === 'fill' && parseFloat(getComputedStyle(el).strokeWidth) >= 1 && contrast(el, 'stroke') >= 2.99) return;
    const c = rgb(getComputedStyle(el)[prop]);
    const hex = '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
    out.set(hex, Math.round(ratio * 100) / 100);
  };
  document.querySelectorAll('.js-plotly-plot .scatterlayer path.js-line').forEach(el => check(el, 'stroke'));
  document.querySelectorAll('.js-plotly-plot .scatterlayer path.point, .js-plotly-plot .barlayer path')
    .forEach(el => check(el, 'fill'));
  return [...out.entries()];
}"""

# Text colours chosen for a coloured fill (diagram nodes, gate boxes), not for the page behind the chart.
ON_FILL = ["#ffffff", "#111111", "#18212f"]

SMALL_TEXT_JS = """(minPx) => {
  const out = [];
  document.querySelectorAll('.js-plotly-plot svg text').forEach(t => {
    if (!t.textContent.trim() || !t.getClientRects().length || t.closest('.hoverlayer')) return;
    const size = parseFloat(getComputedStyle(t).fontSize);
    if (size < minPx - 0.01) out.push([t.textContent.trim().slice(0, 30), size]);
  });
  return out;
}"""


CUT_OFF_JS = """(tolerance) => {
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((plot, p) => {
    const svg = plot.querySelector('.main-svg');
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    plot.querySelectorAll('svg text').forEach(t => {
      if (!t.textContent.trim() || !t.getClientRects().length || t.closest('.hoverlayer')) return;
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - tolerance || r.right > box.right + tolerance))
        out.push([p, t.textContent.trim().slice(0, 40)]);
    });
  });
  return out;
}"""


def cut_off_chart_text(page, tolerance: float = 3.0) -> list[tuple[int, str]]:
    """(chart index, text) for every chart text that reaches past its chart's left or right edge."""
    return page.evaluate(CUT_OFF_JS, tolerance)


def axe_problems(page) -> list[tuple[str, str, int]]:
    """(rule id, impact, number of elements) for every serious or critical axe-core violation."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, context=AXE_EXCLUDE)
    return [(v["id"], v["impact"], len(v["nodes"])) for v in result.response["violations"]
            if v["impact"] in SERIOUS]


def overlapping_labels(page, min_overlap: float = 2.0) -> list[tuple[int, str, str]]:
    """(chart index, label, label) for every pair of chart labels overlapping by more than ``min_overlap`` px."""
    return [tuple(x) for x in page.evaluate(OVERLAPS_JS, min_overlap)]


def sideways_scroll(page) -> dict:
    """{"scroll": the main column scrolls sideways, "wide": up to 5 elements sticking out on the right}."""
    return page.evaluate(SIDEWAYS_JS)


def small_chart_text(page, min_px: float) -> list[tuple[str, float]]:
    """(text, size in px) of every chart label smaller than ``min_px``."""
    return [tuple(x) for x in page.evaluate(SMALL_TEXT_JS, min_px)]


def low_contrast_chart_text(page) -> list[tuple[str, str, float]]:
    """(text, colour, contrast ratio) of chart labels that read below WCAG AA against the page background
    (4.5:1; 3:1 for large text). Labels drawn on a coloured fill in one of the ON_FILL colours are skipped."""
    return [tuple(x) for x in page.evaluate(CONTRAST_JS, ON_FILL)]


def low_contrast_marks(page) -> list[tuple[str, float]]:
    """(colour, contrast ratio) of chart lines, markers and bars below 3:1 against the page (WCAG AA for
    graphics). Marks drawn at less than half opacity are bands or shading, not marks, and are skipped."""
    return [tuple(x) for x in page.evaluate(MARKS_JS)]


def count_all(page) -> dict[str, int]:
    return {"axe": sum(n for _, _, n in axe_problems(page)), "overlaps": len(overlapping_labels(page)),
            "sideways": int(sideways_scroll(page)["scroll"]), "cut off": len(cut_off_chart_text(page)),
            "small text": len(small_chart_text(page, 11)),
            "low contrast": len(low_contrast_chart_text(page)), "faint marks": len(low_contrast_marks(page))}


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from playwright.sync_api import sync_playwright

    from benchmarks.serving import CHROMIUM, CHROMIUM_ARGS
    from lessons.catalog import LESSONS
    from tests.e2e.conftest import settle

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True)
    ap.add_argument("--widths", type=int, nargs="*", default=[390, 1400, 1920])
    args = ap.parse_args()
    print("| page | width | theme | axe (serious+critical nodes) | overlapping labels | sideways scroll "
          "| text < 11 px | chart text below AA | mark colours below 3:1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lesson in LESSONS:
            for width in args.widths:
                for scheme in ("light", "dark"):
                    ctx = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    page = ctx.new_page()
                    page.goto(f"{args.base}/{lesson.url_path}")
                    settle(page)
                    page.wait_for_timeout(1500)
                    c = count_all(page)
                    print(f"| /{lesson.url_path} | {width} | {scheme} | {c['axe']} | {c['overlaps']} | "
                          f"{c['sideways']} | {c['small text']} | {c['low contrast']} | {c['faint marks']} |",
                          flush=True)
                    ctx.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
