"""Lesson-agnostic helpers.

Without Streamlit (figures, recipes' tests and benchmarks may import them): ``theme`` (colours, house layout,
legends), ``canvas`` (diagrams), ``heatmaps`` (time × unit stacks), ``curves`` (training loss curves),
``logaxes`` (log axes that keep 0 and inf), ``numbers`` (number formats), ``text`` (user text shown as text),
``settings`` (control descriptions), ``typed`` (typed numbers), ``upload`` (CSV parsing), ``jobs`` (training in
worker processes).
With Streamlit (page scripts only): ``layout`` (header, columns, charts, downloads, errors), ``widgets``
(controls drawn from settings, bound to the URL).
"""
