"""Claims of the /char-rnn lesson, checked against the engine (see tests/claims/README.md).

Models are trained at the page's settings (CharConfig defaults: LSTM H = 64, windows of 50, Adam lr 0.01, clipping
by norm at 5) with five seeds, two at a time in worker processes. Claims about sampling use models trained for three
epochs (of the default ten): they hold from then on, and the full runs would cost the CI four times as much.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from claims.helpers import assert_the_seed_decides_the_model, train_all, trained

from lessons.char_rnn import recipe as demo
from lessons.char_rnn.settings import SETTINGS, TRIES, config
from lessons.kit.curves import loss_curves
from rnn_core.losses import softmax, softmax_cross_entropy
from rnn_core.training import Trainer, TrainResult

# A module's first slow test also trains the shared runs of its fixture (five seeds, several settings): minutes
# on a loaded 2-core machine, so these tests get more than the suite's 300 s each.
pytestmark = pytest.mark.timeout(1200)

SEEDS = range(5)
SHIPPED = (Path(demo.__file__).resolve().parents[2] / "assets" / "coriolanus.txt").read_text(encoding="utf-8")
PASTED = ("It was a bright cold day in April, and the clocks were striking thirteen. Winston Smith, his chin "
          "nuzzled into his breast in an effort to escape the vile wind, slipped quickly through the glass doors "
          "of Victory Mansions, though not quickly enough to prevent a swirl of gritty dust from entering along "
          "with him. ") * 8
D = demo.CharConfig()


@pytest.fixture(scope="module")
def corpus() -> demo.Corpus:
    return demo.make_corpus(SHIPPED)


def _fit(cfg: demo.CharConfig) -> TrainResult:
    """One full training, in a worker process (see ``train_all``)."""
    return trained(cfg.train_config(), demo.train_data(demo.make_corpus(SHIPPED), cfg.seq_len))


@pytest.fixture(scope="module")
def one_epoch() -> list[TrainResult]:
    return train_all(_fit, [replace(D, epochs=1, seed=s) for s in SEEDS])


@pytest.fixture(scope="module")
def three_epochs() -> list[TrainResult]:
    return train_all(_fit, [replace(D, epochs=3, seed=s) for s in SEEDS])


# -- the text -------------------------------------------------------------------------------------------------
def test_one_hot_inputs_and_the_held_out_tenth(corpus):
    """/char-rnn, the text: "Each character becomes a one-hot vector of length V, and the network is trained to
    predict the next character at every position. The last 10 % of the text is held out."

    Checked at: the shipped text and a pasted one, every sequence length the slider offers."""
    for text in (SHIPPED, PASTED):
        c = demo.make_corpus(text)
        assert c.cut == round(0.9 * len(text)) and c.val_text == text[c.cut :]
        for T in range(10, 101, 10):
            data = demo.train_data(c, T)
            x, y = data.x_train, data.y_train
            assert data.one_hot == c.vocab_size and x.shape[1] == T
            np.testing.assert_array_equal(y[:, :-1], x[:, 1:])  # the target is the next character
            assert (x[-1] < c.vocab_size).all()
    assert c.dataset.one_hot(np.array([2])).shape == (1, c.vocab_size)


def test_the_memoryless_score_is_the_letter_frequencies_cross_entropy(corpus):
    """/char-rnn, the text: "A **memoryless** model can only use how often each character occurs: it scores X nats
    per character on the held-out text."; loss chart: "one that only knows how common each letter is pays X (the
    dashed line)."

    Checked at: the shipped and a pasted text, recomputed by counting characters (add-one smoothing)."""
    for text in (SHIPPED, PASTED):
        c = demo.make_corpus(text)
        counts = Counter(text[: c.cut])
        total = c.cut + len(c.dataset.vocab)
        expected = -np.mean([np.log((counts[ch] + 1) / total) for ch in text[c.cut :]])
        assert c.unigram == pytest.approx(expected, rel=1e-12)
    fig = loss_curves(np.array([3.0, 2.5]), np.array([3.0, 2.8]), np.array([0]), np.array([3.1]),
                      baseline=corpus.unigram)
    assert fig.layout.shapes[0].y0 == pytest.approx(corpus.unigram) and fig.layout.shapes[0].line.dash == "dash"


def test_after_th_comes_e_far_more_often_than_on_average(corpus):
    """/char-rnn, the text: "in this text, after “th” comes “e” 54 % of the time, against its 9 % average." (written
    from the text's own counts; a pasted text gets its own pair).

    Checked at: the shipped text and a pasted one, recounted with overlapping matches."""
    for text in (SHIPPED, PASTED):
        c = demo.make_corpus(text)
        h = demo.context_hint(c)
        train = text[: c.cut]
        seen = len(re.findall(f"(?={re.escape(h.context)}.)", train, flags=re.S))
        followed = len(re.findall(f"(?={re.escape(h.context + h.char)})", train, flags=re.S))
        assert h.after == pytest.approx(followed / seen)
        assert h.overall == pytest.approx(train.count(h.char) / len(train))
        assert h.after > 2 * h.overall and seen >= demo.HINT_MIN_SEEN
    shipped = demo.context_hint(corpus)
    assert (shipped.context, shipped.char) == ("th", "e")
    assert round(100 * shipped.after) == 54 and round(100 * shipped.overall) == 9


# -- training ------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_memoryless_score_is_passed_within_the_first_epoch(one_epoch, corpus):
    """/char-rnn, under the Train button: "With the default settings the held-out loss passes the memoryless model's
    within the first epoch; the rest of the run teaches it words."

    Checked at: the page's defaults, seeds 0–4: the held-out loss at the end of epoch 1 (27 steps of 270)."""
    for res in one_epoch:
        assert res.epoch_val_loss[0] < corpus.unigram, res.epoch_val_loss


def test_knowing_nothing_costs_ln_v(corpus):
    """/char-rnn, loss chart: "A model that knew nothing would pay ln V = 4.08"

    Checked at: the shipped text's vocabulary (V = 59) and a pasted text's: equal odds for every character."""
    for c in (corpus, demo.make_corpus(PASTED)):
        V = c.vocab_size
        targets = c.dataset.data[c.cut :]
        logits = np.zeros((len(targets), 1, V))
        assert softmax_cross_entropy(logits, targets[:, None])[0] == pytest.approx(np.log(V))
    assert f"{np.log(corpus.vocab_size):.2f}" == "4.08"


def test_the_same_seed_and_settings_train_the_same_model():
    """/char-rnn, help of "Seed": "The same seed and settings train the same model."

    Checked at: the page's settings with seeds 0 and 1, stopped after 5 steps (trained twice each)."""
    data = demo.train_data(demo.make_corpus(SHIPPED), D.seq_len)
    assert_the_seed_decides_the_model(lambda seed: replace(D, seed=seed).train_config(), data, steps=5)


def test_more_units_more_weights_and_windows_bound_the_gradients_reach():
    """/char-rnn, help of "Hidden size H": "More units, more weights (an LSTM has 4·H·(H + V + 2)): each step costs
    more."; help of "Sequence length T": "Characters per training window: backpropagation reaches at most this far
    back."

    Checked at: H ∈ {16, …, 128} (the slider's steps); T ∈ {10, 100}: every training window is T characters and
    starts from a zero state, so no gradient crosses a window."""
    corpus = demo.make_corpus(SHIPPED)
    V = corpus.vocab_size
    for H in range(16, 129, 16):
        trainer = Trainer(replace(D, hidden_size=H).train_config(), demo.train_data(corpus, 10))
        cell = sum(v.size for k, v in trainer.model.params.items() if not k.startswith("head"))
        assert cell == 4 * H * (H + V + 2)
    for T in (10, 100):
        data = demo.train_data(corpus, T)
        assert data.x_train.shape[1] == T and D.train_config().bptt is None
        trainer = Trainer(replace(D, seq_len=T).train_config(), data)
        starts = []
        real = trainer.model.loss_and_grads
        trainer.model.loss_and_grads = lambda x, y, _r=real, _s=starts, **kw: _s.append(kw.get("h0")) or _r(x, y, **kw)
        run = trainer.run()
        for _ in range(3):
            next(run)
        assert starts and all(h0 is None for h0 in starts)


# -- sampling --------------------------------------------------------------------------------------------------
PRIMES = ("MENENIUS:\n", "First Citizen:\n", "the ", "Th", "C")


def distinct_share(text: str, n: int = 4) -> float:
    grams = [text[i : i + n] for i in range(len(text) - n + 1)]
    return len(set(grams)) / len(grams)


def unknown_words(text: str, known: set[str]) -> float:
    words = re.findall(r"[a-z]+", text.lower())
    return sum(w not in known for w in words) / max(1, len(words))


@pytest.mark.slow
def test_low_temperature_repeats_itself_and_high_temperature_makes_more_typos(three_epochs, corpus):
    """/char-rnn, sampling: "Small τ sharpens the distribution (the model plays safe and repeats itself); large τ
    flattens it (inventive, with more typos)."; help of "Temperature τ": "Below 1: safer, more repetitive. Above 1:
    more surprising, more mistakes."

    Checked at: models of seeds 0–4 (three epochs of the page's settings), 400 characters after "MENENIUS:\\n", τ = 0.5
    against τ = 1.6, sampling seeds 0–4 pooled: fewer distinct 4-grams at the low τ, a larger share of words that
    never occur in the training text at the high τ."""
    known = set(re.findall(r"[a-z]+", corpus.dataset.text[: corpus.cut].lower()))
    for res in three_epochs:
        low = "".join(demo.sample(res.model, corpus, "MENENIUS:\n", 400, 0.5, s) for s in SEEDS)
        high = "".join(demo.sample(res.model, corpus, "MENENIUS:\n", 400, 1.6, s) for s in SEEDS)
        assert distinct_share(low) < distinct_share(high)
        assert unknown_words(high, known) > unknown_words(low, known)


@pytest.mark.slow
def test_temperature_only_sharpens_or_flattens_the_odds(three_epochs, corpus):
    """/char-rnn, sampling: "Small τ sharpens the distribution …; large τ flattens it"; temperature chart: "Watch
    the favourite's share grow as τ falls and the bars even out as τ rises — that is all temperature does."

    Checked at: models of seeds 0–4 (three epochs), five start texts, every τ on the slider (0.1 … 2.0): the
    favourite's share and the distribution's entropy move monotonically with τ, and the order of the bars never
    changes."""
    taus = np.round(np.arange(0.1, 2.01, 0.1), 1)
    for res in three_epochs:
        for prime in PRIMES:
            chars, probs = demo.temperature_curve(res.model, corpus, prime, tuple(taus), top=8)
            assert np.all(np.diff(probs[:, 0]) < 1e-12)  # the favourite's share shrinks as τ grows
            assert np.all(np.diff(probs, axis=1) <= 1e-15)  # at every τ the bars keep the order of τ = 1
            logits = res.model.predict(corpus.dataset.one_hot(corpus.dataset.encode(prime)), mode="many_to_one")
            full = np.stack([softmax(logits, t) for t in taus])
            entropy = -(full * np.log(np.maximum(full, 1e-300))).sum(axis=1)
            assert np.all(np.diff(entropy) > -1e-12)


def test_the_same_seed_gives_the_same_text(corpus):
    """/char-rnn, sampling: "The same seed gives the same text."

    Checked at: an untrained model of the page's size and one after 5 steps; sampling seeds 0–4 at τ ∈ {0.5, 1.6}."""
    for model_steps in (0, 5):
        trainer = Trainer(D.train_config(), demo.train_data(corpus, D.seq_len))
        run = trainer.run()
        for _ in range(model_steps):
            next(run)
        for s in SEEDS:
            for tau in (0.5, 1.6):
                a = demo.sample(trainer.model, corpus, "the ", 100, tau, s)
                assert a == demo.sample(trainer.model, corpus, "the ", 100, tau, s)
                assert a != demo.sample(trainer.model, corpus, "the ", 100, tau, s + 1)


# -- looking inside ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_units_sentence_counts_what_the_correlations_say(three_epochs, corpus):
    """/char-rnn, look inside: "Here n of H units follow none of the patterns below closely (|r| < 0.3 for each);
    the strongest lead is unit u, following *feature* with r = …"

    Checked at: models of seeds 0–4 (three epochs), the held-out passages at 0 and 2,000 characters, h and c:
    recomputed with numpy's corrcoef for every unit and feature."""
    for res in three_epochs:
        for start in (0, 2000):
            ins = demo.inside(res.model, corpus, start, 500)
            for state in ("h", "c"):
                acts = ins.h if state == "h" else ins.c
                feats = {k: np.asarray(v, float) for k, v in demo.text_features(ins.text).items()}
                feats = {k: v for k, v in feats.items() if np.ptp(v) > 0}
                r = np.array([[np.corrcoef(f, acts[:, u])[0, 1] if np.ptp(acts[:, u]) > 0 else 0.0
                               for u in range(acts.shape[1])] for f in feats.values()])
                assert demo.quiet_units(ins, state) == int((np.abs(r) < demo.QUIET_R).all(axis=0).sum())
                top = demo.unit_finder(ins, state)[0]
                i, u = np.unravel_index(np.argmax(np.abs(r)), r.shape)
                assert top["unit"] == u + 1 and top["r"] == pytest.approx(r[i, u], abs=1e-9)


def test_h_is_what_the_next_layer_sees_and_c_the_belt(corpus):
    """/char-rnn, help of "Colour by": "h = o ⊙ tanh(c) is what the next layer sees; c is the LSTM's memory belt."

    Checked at: the page's LSTM (H = 64) on 100 held-out characters: h_t = o_t ⊙ tanh(c_t) at every step, and the
    readout depends on h alone."""
    trainer = Trainer(D.train_config(), demo.train_data(corpus, D.seq_len))
    model = trainer.model
    x = corpus.dataset.one_hot(corpus.dataset.encode(corpus.val_text[:100]))
    trace, logits = model.forward(x, mode="many_to_many")
    np.testing.assert_allclose(trace.h, trace.gates["o"] * np.tanh(trace.c), atol=1e-12)
    np.testing.assert_allclose(logits, trace.h @ model.head.params["weight"].T + model.head.params["bias"], atol=1e-12)


def test_the_orange_bar_is_what_really_came_next(corpus):
    """/char-rnn, next character: "These are its 8 favourite next characters; the orange bar is the one that really
    came next"

    Checked at: an untrained model of the page's size, every 25th position of a 500-character passage."""
    model = Trainer(D.train_config(), demo.train_data(corpus, D.seq_len)).model
    ins = demo.inside(model, corpus, 0, 500)
    for pos in range(0, 499, 25):
        chars, probs, true_next = demo.top_k(ins, pos, 8)
        order = np.argsort(-ins.probs[pos], kind="stable")[:8]
        assert chars == [ins.vocab[i] for i in order] and np.all(np.diff(probs) <= 0)
        assert true_next == ins.text[pos + 1]


def test_pasted_text_stays_out_of_the_url():
    """/char-rnn, label of the text box: "(stays in this session; not put in the URL)"

    Checked at: the text box's setting: it is drawn unbound (not through kit.widgets.draw), and no setting of the
    page writes a key for the text into a link."""
    source = (Path(demo.__file__).parent / "page.py").read_text(encoding="utf-8")
    assert 'st.text_area(s.label' in source and "bind=" not in source.split("st.text_area(s.label")[1].split(")")[0]
    assert 'draw(SETTINGS["text"]' not in source
    assert SETTINGS["text"].key == "char_text"


# -- "Try this" ----------------------------------------------------------------------------------------------------
def link_config(tip) -> demo.CharConfig:
    """The training run a "Try this" link opens, as the page reads it back from the link (shipped text)."""
    values = {name: s.default for name, s in SETTINGS.items()}
    by_key = {s.key: name for name, s in SETTINGS.items()}
    for key, raw in tip.query(SETTINGS).items():
        values[by_key[key]] = SETTINGS[by_key[key]].from_link(raw)
    return config(values)


@pytest.mark.slow
def test_the_try_links_promises_hold_at_their_settings(one_epoch, three_epochs, corpus):
    """/char-rnn "Try this": "1 epoch (27 steps): after Train the held-out loss is already below the letter
    frequencies' dashed line"; "3 epochs, then write at τ = 0.5 and at τ = 1.6: the low τ repeats itself, the high one
    invents words".

    Checked at: each link's settings as the page reads them (the seed 0 it opens with, and seeds 1–4); 400 characters
    after the page's start text "MENENIUS:\\n" with the page's sampling seed 0 (not pooled): fewer distinct 4-grams at
    τ = 0.5, a larger share of words never seen in the training text at τ = 1.6."""
    one, three = (link_config(t) for t in TRIES)
    assert one == replace(D, epochs=1) and three == replace(D, epochs=3)  # the fixtures train exactly these
    assert demo.step_plan(one, corpus)[0] == 27
    for res in one_epoch:
        assert res.val_loss[-1] < corpus.unigram and res.epoch_val_loss[-1] < corpus.unigram
    known = set(re.findall(r"[a-z]+", corpus.dataset.text[: corpus.cut].lower()))
    prime = SETTINGS["prime"].default.replace("\\n", "\n")
    length, seed = SETTINGS["length"].default, SETTINGS["sample_seed"].default
    for res in three_epochs:
        low = demo.sample(res.model, corpus, prime, length, 0.5, seed)
        high = demo.sample(res.model, corpus, prime, length, 1.6, seed)
        assert distinct_share(low) < distinct_share(high)
        assert unknown_words(high, known) > unknown_words(low, known)
