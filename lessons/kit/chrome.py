"""What every page gets from app.py besides the navigation: a few style rules and one small script.

- Equations that are wider than their column (KaTeX display blocks on a phone) scroll sideways inside their own
  box instead of pushing the page sideways; the script makes every such box keyboard-focusable and names it, so
  keyboard users can scroll it too (axe-core rule "scrollable-region-focusable").
- A container whose key starts with "scroller" (``st.container(key="scroller_diagram")``, made by
  ``layout.plot(..., min_width=...)``) is a deliberate sideways scroller: a wide diagram keeps a readable size
  on a phone and scrolls inside its own frame (focusable and named like the equations while it scrolls).
- A scrub slider inside a figure writes its position into the address bar (``scrub.animated(link_key=...)``).
- Chart colours per theme: the script marks <html> with ``unrolled-light`` or ``unrolled-dark`` from the page's
  own background, and style rules redraw each house colour that would fall below WCAG AA in that theme
  (``theme.THEME_VARIANTS``) — in chart text and in chart marks — so one figure reads well in both themes.

Streamlit sends style-only HTML to its event container, so the style takes no room on the page.
"""

from __future__ import annotations

import streamlit as st

from lessons.kit.theme import THEME_VARIANTS

LAYOUT_STYLE = """
.katex-display { overflow-x: auto; overflow-y: hidden; max-width: 100%; padding-bottom: 2px; }
[class*="st-key-scroller"] { overflow-x: auto; }
[class*="st-key-scroller"] > div { min-width: max-content; }
html.unrolled-dark [data-testid="stSliderThumbValue"], html.unrolled-dark [data-testid="stSliderThumbValue"] p,
html.unrolled-dark button[data-selected="true"] [data-testid="stMarkdownContainer"] p { color: #7CC4EE !important; }
html.unrolled-light [data-testid="stCaptionContainer"] { color: #5F6670; opacity: 1; }
"""
# Streamlit draws a slider's value and a selected segment's label in the primary colour, which in the dark theme
# must also carry white button text (4.5:1 each way is impossible for one colour), so those take the link colour
# (9.5:1 on the dark page). Streamlit's light caption (the text colour at 60 % opacity) reads at 4.28:1 on the
# page; opaque #5F6670 reads at 5.7:1 (5.2:1 on the secondary fill).


def _rgb(color: str) -> str:
    """"#E69F00" -> "rgb(230, 159, 0)": how Plotly writes a colour into an element's inline style."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def colour_rules() -> str:
    """CSS redrawing each house colour per theme: text fills, and mark strokes and fills."""
    rules = []
    for theme, kinds in THEME_VARIANTS.items():
        scope = f"html.unrolled-{theme} .js-plotly-plot"
        for base, new in kinds["text"].items():
            rules.append(f'{scope} text[style*="fill: {_rgb(base)}"] {{ fill: {new} !important; }}')
        for base, new in kinds["mark"].items():
            for prop in ("stroke", "fill"):
                rules.append(f'{scope} path[style*="{prop}: {_rgb(base)}"] {{ {prop}: {new} !important; }}')
    return "\n".join(rules)


STYLE = f"<style>{LAYOUT_STYLE}{colour_rules()}</style>"

SCRIPT = """
<script>
(() => {
  if (window.__unrolledChrome) return;
  window.__unrolledChrome = true;
  const theme = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) return;
    const [r, g, b] = (getComputedStyle(app).backgroundColor.match(/[0-9.]+/g) || [255, 255, 255]).map(Number);
    const dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
    document.documentElement.classList.toggle('unrolled-dark', dark);
    document.documentElement.classList.toggle('unrolled-light', !dark);
  };
  const mark = () => {
    theme();
    // Boxes that scroll sideways (a wide equation, a diagram kept readable on a phone): focusable and named
    // while they scroll, so a keyboard can scroll them too.
    const boxes = [['.katex-display', 'Equation (scroll sideways to read it all)'],
                   ['[class*="st-key-scroller"]', 'Diagram (scroll sideways to see it all)']];
    boxes.forEach(([selector, name]) => document.querySelectorAll(selector).forEach((el) => {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'region');
        el.setAttribute('aria-label', name);
      } else if (!scrolls && el.getAttribute('role') === 'region') {
        el.removeAttribute('tabindex');
        el.removeAttribute('role');
        el.removeAttribute('aria-label');
      }
    }));
  };
  // A scrub slider inside a figure (kit.scrub, layout.meta.link_key) writes where it is into the address bar,
  // without a rerun: the URL names the step on screen, and the next rerun (which sends the URL) starts there.
  const linkSliders = () => document.querySelectorAll('.js-plotly-plot').forEach((gd) => {
    const key = gd.layout && gd.layout.meta && gd.layout.meta.link_key;
    if (!key || gd.__unrolledLinked || !gd.on) return;
    gd.__unrolledLinked = true;
    gd.on('plotly_sliderchange', (e) => {
      const url = new URL(window.location.href);
      url.searchParams.set(key, e.step.label);
      window.history.replaceState(window.history.state, '', url);
    });
  });
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; mark(); linkSliders(); }); }
  }).observe(document.body, {childList: true, subtree: true});
  window.addEventListener('resize', mark);
  mark();
})();
</script>
"""


def install() -> None:
    """Add the style and the script to the page (cheap: Streamlit skips an unchanged element on reruns)."""
    st.html(STYLE)
    st.html(SCRIPT, unsafe_allow_javascript=True)
