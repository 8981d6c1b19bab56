"""Share this view: the link is built from the controls drawn, in a stable order, and the QR code a phone scans
decodes (with a real decoder, zxing-cpp) to exactly that link."""

from __future__ import annotations

import io

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from lessons.kit.share import qr_png, view_link


def decode(png: bytes) -> list[str]:
    image = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("link", [
    "http://localhost:8501/unrolled",
    "https://unrolled.example.edu/lstm?lstm_T=80&lstm_forget_bias=2.5&present=true",
    "http://10.0.0.5/training?" + "&".join(f"training_k{i}=value{i}" for i in range(30)),  # a long one
    "http://host/char-rnn?char_start=%C3%A9t%C3%A9+%E2%86%92+x%26y%3Dz",  # escaped non-ASCII and & =
])
def test_the_qr_code_decodes_to_the_link(link):
    assert decode(qr_png(link)) == [link]


def test_the_link_lists_parameters_in_a_stable_order_and_escapes_them():
    assert view_link("http://h/unrolled", {"unrolled_w": "0.5", "unrolled_T": "20"}) == \
        "http://h/unrolled?unrolled_T=20&unrolled_w=0.5"
    assert view_link("http://h/char-rnn", {"char_start": "a&b=c d"}) == "http://h/char-rnn?char_start=a%26b%3Dc+d"
    assert view_link("http://h/gru", {}) == "http://h/gru"
