"""Numbers as a student reads them: in chart labels, in LaTeX, in sentences. One place for every format.

- ``num``: a label with fixed decimals, compact scientific notation when huge (1.6e79: it must fit in a
  node of a diagram), the real minus sign (−), ∞ for overflow, never "−0.00".
- ``fit``: ``num`` squeezed into a few characters (fewer decimals, one-digit mantissa): labels in nodes.
- ``signed``: the same with an explicit sign (+0.25, −0.25): values on a diagram's wires.
- ``short``: a compact number with ``digits`` significant digits (0.431, -2.1e-05, inf): metrics and captions.
- ``pct``: a share in 0..1 as a whole percentage.
- ``tex`` / ``tex_paren``: ``num`` for LaTeX (×10^k instead of e+k; negatives in parentheses on request).

Pure Python; no Streamlit, no Plotly.
"""

from __future__ import annotations

import math

HUGE = 1e4  # from here on labels switch to scientific notation


def _not_finite(value: float, *, typographic: bool = True) -> str | None:
    """The label for NaN/±inf, or None for a finite value."""
    if math.isfinite(value):
        return None
    if math.isnan(value):
        return "NaN"
    if typographic:
        return "∞" if value > 0 else "−∞"
    return "inf" if value > 0 else "-inf"


def num(value: float, digits: int = 2) -> str:
    """A number for a label: fixed decimals, scientific when huge, the real minus sign, ∞ for overflow."""
    value = float(value)
    special = _not_finite(value)
    if special is not None:
        return special
    if abs(value) >= HUGE:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}".replace("-", "−")
    text = f"{value:.{digits}f}"
    if text.lstrip("-").strip("0.") == "":  # -0.00 -> 0.00
        text = text.lstrip("-")
    return text.replace("-", "−")


def fit(value: float, width: int = 5, digits: int = 2) -> str:
    """``num`` with as many decimals (at most ``digits``) as fit in ``width`` characters: a label inside a
    small node. 243.0 -> "243.0", 1234.5 -> "1235", -1.6e79 -> "−2e79"; hover text keeps the exact value."""
    for d in range(digits, -1, -1):
        text = num(value, d)
        if "e" in text and len(text) > width:  # 1.6e79 -> 2e79
            mantissa, exponent = text.split("e")
            text = f"{float(mantissa.replace('−', '-')):.0f}e{exponent}".replace("-", "−")
        if len(text) <= width:
            return text
    return text


def signed(value: float, digits: int = 2) -> str:
    """A number with its sign always shown and a typographic minus: +0.25, −0.25."""
    return f"{float(value):+.{digits}f}".replace("-", "−")


def short(value: float, digits: int = 3) -> str:
    """A compact number with ``digits`` significant digits: 0.431, -2.1e-05, inf."""
    value = float(value)
    special = _not_finite(value, typographic=False)
    return special if special is not None else f"{value:.{digits}g}"


def pct(share: float) -> str:
    """0.25 -> "25%"."""
    return f"{100 * float(share):.0f}%"


def tex(value: float, digits: int = 2) -> str:
    """``num`` written for LaTeX: an ASCII minus, \\infty, and 1.5\\times 10^{7} for scientific notation."""
    text = num(value, digits).replace("−", "-").replace("∞", r"\infty")
    if "e" in text:
        mant, exp = text.split("e")
        text = rf"{mant}\times 10^{{{int(exp)}}}"
    return text


def tex_paren(value: float, digits: int = 2) -> str:
    """``tex`` in parentheses when it would otherwise read badly after an operator (negative or scientific)."""
    text = tex(value, digits)
    return f"({text})" if value < 0 or "times" in text else text


def _short_exponent(text: str) -> str:
    """'2.5e-05' -> '2.5e-5', '1e+15' -> '1e15' (the sign of the mantissa is kept)."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}e{int(exponent)}"


def compact(value: float, width: int = 6, digits: int = 3) -> str:
    """A label of at most ``width`` characters (or the one-digit form if even that is longer) that never turns a
    small nonzero value into 0 (as ``fit`` does with fixed decimals): up to ``digits`` significant digits, a
    short exponent, the real minus sign. 0.0025 -> "0.0025", -3.3e-05 -> "−3e−5" (width 7: "−3.3e−5"),
    -150 -> "−150", 96700 -> "96700", 1.2e6 -> "1.2e6", 1.2e-300 -> "1e−300"; ∞ / NaN as in ``num``."""
    value = float(value)
    special = _not_finite(value)
    if special is not None:
        return special
    if value == 0:
        return "0"  # never "−0"
    text = ""
    magnitude = math.floor(math.log10(abs(value)))
    for d in range(digits, 0, -1):
        # -150 reads better than -1.5e2; -0.0001 is longer than -1e-4: the first form that fits wins.
        fixed = f"{value:.{max(0, d - 1 - magnitude)}f}" if magnitude >= 0 else f"{value:.{d}g}"
        fixed = fixed.rstrip("0").rstrip(".") if "." in fixed and "e" not in fixed else fixed  # 1.50 -> 1.5
        for form in (fixed, f"{value:.{d}g}", f"{value:.{d - 1}e}"):
            text = _short_exponent(form).replace("-", "−")
            if len(text) <= width:
                return text
    return text


def tex_short(value: float, digits: int = 3) -> str:
    """``short`` written for LaTeX: significant digits (a small gradient stays visible, unlike ``tex``'s fixed
    decimals), 9.67\\times 10^{24} instead of 9.67e+24, \\infty for overflow."""
    value = float(value)
    special = _not_finite(value, typographic=False)
    if special is not None:
        return {"inf": r"\infty", "-inf": r"-\infty"}.get(special, r"\text{NaN}")
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text
