"""Typed numbers: parsed leniently (commas, spaces, semicolons, new lines), refused precisely."""

from __future__ import annotations

import pytest

from lessons.kit.typed import parse_numbers


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "at least one number"), ("1, 2, abc", r"entry 3 \('abc'\) is not a number"), ("1, inf", "finite"),
     ("1e9", "too large"), (", ".join(["1"] * 201), "at most 200")],
)
def test_parse_numbers_rejects_bad_text_with_a_precise_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_numbers(text)


def test_parse_numbers_accepts_commas_spaces_and_newlines():
    assert parse_numbers("1, 2 3\n-0.5;4") == (1.0, 2.0, 3.0, -0.5, 4.0)
