"""Char-RNN figures: the activation-coloured text is escaped HTML, the bar charts show what they claim."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.char_rnn import figures as figs


def test_colored_text_escapes_html_and_keeps_every_character():
    text = "<b>hi</b> & \"x\"\n'y'"
    out = figs.colored_text_html(text, np.linspace(-1, 1, len(text)), 1.0)
    assert "<b>" not in out and "</b>" not in out  # the text's tags are shown, never interpreted
    assert out.count(">&lt;</span>") == 2 and out.count(">&gt;</span>") == 2 and ">&amp;</span>" in out
    assert out.count("<span title=") == len(text)
    assert "⏎" in out  # the newline is visible (and still breaks the line)


def test_colored_text_colours_follow_the_sign():
    out = figs.colored_text_html("ab", np.array([-1.0, 1.0]), 1.0)
    colours = re.findall(r"background:rgb\((\d+),(\d+),(\d+)\)", out)
    (r0, _, b0), (r1, _, b1) = ([int(v) for v in c] for c in colours)
    assert b0 > r0 and r1 > b1  # negative blue, positive orange


def test_colored_text_outlines_the_chosen_position_and_checks_lengths():
    out = figs.colored_text_html("abc", np.zeros(3), 1.0, highlight=1)
    assert out.count("outline:2px") == 1
    with pytest.raises(ValueError, match="one value per character"):
        figs.colored_text_html("abc", np.zeros(2), 1.0)


def test_attribute_values_are_escaped_too():
    out = figs.colored_text_html('"', np.zeros(1), 1.0, label='x" onmouseover="alert(1)')
    assert 'onmouseover="alert' not in out


def test_top_k_marks_the_true_next_character():
    fig = figs.top_k_figure(["e", " ", "a"], np.array([0.5, 0.3, 0.1]), " ")
    bar = fig.data[0]
    assert list(bar.y) == ["“e”", "“␣”", "“a”"]
    assert list(bar.marker.color) == [figs.BLUE, figs.VERMILLION, figs.BLUE]
    assert fig.layout.yaxis.autorange == "reversed"


def test_temperature_figure_has_one_bar_group_per_temperature():
    probs = np.array([[0.8, 0.2], [0.6, 0.4], [0.5, 0.5]])
    fig = figs.temperature_figure(["a", "\n"], probs, (0.5, 1.0, 2.0), chosen=1.0)
    assert [t.name for t in fig.data] == ["τ = 0.5", "τ = 1 (yours)", "τ = 2"]
    assert list(fig.data[0].x) == ["“a”", "“⏎”"] and fig.layout.barmode == "group"


def test_frequency_figure_shows_visible_characters():
    fig = figs.frequency_figure([" ", "e"], np.array([0.15, 0.09]))
    assert list(fig.data[0].x) == ["␣", "e"] and fig.layout.xaxis.type == "category"


def test_colour_legend_names_the_range():
    html = figs.colour_legend_html(2.0, "c of unit <3>")
    assert "-2" in html and "+2" in html and "&lt;3&gt;" in html


def test_every_figure_passes_plotly_validation():
    """Rebuilt with Plotly's validation on: the figures skip it for speed, so the tests must not."""
    probs = np.array([[0.8, 0.2], [0.6, 0.4], [0.5, 0.5]])
    for fig in (figs.top_k_figure(["e", " ", "a"], np.array([0.5, 0.3, 0.1]), " ", title="next"),
                figs.temperature_figure(["a", "\n"], probs, (0.5, 1.0, 2.0), chosen=1.0, title="odds"),
                figs.temperature_figure(["a", "\n"], probs, (0.5, 1.0, 2.0)),
                figs.frequency_figure([" ", "e"], np.array([0.15, 0.09]))):
        go.Figure(fig.to_dict())
