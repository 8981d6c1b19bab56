"""Lesson-agnostic helpers.

Without Streamlit (figures and tests may import them): ``theme`` (colours, house layout, legends),
``canvas`` (diagrams), ``heatmaps`` (time × unit stacks), ``logaxes`` (log axes that keep 0 and inf),
``numbers`` (number formats), ``settings`` (control descriptions), ``typed`` (typed numbers), ``upload``
(CSV parsing).
With Streamlit (page scripts only): ``layout`` (header, columns, charts, downloads, errors), ``widgets``
(controls drawn from settings, bound to the URL).
"""
