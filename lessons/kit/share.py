"""Share this view: the exact link to what is on the screen, and a QR code of it for a class's phones.

The link is built from the controls the page drew (``widgets.link_query``: every value that differs from its
default), not read back from the address bar, so it is exact even where Streamlit's URL lags a step behind.
The QR code is made here in Python (segno; no network) as a PNG.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
import streamlit as st

from lessons.kit.widgets import link_query


def view_link(base: str, query: dict[str, str]) -> str:
    """``base`` (the page's address, no query) with ``query`` in a stable order."""
    return base + ("?" + urlencode(sorted(query.items())) if query else "")


def qr_png(text: str, scale: int = 6) -> bytes:
    """A QR code of ``text`` as PNG bytes (error correction M: still reads from across a classroom)."""
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=scale, border=3)
    return buf.getvalue()


@st.fragment
def share_panel() -> None:
    """A button that shows the link and its QR code for the view as it is at the moment of the click."""
    if st.button("Show the link and QR code", icon=":material/qr_code_2:", key="share_make", width="stretch"):
        base = st.context.url or ""
        link = view_link(base, link_query())
        st.code(link, language=None, wrap_lines=True)
        st.image(qr_png(link), caption="Scan to open this view", width=220)


def share_button(where) -> None:
    with where.popover("Share this view", icon=":material/share:", width="stretch"):
        st.caption("Everything on the page — every slider and choice — is in the link.")
        share_panel()
