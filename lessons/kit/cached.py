"""Cached calls built in one place: an engine call cached by its arguments (a frozen config is its own cache key),
or a view (a figure) shared between sessions.

A page used to write the same three lines for every engine function it calls::

    @st.cache_data(max_entries=64, show_spinner=False)
    def run(cfg):
        return recipe.run_x(cfg)

``run = cached_call(recipe.run_x, max_entries=64)`` builds that function. A wrapper that does more than pass
its arguments on (calls another cached function, unpacks a config) stays written out on its page, or is built
by a function that makes one per use (then ``name`` tells its caches apart).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

P = ParamSpec("P")
R = TypeVar("R")


def cached_call(fn: Callable[P, R], *, max_entries: int, name: str | None = None) -> Callable[P, R]:
    """``fn`` behind its own ``st.cache_data`` cache of ``max_entries`` results (a copy per call)."""
    return _cached(st.cache_data, fn, max_entries, name)


def shared_view(fn: Callable[P, R], *, max_entries: int, name: str | None = None) -> Callable[P, R]:
    """``fn`` behind its own ``st.cache_resource`` cache: one object for every session, for results that are
    never changed after they are built (figures: st.plotly_chart only reads them, and unpickling a Plotly
    figure from cache_data would re-validate it, costing more than building it)."""
    return _cached(st.cache_resource, fn, max_entries, name)


def _cached(cache, fn: Callable[P, R], max_entries: int, name: str | None) -> Callable[P, R]:
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        return fn(*args, **kwargs)

    # Streamlit tells caches apart by the function's module, qualified name and source. Every wrapper made here
    # shares one body, so each takes the wrapped function's names (update_wrapper: its module, name and
    # signature, so that arguments are hashed under their real names, and its source via __wrapped__), or
    # ``name`` for functions made once per use with one source. The cache size is part of the name: two pages
    # wrapping one function with different sizes then keep two caches, instead of replacing each other's cache on
    # every visit (Streamlit rebuilds a cache whose size changed).
    functools.update_wrapper(call, fn)
    call.__qualname__ = f"{name or fn.__qualname__}[cached, max_entries={max_entries}]"
    return cache(max_entries=max_entries, show_spinner=False)(call)
