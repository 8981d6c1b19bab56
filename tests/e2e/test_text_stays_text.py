"""Text from a link stays text, in a real browser: a crafted link must not put a clickable outside link, an
outside image, styled markup or LaTeX on the page of every student who opens it, and must not make the browser
request anything from outside the app.

Each case opens a lesson with hostile values for its typed-numbers box (the value is quoted back in the error
message) or for an ordinary control (quoted back in the note under it).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

pytestmark = pytest.mark.browser

EVIL = "evil.example"
PAYLOADS = {
    "markdown link": f"[click here](https://{EVIL}/steal)",
    "markdown image": f"![pixel](https://{EVIL}/pixel.png)",
    "html": f"<a href='https://{EVIL}'>x</a><img src='https://{EVIL}/i.png'><span style='font-size:300px'>BIG</span>",
    "bare url": f"https://{EVIL}/bare",
    "latex": "$\\frac{1}{0}$ \\textcolor{red}{x}",
    "long token": "9" * 10_000,
}
# (page, the query key whose value is shown back, extra query)
PLACES = [
    ("/unrolled", "unrolled_values", {"unrolled_seq": "Typed numbers"}),
    ("/bptt", "bptt_numbers", {"bptt_seq": "typed numbers"}),
    ("/lstm", "lstm_numbers", {"lstm_pattern": "my own numbers"}),
    ("/gru", "gru_numbers", {"gru_pattern": "my own numbers"}),
    ("/bidirectional", "bidir_numbers", {"bidir_pattern": "my own numbers"}),
    ("/unrolled", "unrolled_act", {}),  # an unusable choice: quoted in the note under the control
]


def url(page: str, key: str, value: str, extra: dict) -> str:
    query = "&".join(f"{k}={quote(v)}" for k, v in {**extra, key: value}.items())
    return f"{page}?{query}"


@pytest.mark.parametrize(("page", "key", "extra"), PLACES, ids=[f"{p}:{k}" for p, k, _ in PLACES])
def test_hostile_link_text_creates_no_link_image_markup_or_request(app_page, page, key, extra):
    outside: list[str] = []
    app_page.page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in
                     ("127.0.0.1", "localhost") and not r.url.startswith("data:") else None)
    for name, payload in PAYLOADS.items():
        app_page.goto(url(page, key, payload, extra))
        main = app_page.page.locator("[data-testid='stMain']")
        assert not app_page.exceptions(), name
        assert main.locator(f"a[href*='{EVIL}']").count() == 0, f"{name}: a link was created"
        assert main.locator(f"img[src*='{EVIL}']").count() == 0, f"{name}: an image was created"
        assert app_page.page.locator("span[style*='300px']").count() == 0, f"{name}: markup was applied"
        said = main.locator("[data-testid='stAlertContentError']").count() + main.get_by_text(
            "link asked for").count()
        assert said >= 1, f"{name}: nothing tells the student the value could not be used"
        boxes = main.locator("[data-testid='stAlertContainer'], [data-testid='stCaptionContainer']")
        tallest = max((boxes.nth(i).bounding_box() or {"height": 0})["height"] for i in range(boxes.count()))
        assert tallest < 400, f"{name}: a message box is {tallest:.0f} px tall"
    assert not outside, f"the browser requested outside addresses: {outside[:3]}"
