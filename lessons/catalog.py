"""The course map: every lesson once, in teaching order — its section, page script, title, fixed URL, icon
and one-line promise. app.py builds the navigation from it and Home its lesson cards.

The URL paths are fixed: classroom links depend on them. Home's url_path is "" (the default page at "/").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    section: str
    path: str  # the page script, relative to the folder holding app.py
    title: str
    url_path: str
    icon: str
    blurb: str


LESSONS = (
    Lesson("Start", "lessons/home/page.py", "Home", "", ":material/home:",
           "Sequential data, memoryless models and models with memory."),
    Lesson("Recurrent basics", "lessons/unrolled/page.py", "Unrolled RNN", "unrolled", ":material/view_week:",
           "One small cell, copied across time with the same weights. Step through it with real numbers."),
    Lesson("Recurrent basics", "lessons/bptt/page.py", "Backpropagation through time", "bptt", ":material/history:",
           "How the error at the end travels back through every step — and why the gradients add up."),
    Lesson("Recurrent basics", "lessons/vanishing/page.py", "Vanishing & exploding gradients", "vanishing-gradients",
           ":material/trending_down:",
           "Multiply by 2 fifty times, or by ½: why plain RNNs forget — and how clipping helps."),
    Lesson("Gated cells", "lessons/gated/lstm_page.py", "LSTM", "lstm", ":material/memory:",
           "A conveyor belt for memory, with gates that decide what to forget, write and read."),
    Lesson("Gated cells", "lessons/gated/gru_page.py", "GRU", "gru", ":material/tune:",
           "The LSTM's leaner cousin: one update gate that blends the past with the new."),
    Lesson("Gated cells", "lessons/gated/bidirectional_page.py", "Bidirectional LSTM", "bidirectional",
           ":material/swap_horiz:", "Read the sequence forwards and backwards, so every step knows its future too."),
    Lesson("Gated cells", "lessons/gradient_flow/page.py", "Gradient flow compared", "gradient-flow",
           ":material/compare_arrows:", "RNN, LSTM and GRU side by side: how far back does each one's gradient reach?"),
    Lesson("Practice", "lessons/training/page.py", "Training lab", "training", ":material/model_training:",
           "Train on stock-like prices, sine waves and real data; beat the memoryless baseline."),
    Lesson("Practice", "lessons/char_rnn/page.py", "Character-level RNN", "char-rnn", ":material/text_fields:",
           "Teach an LSTM to write, one character at a time, and find the neurons that count quotes."),
)


def by_url(url_path: str) -> Lesson:
    """The lesson at ``url_path`` ("" for Home)."""
    for lesson in LESSONS:
        if lesson.url_path == url_path:
            return lesson
    raise ValueError(f"url_path: no lesson at {url_path!r}")
