"""Check yourself on /char-rnn (see lessons/kit/tasks.py). Every answer and explanation is computed from the shipped
text and the engine (no training: counting, one cross-entropy and a weight count)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from lessons.char_rnn import recipe as demo
from lessons.char_rnn.settings import SETTINGS
from lessons.kit.numbers import num
from lessons.kit.tasks import Task
from rnn_core.training import build_model

SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "coriolanus.txt"
WEIGHTS = (40_000, 50_000)  # the make task's range of LSTM cell weights


@functools.cache
def shipped() -> demo.Corpus:
    return demo.make_corpus(SHIPPED.read_text(encoding="utf-8"))


def cell_weights(hidden: int, vocab: int) -> int:
    """Weights of the page's LSTM cell (the output layer not counted), counted on the engine's own model."""
    model = build_model(demo.CharConfig(hidden_size=hidden).train_config(), vocab, vocab)
    return sum(v.size for k, v in model.params.items() if not k.startswith("head"))


def _explain_nothing() -> str:
    c = shipped()
    return (f"The text uses V = {c.vocab_size} different characters. Equal odds give each 1/{c.vocab_size}, so every "
            f"character costs −ln(1/{c.vocab_size}) = ln {c.vocab_size} = **{num(float(np.log(c.vocab_size)))}** "
            f"nats. Knowing only how often each letter occurs already brings it down to {num(c.unigram)} — the "
            "dashed line the LSTM has to beat by remembering what came before.")


def _explain_th() -> str:
    h = demo.context_hint(shipped())
    return (f"Anywhere in the training text “{h.char}” is {num(100 * h.overall, 1)} % of the characters; right after "
            f"“{h.context}” it is {num(100 * h.after, 1)} % ({h.seen:,} times “{h.context}” occurs): "
            f"**{num(h.after / h.overall, 1)}×** as likely. A model that remembers the last two characters can use "
            "that; the letter frequencies cannot.")


def _check_weights(values: Mapping[str, object]) -> tuple[bool, str]:
    if values.get("source") != "shipped":
        return False, "Use the shipped Shakespeare text (its alphabet sets the count), then try again."
    H, V = int(values["hidden"]), shipped().vocab_size
    n = cell_weights(H, V)
    lo, hi = WEIGHTS
    if lo <= n <= hi:
        return True, f"Yes: with H = {H} and V = {V} the cell has 4·{H}·({H} + {V} + 2) = {n:,} weights."
    hint = "fewer" if n > hi else "more"
    return False, f"Not yet: H = {H} gives the cell {n:,} weights; you need {hint} (4·H·(H + V + 2), V = {V})."


TASKS = (
    Task("char-knowing-nothing", "Predict: the price of knowing nothing",
         "Before any training, a model that gives **every character of the text equal odds**: how many nats per "
         "character does it pay on the held-out text?",
         options=("about 0.6", "about 3.3", "about 4.1", "59"), answer=2, explain=_explain_nothing),
    Task("char-after-th", "Predict: what follows “th”",
         "In the Shakespeare text, how much likelier is **“e” right after “th”** than anywhere in the text?",
         options=("about as likely", "about twice", "about six times", "about fifty times"), answer=2,
         explain=_explain_th),
    Task("char-weights", "Make it happen: a cell with 40,000–50,000 weights",
         f"On the shipped text, choose the hidden size so that the LSTM cell has between {WEIGHTS[0]:,} and "
         f"{WEIGHTS[1]:,} weights (the help of “Hidden size H” has the formula).", check=_check_weights,
         table=SETTINGS),
)
