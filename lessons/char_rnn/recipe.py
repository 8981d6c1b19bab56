"""Recipe for the character-level RNN lesson: check a text, train a small LSTM on it, sample from it,
and look inside it the way Karpathy's "The Unreasonable Effectiveness of RNNs" did.

NumPy and rnn_core only. The page steps a ``rnn_core.training.Trainer`` itself (progress, Stop) on ``train_data``;
everything after training takes the trained ``SequenceModel`` and the ``CharDataset``.
Shapes: L characters of a text segment, H hidden units, V characters in the vocabulary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from rnn_core.baseline import unigram_loss
from rnn_core.losses import softmax
from rnn_core.model import SequenceModel
from rnn_core.tasks import CharDataset
from rnn_core.training import TrainConfig, TrainData, TrainResult, planned_steps

MIN_CHARS = 1000  # below this there is too little to learn from and to hold out
MAX_CHARS = 200_000  # above this one epoch takes too long in a browser session
MAX_VOCAB = 100  # more distinct characters than this is not English prose (or is binary junk)
MAX_PRIME = 200  # characters of start text: the model reads them before writing (and a link can carry them)
VAL_FRACTION = 0.1


def check_text(text: object) -> str:
    """The text a student pasted, or a ValueError saying what is wrong with it in plain words."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The text is empty. Paste a few pages of English prose (at least "
                         f"{MIN_CHARS:,} characters), or use the shipped Shakespeare.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) < MIN_CHARS:
        raise ValueError(f"The text has only {len(text):,} characters; a character model needs at least "
                         f"{MIN_CHARS:,} to learn anything and to keep a part aside for testing. Paste more.")
    if len(text) > MAX_CHARS:
        raise ValueError(f"The text has {len(text):,} characters; the limit is {MAX_CHARS:,} so that training "
                         f"stays quick. Paste a shorter excerpt.")
    counts = Counter(text)  # one pass (text.count per character was quadratic in the number of characters)
    if len(counts) > MAX_VOCAB:
        rare = "".join(sorted(counts, key=lambda ch: (counts[ch], ch))[:12])
        raise ValueError(f"The text uses {len(counts)} different characters; the limit is {MAX_VOCAB}. Every "
                         f"character is one input and one output of the network, so remove unusual symbols "
                         f"(for example {rare!r}) or paste plainer text.")
    return text


@dataclass(frozen=True)
class CharConfig:
    """One char-RNN training run. seq_len: characters per training window (T, also the BPTT length)."""

    hidden_size: int = 64
    seq_len: int = 50
    lr: float = 0.01
    epochs: int = 10
    seed: int = 0
    clip_threshold: float = 5.0
    batch_size: int = 32
    text_id: str = "shipped"

    def train_config(self) -> TrainConfig:
        return TrainConfig(cell="lstm", hidden_size=self.hidden_size, optimizer="adam", lr=self.lr,
                           epochs=self.epochs, batch_size=self.batch_size, clip="norm",
                           clip_threshold=self.clip_threshold, seed=self.seed, mode="many_to_many",
                           loss="xent", eval_every=25)


@dataclass
class CharRun:
    """A trained model and how its training went (the page keeps it in session_state; small: ~40k parameters)."""

    config: CharConfig
    model: SequenceModel
    result: TrainResult

    @property
    def run_id(self) -> tuple:
        """Cache key for everything computed from the model: a stopped run differs from a finished one."""
        return (self.config, self.result.steps)


@dataclass(frozen=True)
class Corpus:
    """A checked text ready to train on: the dataset, the train/val cut and the memoryless baseline loss."""

    dataset: CharDataset
    cut: int
    unigram: float  # nats per character of the held-out text under the training text's letter frequencies

    @property
    def vocab_size(self) -> int:
        return self.dataset.vocab_size

    @property
    def val_text(self) -> str:
        return self.dataset.text[self.cut :]


def make_corpus(text: str) -> Corpus:
    ds = CharDataset.from_text(check_text(text))
    cut = ds.split(VAL_FRACTION)
    return Corpus(ds, cut, unigram_loss(ds.data[:cut], ds.data[cut:], ds.vocab_size))


def train_data(corpus: Corpus, seq_len: int) -> TrainData:
    """Non-overlapping windows of seq_len characters (train) and the held-out tail (val), one-hot on the fly."""
    return corpus.dataset.train_data(seq_len, VAL_FRACTION)


def step_plan(cfg: CharConfig, corpus: Corpus) -> tuple[int, int]:
    """(optimizer steps of a full run, training windows), as the engine's Trainer will count them."""
    windows = len(corpus.dataset.windows(cfg.seq_len, stop=corpus.cut)[0])
    return planned_steps(cfg.train_config(), windows, cfg.seq_len), windows


def frequencies(corpus: Corpus, top: int = 20) -> tuple[list[str], np.ndarray]:
    """The ``top`` most frequent characters of the training text and their probabilities (what unigram predicts)."""
    counts = np.bincount(corpus.dataset.data[: corpus.cut], minlength=corpus.vocab_size).astype(float)
    order = np.argsort(-counts, kind="stable")[:top]
    return [corpus.dataset.vocab[i] for i in order], counts[order] / counts.sum()


@dataclass(frozen=True)
class Hint:
    """A two-character context that makes one next character much likelier than its average, in the training text:
    P(char | context) = after, P(char) = overall, counted over ``seen`` occurrences of the context."""

    context: str
    char: str
    after: float
    overall: float
    seen: int


HINT_MIN_SEEN = 20  # a context must occur this often for its odds to mean something


def context_hint(corpus: Corpus, preferred: str = "th") -> Hint | None:
    """What a model with memory can use and a memoryless one cannot: "th" followed by "e" in English, else the
    frequent two-letter context whose likeliest follower is most lifted above its average (None if none is)."""
    text = corpus.dataset.text[: corpus.cut]
    if len(text) < 3:
        return None
    overall = Counter(text)
    follows: dict[str, Counter] = {}
    for i in range(len(text) - 2):  # one pass over the training text
        follows.setdefault(text[i : i + 2], Counter())[text[i + 2]] += 1
    best = None
    for ctx, nxt in follows.items():
        seen = sum(nxt.values())
        if seen < HINT_MIN_SEEN or not ctx.strip():
            continue
        ch, n = nxt.most_common(1)[0]
        hint = Hint(ctx, ch, n / seen, overall[ch] / len(text), seen)
        if hint.after < 2 * hint.overall:
            continue
        if ctx == preferred:
            return hint
        if best is None or hint.after / hint.overall > best.after / best.overall:
            best = hint
    return best


# -- sampling --------------------------------------------------------------------------------------------
def encode_prime(corpus: Corpus, prime: str) -> np.ndarray:
    """The priming text as indices; characters the model never saw are a ValueError naming them."""
    if not prime:
        raise ValueError("Start text: type at least one character for the model to continue.")
    if len(prime) > MAX_PRIME:
        raise ValueError(f"Start text: {len(prime):,} characters; the limit is {MAX_PRIME}. The model only needs "
                         f"a line or two to pick up where to continue.")
    unknown = sorted(set(prime) - set(corpus.dataset.stoi))
    if unknown:
        raise ValueError(f"Start text: the model never saw {''.join(unknown)!r} in its training text; "
                         f"use only characters from the text.")
    return corpus.dataset.encode(prime)


def sample(model: SequenceModel, corpus: Corpus, prime: str, length: int, temperature: float, seed: int) -> str:
    """``length`` characters continuing ``prime``, drawn from softmax(logits / temperature) (seeded)."""
    idx = model.sample(encode_prime(corpus, prime), length, temperature=temperature, seed=seed)
    return corpus.dataset.decode(idx)


def temperature_curve(model: SequenceModel, corpus: Corpus, prime: str, temperatures, top: int = 8):
    """How temperature reshapes the next-character distribution after ``prime``.

    Returns (chars (top,), probs (len(temperatures), top)): the ``top`` characters most likely at τ = 1.
    """
    x = corpus.dataset.one_hot(encode_prime(corpus, prime))
    logits = model.predict(x, mode="many_to_one")  # (V,)
    order = np.argsort(-logits, kind="stable")[:top]
    probs = np.stack([softmax(logits, t)[order] for t in temperatures])
    return [corpus.dataset.vocab[i] for i in order], probs


# -- looking inside --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Inside:
    """The trained LSTM read over a segment of held-out text.

    text: the L characters. h, c: (L, H) hidden and cell state after reading each character.
    probs: (L, V) the predicted distribution of the *next* character after each position.
    """

    text: str
    h: np.ndarray
    c: np.ndarray
    probs: np.ndarray
    vocab: tuple[str, ...]


def inside(model: SequenceModel, corpus: Corpus, start: int = 0, length: int = 600) -> Inside:
    """Run the model over ``length`` characters of the held-out text from ``start`` (clamped to the text)."""
    val = corpus.val_text
    length = int(max(2, min(length, len(val))))
    start = int(max(0, min(start, len(val) - length)))
    seg = val[start : start + length]
    x = corpus.dataset.one_hot(corpus.dataset.encode(seg))
    trace, logits = model.forward(x, mode="many_to_many")
    c = trace.c if trace.c is not None else np.zeros_like(trace.h)
    return Inside(seg, np.asarray(trace.h), np.asarray(c), softmax(logits), tuple(corpus.dataset.vocab))


def top_k(ins: Inside, position: int, k: int = 5) -> tuple[list[str], np.ndarray, str | None]:
    """The k most likely next characters after ``position`` with their probabilities, and the true next one."""
    position = int(np.clip(position, 0, len(ins.text) - 1))
    p = ins.probs[position]
    order = np.argsort(-p, kind="stable")[:k]
    true_next = ins.text[position + 1] if position + 1 < len(ins.text) else None
    return [ins.vocab[i] for i in order], p[order], true_next


def unit_activations(ins: Inside, state: str, unit: int) -> tuple[np.ndarray, float]:
    """One unit's values over the segment, (L,), from h or c (``state``), and the limit to colour them by: the
    unit's own range, so even a quiet unit shows its pattern. ``unit`` is 1-based."""
    acts = (ins.h if state == "h" else ins.c)[:, int(unit) - 1]
    return acts, max(float(np.abs(acts).max()), 1e-6)


def text_features(text: str) -> dict[str, np.ndarray]:
    """Simple 0/1 (or graded) signals per character that a unit might have learned to track, each (L,)."""
    chars = np.array(list(text))
    is_letter = np.char.isalpha(chars)
    newline = chars == "\n"
    # Position within the current line, scaled to 0..1 by the longest line: a "line length counter".
    pos = np.zeros(len(text))
    col = 0
    for i, ch in enumerate(text):
        pos[i] = col
        col = 0 if ch == "\n" else col + 1
    line_pos = pos / max(pos.max(), 1.0)
    # Inside a speaker-name line ("MENENIUS:"): from a line start to the colon that ends the line.
    speaker = np.zeros(len(text), dtype=bool)
    start = 0
    for line in text.split("\n"):
        if line.endswith(":") and line[:-1].replace(" ", "").isalpha():
            speaker[start : start + len(line)] = True
        start += len(line) + 1
    return {
        "inside a word": is_letter.astype(float),
        "a space or line break": (chars == " ") | newline,
        "capital letters": np.char.isupper(chars).astype(float),
        "position in the line": line_pos,
        "a speaker's name": speaker.astype(float),
        "punctuation": np.isin(chars, list(",.;:!?'-")).astype(float),
    }


def feature_correlations(ins: Inside, state: str = "h") -> tuple[list[str], np.ndarray]:
    """Pearson r between every text feature and every unit over the segment: (feature names (F,), r (F, H)).
    A feature that never changes in the segment is left out; a unit that never changes has r = 0."""
    acts = ins.h if state == "h" else ins.c  # (L, H)
    a = acts - acts.mean(axis=0)
    a_norm = np.sqrt((a * a).sum(axis=0))
    names, rows = [], []
    for name, sig in text_features(ins.text).items():
        s = np.asarray(sig, dtype=float)
        s = s - s.mean()
        s_norm = np.sqrt((s * s).sum())
        if s_norm == 0:
            continue  # the feature never changes in this segment
        with np.errstate(invalid="ignore", divide="ignore"):
            rows.append(np.nan_to_num((s @ a) / (s_norm * a_norm)))
        names.append(name)
    return names, np.array(rows).reshape(len(names), acts.shape[1])


QUIET_R = 0.3  # a unit whose |r| stays below this for every feature follows none of them closely


def quiet_units(ins: Inside, state: str = "h") -> int:
    """How many units follow none of the text features closely (|r| < QUIET_R for each)."""
    _, r = feature_correlations(ins, state)
    return int((np.abs(r) < QUIET_R).all(axis=0).sum()) if r.size else int(ins.h.shape[1])


def unit_finder(ins: Inside, state: str = "h") -> list[dict]:
    """For each text feature, the unit whose activation correlates most with it (by |Pearson r|).

    state: "h" or "c". Returns rows {"feature", "unit" (1-based), "r"} — leads for the student to check.
    """
    names, r = feature_correlations(ins, state)
    rows = []
    for name, row in zip(names, r, strict=True):
        best = int(np.argmax(np.abs(row)))
        rows.append({"feature": name, "unit": best + 1, "r": float(row[best])})
    return sorted(rows, key=lambda row: -abs(row["r"]))
