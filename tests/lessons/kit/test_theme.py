"""The shared figure theme: colour scales, contrast, and the layout helpers every lesson uses."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.kit import theme

ROOT = Path(__file__).resolve().parents[3]


def test_diverging_scale_is_centred_on_a_neutral_grey():
    stops = [s for s, _ in theme.DIVERGING]
    assert stops[0] == 0 and stops[-1] == 1 and 0.5 in stops
    assert stops == sorted(stops)
    r, g, b = theme.diverging_rgb(0.0, 1.0)
    assert r == g == b  # grey at zero: no hue means "nothing there"


def test_diverging_scale_runs_blue_to_orange():
    neg, pos = theme.diverging_rgb(-1.0, 1.0), theme.diverging_rgb(1.0, 1.0)
    assert neg[2] > neg[0]  # blue end
    assert pos[0] > pos[2]  # orange/red end


def test_diverging_rgb_handles_inf_and_nan_and_arrays():
    out = theme.diverging_rgb(np.array([np.inf, -np.inf, np.nan, 0.3]), 1.0)
    assert out.shape == (4, 3) and np.isfinite(out).all()
    np.testing.assert_allclose(out[0], theme.diverging_rgb(1.0, 1.0))
    assert theme.diverging_color(0.0, 1.0).startswith("rgba(")


def test_near_zero_is_a_faint_tint_of_the_page_and_the_ends_are_opaque():
    """No glaring light block on a dark page: around 0 the scale is mostly transparent."""
    alphas = theme.diverging_rgba(np.linspace(-1, 1, 41), 1.0)[:, 3]
    assert alphas[20] <= 0.25 and alphas[0] == alphas[-1] == 1.0
    assert (np.diff(alphas[:21]) <= 1e-12).all() and (np.diff(alphas[20:]) >= -1e-12).all()


def test_contrast_text_is_white_on_dark_ends_and_the_page_colour_on_a_tint():
    assert theme.contrast_text(-1.0, 1.0) == "#FFFFFF"
    assert theme.contrast_text(0.5, 1.0) == "#111111"
    assert theme.contrast_text(0.0, 1.0) == theme.PAGE_INK


def _luminance(color: str) -> float:
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    lin = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def _ratio(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


PAGES = {"light": "#FCFCFD", "dark": "#0F1621"}  # .streamlit/config.toml's backgroundColor per theme


def test_every_house_colour_meets_wcag_aa_in_both_themes():
    """Text 4.5:1 and marks 3:1 against the page, after chrome.py's per-theme redraw (THEME_VARIANTS)."""
    colours = set(theme.QUALITATIVE) | {theme.NEUTRAL}
    for name, page in PAGES.items():
        text, mark = theme.THEME_VARIANTS[name]["text"], theme.THEME_VARIANTS[name]["mark"]
        for colour in colours:
            assert _ratio(text.get(colour, colour), page) >= 4.5, (name, "text", colour)
            assert _ratio(mark.get(colour, colour), page) >= 3.0, (name, "mark", colour)
        assert _ratio(text[theme.PAGE_INK], page) >= 4.5


def test_symmetric_limit_ignores_non_finite_and_has_a_floor():
    assert theme.symmetric_limit([-3.0, 2.0, np.inf]) == 3.0
    assert theme.symmetric_limit([0.0, 0.0]) > 0


def test_qualitative_palette_is_okabe_ito():
    assert theme.QUALITATIVE[:4] == ["#0072B2", "#E69F00", "#009E73", "#D55E00"]
    assert len(set(theme.QUALITATIVE)) == 8


def test_layout_is_transparent_and_sets_no_text_colour():
    lay = theme.layout(title="T", height=300, xaxis=theme.axis("time"))
    assert lay["paper_bgcolor"] == lay["plot_bgcolor"] == "rgba(0,0,0,0)"
    assert "color" not in lay["font"]  # Streamlit's light/dark theme supplies it
    fig = go.Figure(layout=lay)  # Plotly accepts it as is
    assert fig.layout.height == 300 and fig.layout.xaxis.title.text == "time"


def test_styled_lays_dicts_over_the_house_values_and_drops_none():
    fig = theme.styled([{"type": "scatter", "x": [0, 1], "y": [1, 2]}], x_title="time", y_title="value",
                       legend={"x": 0.5}, xaxis={"range": [0, 1], "title": None}, xaxis2={"domain": [0.5, 1]},
                       margin={"l": 100}, barmode=None)
    lay = fig.layout
    assert lay.xaxis.gridcolor == theme.GRID and lay.xaxis.title.text == "time" and tuple(lay.xaxis.range) == (0, 1)
    assert lay.yaxis.title.text == "value"
    assert lay.xaxis2.domain == (0.5, 1) and lay.xaxis2.gridcolor is None  # further axes are taken as given
    assert lay.legend.x == 0.5 and lay.legend.orientation == "h" and lay.showlegend
    assert lay.margin.l == 100 and lay.barmode is None
    go.Figure(fig.to_dict())  # valid


def test_margin_floor_makes_room_for_labels_legends_and_colour_bars():
    bare = theme.margin_floor([], {"margin": {"l": 4, "r": 4, "t": 4, "b": 4},
                                   "xaxis": {"visible": False}, "yaxis": {"visible": False}})
    assert bare == {"l": 10, "r": 10, "t": 4, "b": 10}  # nothing outside the plot: the given margins (at least 10)
    lay = {"xaxis": {"title": {"text": "t"}}, "yaxis": {"title": {"text": "h"}}, "coloraxis": {},
           "legend": {"orientation": "h", "y": -0.2}}
    m = theme.margin_floor([{}, {}], lay)
    assert m["l"] == 10 + theme.Y_TICKS_PX + theme.Y_TITLE_PX
    assert m["b"] == 10 + theme.X_TICKS_PX + theme.X_TITLE_PX + theme.LEGEND_ROW_PX + 14
    assert m["r"] >= 10 + theme.COLORBAR_PX
    # A y axis anchored to an x axis that starts mid-figure is not on the left edge: no room for it there.
    inner = theme.margin_floor([], {"xaxis": {"visible": False}, "yaxis": {"visible": False},
                                    "xaxis2": {"domain": [0.5, 1], "visible": False},
                                    "yaxis2": {"anchor": "x2", "title": {"text": "inner"}}})
    assert inner["l"] == 10
    # Bigger margins asked for are kept.
    assert theme.margin_floor([], {"margin": {"l": 200}})["l"] == 200


def test_f32():
    assert theme.f32([1, 2]).dtype == np.float32


def test_config_toml_has_light_and_dark_themes_and_no_usage_stats():
    cfg = tomllib.loads((ROOT / ".streamlit/config.toml").read_text())
    for mode in ("light", "dark"):
        section = cfg["theme"][mode]
        for key in ("primaryColor", "backgroundColor", "secondaryBackgroundColor", "textColor"):
            assert re.fullmatch(r"#[0-9A-Fa-f]{6}", section[key]), (mode, key)
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["theme"]["chartCategoricalColors"][:4] == theme.QUALITATIVE[:4]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_theme_text_contrast_is_comfortable(mode):
    """WCAG contrast of text on background >= 7 (AAA) in both themes."""
    section = tomllib.loads((ROOT / ".streamlit/config.toml").read_text())["theme"][mode]

    def lum(hex_color: str) -> float:
        rgb = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
        lin = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(lin @ [0.2126, 0.7152, 0.0722])

    hi, lo = sorted([lum(section["textColor"]), lum(section["backgroundColor"])], reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 7


def test_figure_builds_without_validation_but_stays_a_normal_figure():
    fig = theme.figure([{"type": "scatter", "x": [1, 2], "y": [3, 4], "name": "a"}], theme.layout(height=200))
    assert isinstance(fig, go.Figure) and fig.data[0].name == "a" and fig.layout.height == 200
    go.Figure(fig.to_dict())  # and it is valid


@pytest.mark.parametrize("log", [False, True])
def test_labelled_hline_puts_its_label_on_the_line(log):
    line, note = theme.labelled_hline(0.01, "baseline", theme.NEUTRAL, log=log, above=False)
    assert line["y0"] == line["y1"] == 0.01 and line["xref"] == "x domain"
    # On a log axis an annotation's y is log10 of the value; a shape's is the value itself.
    assert note["y"] == (pytest.approx(-2.0) if log else 0.01)
    assert note["yanchor"] == "top" and note["text"] == "baseline"
    go.Figure(layout={"shapes": [line], "annotations": [note]})  # valid Plotly


def test_enlarged_log_axes_label_powers_of_ten_only():
    """Presenter mode: Plotly labels 2 and 5 between the decades of a short log axis; enlarged() asks for whole
    decades only (every n-th on a long axis), over the axis's range or the data on it, and leaves set ticks alone."""
    fig = theme.figure(
        [{"type": "scatter", "x": [1, 2], "y": [0.01, 3.0]},
         {"type": "scatter", "x": [1, 2], "y": [1e-300, 1e10], "xaxis": "x2", "yaxis": "y2"},
         {"type": "scatter", "x": [1, 2], "y": [1, 2], "xaxis": "x3", "yaxis": "y3"}],
        theme.layout(yaxis={"type": "log", "range": [-2.4, 1.4]}, yaxis2={"type": "log"},
                     yaxis3={"type": "log", "dtick": "D2"}, xaxis={"type": "linear"}))
    lay = theme.enlarged(fig, 1.45, 16).to_dict()["layout"]
    assert lay["yaxis"]["dtick"] == 1 and lay["yaxis"]["tick0"] == 0
    assert lay["yaxis2"]["dtick"] == 52  # 310 decades in about 6 labels
    assert lay["yaxis3"]["dtick"] == "D2" and "dtick" not in lay["xaxis"]
    assert theme.decade_ticks(-2, 1) == {"tick0": 0, "dtick": 1}
    go.Figure(layout=lay)  # valid Plotly


def test_a_long_title_is_broken_once_to_fit_a_phone():
    from lessons.kit.theme import TITLE_CHARS, TITLE_LINE_PX, figure, layout, wrapped

    assert wrapped("Short title") == "Short title"
    text = "One step ahead: every prediction starts from the true past"
    first, second = wrapped(text).split("<br>")
    assert len(first) <= TITLE_CHARS and f"{first} {second}" == text
    # after a dash or colon in the second half when there is one; tags are not counted and never cut
    assert wrapped("Gradient norm per step — clipped 27 of 188 steps") == \
        "Gradient norm per step —<br>clipped 27 of 188 steps"
    assert wrapped("Target: the marked 0.32 + 0.17 = <b>0.48</b>") == "Target: the marked 0.32 + 0.17 = <b>0.48</b>"
    assert "<br>" not in wrapped("<b>" + "x" * 50 + "</b>")  # no space: nothing to break at
    short, long = (figure([], layout(title=t, height=300)) for t in ("Short title", "A title " * 8))
    assert short.layout.title.text == "Short title"
    assert long.layout.title.text.count("<br>") == 1
    assert long.layout.margin.t == short.layout.margin.t + TITLE_LINE_PX and long.layout.height == 300 + TITLE_LINE_PX
