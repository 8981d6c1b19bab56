"""Reading the numbers a lesson prints back, for claims about text drawn from a run (the update written above the
/lstm and /gru cell diagrams). Import as ``claims.printed`` (tests/ is on the path)."""

from __future__ import annotations

import re


def printed_numbers(line: str) -> list[float]:
    """The numbers of an update written above a cell diagram ("c₇ = f·c₆ + i·g = 0.934·(−0.412) + … = <b>0.25</b>"),
    in order: markup and the step's subscripted names dropped, "− 0.13" read as the term −0.13."""
    plain = re.sub(r"<[^>]+>", "", line)
    plain = re.sub(r"[a-z][₀-₉]+", "", plain).replace("− ", "−").replace("−", "-")
    return [float(v) for v in re.findall(r"-?\d+\.\d+", plain)]


def close(printed: list[float], engine, digits: int = 3) -> bool:
    """Whether numbers printed with ``digits`` decimals are the engine's (plain arithmetic: these loops are long)."""
    return len(printed) == len(engine) and max(abs(p - float(e)) for p, e in zip(printed, engine, strict=True)) \
        <= 0.51 * 10.0 ** -digits
