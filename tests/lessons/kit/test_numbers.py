"""Number formats: what a student reads in labels, LaTeX and captions."""

from __future__ import annotations

import math

from lessons.kit import numbers


def test_labels_use_a_real_minus_and_never_show_minus_zero():
    assert numbers.num(-0.0001) == "0.00"
    assert numbers.num(-1.5) == "−1.50"
    assert numbers.num(float("inf")) == "∞"
    assert numbers.num(-math.inf) == "−∞"
    assert numbers.num(math.nan) == "NaN"
    assert numbers.num(1.23e7) == "1.2e7"
    assert numbers.num(-1.6e79) == "−1.6e79" and numbers.num(2.5e-300 * 1e304) == "2.5e4"


def test_signed_short_and_percent():
    assert numbers.signed(0.25) == "+0.25" and numbers.signed(-0.25) == "−0.25"
    assert numbers.short(0.43149) == "0.431" and numbers.short(-2.1e-5) == "-2.1e-05"
    assert numbers.short(math.inf) == "inf" and numbers.short(-math.inf) == "-inf"
    assert numbers.pct(0.254) == "25%"


def test_tex_writes_powers_of_ten_and_brackets_what_needs_them():
    assert numbers.tex(1.5e7) == r"1.5\times 10^{7}"
    assert numbers.tex(-math.inf) == r"-\infty"
    assert numbers.tex_paren(-0.5) == "(-0.50)"
    assert numbers.tex_paren(0.5) == "0.50"
    assert numbers.tex_paren(2e5) == r"(2.0\times 10^{5})"


def test_fit_keeps_node_labels_within_five_characters():
    cases = {0.5: "0.50", -0.5: "−0.50", 27.0: "27.00", 243.0: "243.0", 1234.6: "1235", -1234.6: "−1235",
             12345.6: "1.2e4", -12345.0: "−1e4", 1.6e79: "2e79", -1.6e79: "−2e79", math.inf: "∞"}
    for value, label in cases.items():
        assert numbers.fit(value) == label, value
        assert len(numbers.fit(value)) <= 5


def test_compact_fits_and_never_hides_a_small_value():
    assert numbers.compact(0.0025) == "0.0025"
    assert numbers.compact(-3.3e-05) == "−3e−5" and numbers.compact(-3.3e-05, width=7) == "−3.3e−5"
    assert numbers.compact(96700.0) == "96700" and numbers.compact(-150.0, 5, 2) == "−150"
    assert numbers.compact(1.234e6) == "1.23e6" and numbers.compact(12.345) == "12.3"
    assert numbers.compact(1.234e-300) == "1e−300"
    assert numbers.compact(-9.67e24) == "−1e25" and numbers.compact(9.67e24) == "9.7e24"
    assert numbers.compact(0.0) == "0" == numbers.compact(-0.0) and numbers.compact(math.inf) == "∞"
    for v in (1e-300, 1.5e300, -123456.0, 0.5, -0.000123456, 7.0, -1e-30):
        text = numbers.compact(v)
        assert len(text) <= 6 and text.strip("−0.") != "", (v, text)
    assert numbers.compact(-1e-300) == "−1e−300"  # the shortest it can be: one digit, longer than the width


def test_tex_short_keeps_significant_digits():
    assert numbers.tex_short(9.67e24) == r"9.67\times 10^{24}"
    assert numbers.tex_short(-0.0012345) == "-0.00123"
    assert numbers.tex_short(2.5e-7, 2) == r"2.5\times 10^{-7}"
    assert numbers.tex_short(math.inf) == r"\infty" and numbers.tex_short(-math.inf) == r"-\infty"
