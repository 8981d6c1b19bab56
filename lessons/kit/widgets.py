"""Streamlit widgets drawn from ``Setting`` rows, every one bound to the URL under its key.

``draw(setting)`` returns the widget's value; keyword overrides cover what a page decides at run time
(a range that follows the sequence length, a label that depends on the task, a disabled state).

A link value a control cannot show (``?unrolled_w=99``, ``?unrolled_seed=inf``, ``?training_cell=``) is not
dropped silently: the control starts at its default and a note under it says what the link asked for and
why it could not be used. (Streamlit would drop most such values quietly, and crash on ``inf`` for an
integer box.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st
from streamlit.runtime.state.session_state_proxy import get_session_state

from lessons.kit.settings import Setting
from lessons.kit.text import excerpt, md_literal


def _slider(where, s: Setting, label: str, value, common: dict):
    return where.slider(label, s.lo, s.hi, value, s.step, **common)


def _number(where, s: Setting, label: str, value, common: dict):
    return where.number_input(label, s.lo, s.hi, value, **({"step": s.step} if s.step else {}), **common)


def _select(where, s: Setting, label: str, value, common: dict):
    return where.selectbox(label, s.options, index=s.options.index(value), format_func=s.text, **common)


def _radio(where, s: Setting, label: str, value, common: dict):
    return where.radio(label, s.options, index=s.options.index(value), format_func=s.text, **common)


def _segmented(where, s: Setting, label: str, value, common: dict):
    return where.segmented_control(label, s.options, default=value, required=True, format_func=s.text, **common)


def _select_slider(where, s: Setting, label: str, value, common: dict):
    return where.select_slider(label, s.options, value, format_func=s.text, **common)


def _toggle(where, s: Setting, label: str, value, common: dict):
    return where.toggle(label, value, **common)


def _text(where, s: Setting, label: str, value, common: dict):
    return where.text_input(label, value, **common)


DRAW: dict[str, Callable] = {"slider": _slider, "number": _number, "select": _select, "radio": _radio,
                             "segmented": _segmented, "select_slider": _select_slider, "toggle": _toggle,
                             "text": _text}


def draw(s: Setting, where=None, *, label: str | None = None, default=None, lo=None, hi=None,
         help: str | None = None, **kwargs):
    """The widget for ``s`` in ``where`` (a column or container; the page by default), bound to the URL.

    label/default/lo/hi/help override the row for this run (e.g. a step slider whose end is T);
    ``kwargs`` go to Streamlit as they are (``disabled``, ``on_change``, ``args``).
    """
    row = s if lo is None and hi is None else _with_range(s, lo, hi)
    common = {"key": s.key, "bind": "query-params", "help": help or s.help, **kwargs}
    value = s.default if default is None else default
    refused = _refuse_bad_link_value(row)
    out = DRAW[s.kind](where or st, row, label or s.label, value, common)
    if refused:
        (where or st).caption(f":material/link_off: {refused} Showing {md_literal(row.text(out))} instead.")
    remember(row, out, value)
    return out


LINKED = "_unrolled_linked"  # session key: controls inside figures (link_value) -> their (lo, hi) this run
DRAWN = "_unrolled_drawn"  # session key: the controls drawn in this run, for "Share this view" and the tasks


def new_run() -> None:
    """Start a fresh record of drawn controls (app.py calls this before the page runs; a fragment's rerun keeps
    the record and updates its own controls)."""
    st.session_state[DRAWN] = {}
    st.session_state[LINKED] = {}


def remember(s: Setting, value, default) -> None:
    """Note a control's current value and the default it was drawn with (left out of links when equal)."""
    st.session_state.setdefault(DRAWN, {})[s.key] = (s, value, default)


def drawn() -> dict[str, tuple[Setting, object, object]]:
    """key -> (setting, value, default) of every control drawn so far in this page view."""
    return dict(st.session_state.get(DRAWN, {}))


def link_query() -> dict[str, str]:
    """The query parameters that reproduce the controls as they are now: every value that is not the default.
    A control inside a figure (``link_value``) reports where it is by writing the address bar, so its value is
    read from the URL as it is now (a share click sends it), kept within the range the page drew it with."""
    out = {}
    for key, (s, value, default) in drawn().items():
        if key in st.session_state.get(LINKED, {}):
            value = _current_link_value(s, value, *st.session_state[LINKED][key])
        if value != default:
            out[key] = s.link_text(value)
    return out


def _current_link_value(s: Setting, value, lo, hi):
    try:
        return min(max(s.from_link(st.query_params[s.key]), lo), hi) if s.key in st.query_params else value
    except ValueError:
        return value


def _refuse_bad_link_value(s: Setting) -> str | None:
    """On the first run that draws ``s``, check the link's value for it; if the control cannot show it, take it
    out of the URL (so the control starts at its default) and return a sentence saying what was asked and why
    it was refused. Later runs: the widget owns the value, nothing to check."""
    if s.key in st.session_state or s.key not in st.query_params:
        return None
    raw = st.query_params[s.key]
    try:
        s.from_link(raw)
        return None
    except ValueError as err:
        _forget_link_value(s.key)
        return f"The link asked for {md_literal(s.key)} = “{md_literal(excerpt(raw, 24))}”: {md_literal(err)}."


def _forget_link_value(key: str) -> None:
    """Remove ``key`` from the URL *and* from the snapshot Streamlit seeds widgets from on a session's first
    run. There is no public API for the snapshot; tests/lessons/kit/test_widgets.py fails if this stops working
    in a newer Streamlit."""
    with get_session_state().query_params() as qp:
        qp._initial_query_params.pop(key, None)
        qp.remove_param(key)


def _with_range(s: Setting, lo, hi) -> Setting:
    lo = s.lo if lo is None else lo
    hi = s.hi if hi is None else hi
    return replace(s, lo=lo, hi=hi, default=min(max(s.default, lo), hi))


def step_slider(s: Setting, lo: int, hi: int, default: int, where=None, **kwargs) -> int:
    """A step slider lo..hi whose end follows the sequence length: a step remembered from a longer sequence
    (in the session or the URL) is clamped into the new range instead of failing."""
    if hi <= lo:
        return lo
    value = st.session_state.get(s.key)
    if value is not None and not lo <= value <= hi:
        # Clamp, and pass no default below: Streamlit warns when a widget gets both.
        st.session_state[s.key] = min(max(value, lo), hi)
        out = (where or st).slider(kwargs.pop("label", s.label), lo, hi, key=s.key, bind="query-params",
                                   help=kwargs.pop("help", s.help), **kwargs)
        remember(s, out, min(max(default, lo), hi))
        return out
    return draw(s, where, lo=lo, hi=hi, default=min(max(default, lo), hi), **kwargs)


def link_value(s: Setting, lo, hi, default, where=None):
    """The value a link asks for a control the page does not draw as a widget (a scrub slider inside a figure
    starts there): parsed like a widget's link value, kept within [lo, hi]; ``default`` when the link has none or
    one that cannot be used (then a note says so). Remembered for "Share this view"."""
    raw = st.query_params.get(s.key)
    value = default
    if raw is not None:
        try:
            value = min(max(s.from_link(raw), lo), hi)
        except ValueError as err:
            note = f"The link asked for {md_literal(s.key)} = “{md_literal(excerpt(raw, 24))}”: {md_literal(err)}."
            (where or st).caption(f":material/link_off: {note} Starting at {md_literal(s.text(default))} instead.")
    remember(s, value, default)
    st.session_state.setdefault(LINKED, {})[s.key] = (lo, hi)
    return value


SYNCED = "_unrolled_synced_query"  # session key: the query parameters the address bar was last told about
_NUDGE = "_sync"  # a throwaway parameter: setting and deleting it makes Streamlit send the whole query string


def sync_address() -> None:
    """Make the address bar show the query parameters this run ended with. Streamlit 1.67 does not write them
    after a page link with ``query_params`` (a "Try this" link): the controls take the link's values but the
    address stays bare, so a copied link would open another view. Bound parameters cannot be set directly;
    changing any parameter sends the whole query string, bound ones included. app.py calls this after the page;
    it sends only when the parameters differ from what the last run sent."""
    now = sorted(st.query_params.to_dict().items())
    if st.session_state.get(SYNCED) == now:
        return
    st.session_state[SYNCED] = now
    st.query_params[_NUDGE] = "1"
    del st.query_params[_NUDGE]
