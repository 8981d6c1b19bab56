"""Numbers a student types ("0, 1, -0.5 2"), checked and turned into a tuple of floats. Pure Python."""

from __future__ import annotations

import math
import re

from lessons.kit.text import excerpt

MAX_TYPED = 200  # values; a longer typed sequence is a mistake, not a lesson
MAX_ABS = 100  # inputs beyond ±100 saturate every squashing cell and tell nothing new


def parse_numbers(text: str, *, limit: int = MAX_TYPED) -> tuple[float, ...]:
    """'0, 1, -0.5 2' -> (0.0, 1.0, -0.5, 2.0). Commas, spaces, semicolons or new lines separate numbers.

    Raises ValueError naming the first entry that is not a number, or when there are none or too many.
    """
    tokens = [tok for tok in re.split(r"[,\s;]+", text.strip()) if tok]
    if not tokens:
        raise ValueError("numbers: type at least one number, e.g. 0, 1, 0, 0")
    if len(tokens) > limit:
        raise ValueError(f"numbers: at most {limit} values, got {len(tokens)}")
    return tuple(_number(k, tok) for k, tok in enumerate(tokens, start=1))


def _number(k: int, tok: str) -> float:
    try:
        val = float(tok)
    except ValueError:
        raise ValueError(f"numbers: entry {k} ({excerpt(tok)!r}) is not a number") from None
    if not math.isfinite(val):
        raise ValueError(f"numbers: entry {k} ({excerpt(tok)!r}) is not a finite number")
    if abs(val) > MAX_ABS:
        raise ValueError(f"numbers: entry {k} ({excerpt(tok)}) is too large; keep inputs within ±{MAX_ABS}")
    return val
