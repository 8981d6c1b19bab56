"""The char-RNN recipe: text checks, the corpus and its memoryless baseline, a tiny run that beats it,
seeded sampling, and the look-inside helpers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lessons.char_rnn import recipe as demo
from rnn_core.training import Trainer

TEXT = (Path(__file__).resolve().parents[3] / "assets" / "coriolanus.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus() -> demo.Corpus:
    return demo.make_corpus(TEXT[:8000])


@pytest.fixture(scope="module")
def trained(corpus):
    cfg = demo.CharConfig(hidden_size=24, seq_len=25, epochs=6, lr=0.02)
    trainer = Trainer(cfg.train_config(), demo.train_data(corpus, cfg.seq_len))
    for _ in trainer.run():
        pass
    return trainer.result()


# -- checks ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "message"), [
    ("", "The text is empty"),
    ("   \n\t  ", "The text is empty"),
    (None, "The text is empty"),
    ("To be, or not to be.", r"only 20 characters; .* at least 1,000"),
    ("a" * (demo.MAX_CHARS + 1), r"the limit is 200,000"),
    ("".join(chr(0x4E00 + i) for i in range(150)) * 10, r"uses 150 different characters; the limit is 100"),
])
def test_bad_texts_get_clear_messages(text, message):
    with pytest.raises(ValueError, match=message):
        demo.check_text(text)


def test_windows_line_endings_are_normalised():
    assert "\r" not in demo.check_text("line one\r\nline two\r" * 100)


def test_shipped_text_is_tens_of_kb_of_plain_english():
    assert 40_000 < len(TEXT) < 60_000
    assert demo.check_text(TEXT) == TEXT


# -- corpus and baseline --------------------------------------------------------------------------------
def test_corpus_holds_out_the_end_and_scores_the_unigram_baseline(corpus):
    assert corpus.cut == round(8000 * 0.9) and corpus.val_text == TEXT[corpus.cut : 8000]
    # the unigram loss lies between "perfect" (0) and "know nothing" (ln V)
    assert 2.5 < corpus.unigram < np.log(corpus.vocab_size)


def test_frequencies_are_sorted_probabilities(corpus):
    chars, probs = demo.frequencies(corpus, top=5)
    assert chars[0] == " " and len(chars) == 5
    assert (np.diff(probs) <= 0).all() and 0 < probs.sum() < 1


# -- training and sampling ------------------------------------------------------------------------------
def test_a_tiny_lstm_beats_the_memoryless_model(corpus, trained):
    assert trained.val_loss[-1] < corpus.unigram < trained.val_loss[0]


def test_sampling_is_seeded_and_uses_the_vocabulary(corpus, trained):
    a = demo.sample(trained.model, corpus, "MENENIUS:\n", 60, 0.8, seed=1)
    b = demo.sample(trained.model, corpus, "MENENIUS:\n", 60, 0.8, seed=1)
    c = demo.sample(trained.model, corpus, "MENENIUS:\n", 60, 0.8, seed=2)
    assert a == b != c and len(a) == 60 and set(a) <= set(corpus.dataset.vocab)


def test_low_temperature_is_more_repetitive_than_high(corpus, trained):
    cold = demo.sample(trained.model, corpus, "The ", 300, 0.2, seed=0)
    hot = demo.sample(trained.model, corpus, "The ", 300, 2.0, seed=0)
    assert len(set(cold)) < len(set(hot))


def test_unknown_start_characters_are_named(corpus, trained):
    with pytest.raises(ValueError, match="never saw '€'"):
        demo.sample(trained.model, corpus, "The €", 10, 1.0, seed=0)
    with pytest.raises(ValueError, match="at least one character"):
        demo.encode_prime(corpus, "")


def test_temperature_curve_sharpens_and_flattens(corpus, trained):
    chars, probs = demo.temperature_curve(trained.model, corpus, "th", (0.5, 1.0, 2.0), top=4)
    assert len(chars) == 4 and probs.shape == (3, 4)
    assert probs[0, 0] > probs[1, 0] > probs[2, 0]  # the favourite's share falls as τ rises


# -- looking inside -------------------------------------------------------------------------------------
def test_inside_runs_over_held_out_text(corpus, trained):
    ins = demo.inside(trained.model, corpus, start=10, length=120)
    assert ins.text == corpus.val_text[10:130]
    assert ins.h.shape == ins.c.shape == (120, 24) and ins.probs.shape == (120, corpus.vocab_size)
    np.testing.assert_allclose(ins.probs.sum(axis=1), 1.0)
    clamped = demo.inside(trained.model, corpus, start=10**6, length=10**6)
    assert clamped.text == corpus.val_text


def test_top_k_is_sorted_and_knows_the_true_next_character(corpus, trained):
    ins = demo.inside(trained.model, corpus, 0, 50)
    chars, probs, true_next = demo.top_k(ins, 5, k=4)
    assert len(chars) == 4 and (np.diff(probs) <= 0).all() and true_next == ins.text[6]
    assert demo.top_k(ins, 49)[2] is None  # nothing follows the last character of the passage


def test_text_features_mark_words_speakers_and_line_positions():
    f = demo.text_features("ALL:\nNo, sir.\n")
    np.testing.assert_array_equal(f["a speaker's name"][:4], 1)
    assert f["a speaker's name"][5:].sum() == 0
    assert f["inside a word"][5] == 1 and f["inside a word"][7] == 0
    assert f["position in the line"][0] == 0 and f["position in the line"].max() == 1


def test_unit_finder_finds_a_planted_unit():
    text = "ALL:\nWe know't, we know't.\n" * 4
    feats = demo.text_features(text)
    rng = np.random.default_rng(0)
    h = rng.normal(size=(len(text), 6)) * 0.1
    h[:, 4] = feats["capital letters"]  # unit 5 is a perfect capital-letter detector
    ins = demo.Inside(text, h, h.copy(), np.full((len(text), 3), 1 / 3), ("a", "b", "c"))
    rows = {r["feature"]: r for r in demo.unit_finder(ins, "h")}
    assert rows["capital letters"]["unit"] == 5 and rows["capital letters"]["r"] == pytest.approx(1.0)


def test_step_plan_counts_what_the_trainer_will_run(corpus):
    cfg = demo.CharConfig(seq_len=30, epochs=2)
    steps, windows = demo.step_plan(cfg, corpus)
    data = demo.train_data(corpus, cfg.seq_len)
    assert windows == len(data.x_train) == (corpus.cut - 1) // cfg.seq_len
    assert steps == Trainer(cfg.train_config(), data).total_steps


def test_unit_activations_use_the_units_own_range():
    h = np.array([[0.1, -2.0], [0.3, 1.0]])
    ins = demo.Inside("ab", h, 10 * h, np.full((2, 3), 1 / 3), ("a", "b", "c"))
    acts, limit = demo.unit_activations(ins, "h", 1)
    assert list(acts) == [0.1, 0.3] and limit == 0.3
    acts, limit = demo.unit_activations(ins, "c", 2)
    assert list(acts) == [-20.0, 10.0] and limit == 20.0
    assert demo.unit_activations(demo.Inside("a", np.zeros((1, 1)), np.zeros((1, 1)), np.ones((1, 1)), ("a",)),
                                 "h", 1)[1] == 1e-6
