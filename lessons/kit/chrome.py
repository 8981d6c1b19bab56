"""What every page gets from app.py besides the navigation: a few style rules and one small script.

- Equations that are wider than their column (KaTeX display blocks on a phone) scroll sideways inside their own
  box instead of pushing the page sideways; the script makes every such box keyboard-focusable and names it, so
  keyboard users can scroll it too (axe-core rule "scrollable-region-focusable").
- A container whose key starts with "scroller" (``st.container(key="scroller_diagram")``) is a deliberate
  sideways scroller: a wide diagram keeps its size on a phone and scrolls inside its own frame.

Streamlit sends style-only HTML to its event container, so the style takes no room on the page.
"""

from __future__ import annotations

import streamlit as st

STYLE = """
<style>
.katex-display { overflow-x: auto; overflow-y: hidden; max-width: 100%; padding-bottom: 2px; }
[class*="st-key-scroller"] { overflow-x: auto; }
[class*="st-key-scroller"] > div { min-width: max-content; }
</style>
"""

SCRIPT = """
<script>
(() => {
  if (window.__unrolledChrome) return;
  window.__unrolledChrome = true;
  const mark = () => {
    document.querySelectorAll('.katex-display').forEach((el) => {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'region');
        el.setAttribute('aria-label', 'Equation (scroll sideways to read it all)');
      } else if (!scrolls && el.getAttribute('role') === 'region') {
        el.removeAttribute('tabindex');
        el.removeAttribute('role');
        el.removeAttribute('aria-label');
      }
    });
  };
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; mark(); }); }
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
