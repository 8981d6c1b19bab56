"""Lesson: a character-level LSTM. Train it on Shakespeare (or your own text) in the browser, sample from it
with a temperature, and look inside: the text coloured by one hidden unit, and the next-character odds.

Widgets -> CharConfig -> a Trainer stepped here (progress, live loss, Stop; the same pattern as the training
lab) -> the trained model kept in st.session_state keyed by the config -> rnn_core.demos.char_rnn ->
views.figures.char_rnn. The pasted text is not bound to the URL: tens of KB do not fit in a link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core.demos import char_rnn as demo
from rnn_core.demos.training_lab import ema
from rnn_core.model import SequenceModel
from rnn_core.training import Trainer, TrainResult
from views.figures import char_rnn as figs
from views.figures.training import loss_curves
from views.lessons.common import beside, csv_download, lesson_header, live_updates, plot, user_errors

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "assets" / "coriolanus.txt"
SOURCES = {"shipped": "Shakespeare (shipped)", "pasted": "My own text"}  # labels go into the URL
LR_CHOICES = (0.001, 0.003, 0.01, 0.02, 0.05)
TEMPERATURES = (0.5, 1.0, 2.0)
UPDATE_EVERY = 0.3
SEGMENT = 500  # characters of held-out text shown in the "look inside" view
D = demo.CharConfig()


@dataclass
class CharRun:
    """A trained model and how its training went (kept in session_state; small: ~40k parameters)."""

    config: demo.CharConfig
    model: SequenceModel
    result: TrainResult

    @property
    def run_id(self) -> tuple:
        """Cache key for everything computed from the model: a stopped run differs from a finished one."""
        return (self.config, self.result.steps)


# -- cached --------------------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


@st.cache_data(max_entries=8, show_spinner=False)
def corpus_for(text: str) -> demo.Corpus:
    return demo.make_corpus(text)


@st.cache_data(max_entries=8, show_spinner=False)
def frequencies(text: str):
    return demo.frequencies(corpus_for(text))


@st.cache_data(max_entries=64, show_spinner=False)
def sample_text(run_id: tuple, text: str, prime: str, length: int, temperature: float, seed: int,
                _model: SequenceModel) -> str:
    return demo.sample(_model, corpus_for(text), prime, length, temperature, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def temperature_probs(run_id: tuple, text: str, prime: str, temps: tuple[float, ...], _model: SequenceModel):
    return demo.temperature_curve(_model, corpus_for(text), prime, temps)


@st.cache_data(max_entries=32, show_spinner=False)
def look_inside(run_id: tuple, text: str, start: int, _model: SequenceModel) -> demo.Inside:
    return demo.inside(_model, corpus_for(text), start, SEGMENT)


@st.cache_data(max_entries=64, show_spinner=False)
def unit_leads(run_id: tuple, text: str, start: int, state: str, _model: SequenceModel) -> list[dict]:
    return demo.unit_finder(look_inside(run_id, text, start, _model), state)


# -- training (same Stop pattern as the training lab) --------------------------------------------------------
def runs() -> dict:
    return st.session_state.setdefault("char_runs", {})


def store(run: CharRun) -> None:
    stored = runs()
    stored.pop(run.config, None)
    stored[run.config] = run
    while len(stored) > 6:
        stored.pop(next(iter(stored)))


def finish_interrupted() -> None:
    """A click during training interrupts the script; keep what the model learned until then."""
    active = st.session_state.pop("char_active", None)
    if active is not None:
        cfg, trainer = active
        result = replace(trainer.result(), stopped=True)
        if result.steps:
            store(CharRun(cfg, trainer.model, result))


def train(cfg: demo.CharConfig, corpus: demo.Corpus) -> None:
    bar = st.progress(0.0, text="Starting…")
    chart = st.empty()
    trainer = Trainer(cfg.train_config(), demo.train_data(corpus, cfg.seq_len))
    st.session_state["char_active"] = (cfg, trainer)
    for redraws, p in enumerate(live_updates(trainer.run(), UPDATE_EVERY), start=1):
        rate = p.step / p.elapsed if p.elapsed > 0 else 0.0
        bar.progress(p.fraction, text=f"step {p.step:,} of {p.total_steps:,} · epoch {p.epoch + 1} of {p.epochs} · "
                                      f"batch loss {p.train_loss:.3f} nats · {rate:,.0f} steps/s")
        snap = trainer.result()
        with chart:
            plot(loss_curves(snap.step_loss, ema(snap.step_loss), snap.val_steps, snap.val_loss,
                             total_steps=p.total_steps, loss_name="nats per character", baseline=corpus.unigram,
                             baseline_name="memoryless (letter frequencies)", title="training live", height=300),
                 key=f"char_live_{redraws}")
    st.session_state.pop("char_active", None)
    store(CharRun(cfg, trainer.model, trainer.result()))
    bar.empty()
    chart.empty()


# -- sections ------------------------------------------------------------------------------------------------
def text_section() -> tuple[str, str]:
    """Returns (text, text id). Stops the page with a message when the pasted text is not usable."""
    source = st.segmented_control("Text to learn from", list(SOURCES), format_func=SOURCES.get, default="shipped",
                                  required=True, key="char_source", bind="query-params")
    if source == "shipped":
        return shipped_text(), "shipped"
    text = st.text_area("Paste at least a few pages of plain text (stays in this session; not put in the URL)",
                        height=180, key="char_text",
                        placeholder="It was a bright cold day in April, and the clocks were striking thirteen…")
    with user_errors():
        demo.check_text(text)
    return text, hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def training_controls(text_id: str) -> demo.CharConfig:
    c1, c2, c3, c4 = st.columns(4, gap="medium")
    hidden = c1.slider("Hidden size H", 16, 128, D.hidden_size, 16, key="char_hidden", bind="query-params",
                       help="More units remember more, but each step costs more.")
    seq = c2.slider("Sequence length T", 10, 100, D.seq_len, 10, key="char_T", bind="query-params",
                    help="Characters per training window: backpropagation reaches at most this far back.")
    lr = c3.select_slider("Learning rate (Adam)", LR_CHOICES, D.lr, key="char_lr", bind="query-params",
                          format_func=lambda v: f"{v:g}")
    epochs = c3.slider("Epochs", 1, 40, D.epochs, key="char_epochs", bind="query-params",
                       help="One epoch = one pass over the training text.")
    seed = c4.number_input("Seed", 0, 9999, D.seed, key="char_seed", bind="query-params",
                           help="The same seed and settings train the same model.")
    return demo.CharConfig(hidden_size=int(hidden), seq_len=int(seq), lr=float(lr), epochs=int(epochs),
                           seed=int(seed), text_id=text_id)


def status(run: CharRun, corpus: demo.Corpus) -> None:
    r = run.result
    rate = r.steps / max(r.elapsed, 1e-9)
    done = f"{r.steps:,} of {r.total_steps:,} steps in {r.elapsed:.1f} s ({rate:,.0f} steps/s)"
    val = float(r.val_loss[-1]) if len(r.val_loss) else float("nan")
    gap = corpus.unigram - val
    verdict = (f"held-out loss **{val:.3f}** nats per character vs **{corpus.unigram:.3f}** for the memoryless "
               f"letter-frequency model — " + ("**better**, so it has learned context." if gap > 0 else
                                                "not better yet; train longer."))
    if r.diverged_step is not None:
        st.error(f"Training diverged at step {r.diverged_step}; lower the learning rate.", icon=":material/warning:")
    elif r.stopped:
        st.warning(f"Stopped early ({done}): {verdict}", icon=":material/stop_circle:")
    else:
        st.success(f"Trained ({done}): {verdict}", icon=":material/check_circle:")


def results(run: CharRun, corpus: demo.Corpus, text: str, default_prime: str) -> None:
    r = run.result
    visual, words = beside()
    with visual:
        plot(loss_curves(r.step_loss, ema(r.step_loss), r.val_steps, r.val_loss, loss_name="nats per character",
                         baseline=corpus.unigram, baseline_name="memoryless (letter frequencies)",
                         title="Cross-entropy: how surprised the model is by the next character"),
             key="char_loss", alt="Training and validation loss")
        frame = pd.DataFrame({"step": np.arange(1, r.steps + 1), "train_loss": r.step_loss})
        frame = frame.merge(pd.DataFrame({"step": r.val_steps, "val_loss": r.val_loss}), on="step", how="left")
        csv_download(frame, file_name="unrolled_char_rnn_loss.csv", key="char_dl_loss")
    with words:
        st.markdown("**Loss in nats per character.** The model outputs a probability for every possible next "
                    "character; the loss is $-\\ln p(\\text{true next character})$, averaged. A model that knew "
                    "nothing would pay $\\ln V$ "
                    f"= {np.log(corpus.vocab_size):.2f}; one that only knows how common each letter is pays "
                    f"{corpus.unigram:.2f} (the dashed line). Going below it means the LSTM uses what came before.")
    sample_section(run, corpus, text, default_prime)
    inside_section(run, corpus, text)


@st.fragment
def sample_section(run: CharRun, corpus: demo.Corpus, text: str, default_prime: str) -> None:
    st.subheader("3 · Let it write", anchor=False)
    c1, c2, c3, c4 = st.columns([2, 1.4, 1.4, 1], gap="medium")
    prime = c1.text_input("Start text", default_prime, key="char_prime", bind="query-params",
                          help="The model reads this first, then continues it one sampled character at a time. "
                               "Type \\n for a new line.")
    temp = c2.slider("Temperature τ", 0.1, 2.0, 0.8, 0.1, key="char_temp", bind="query-params",
                     help="Below 1: safer, more repetitive. Above 1: more surprising, more mistakes.")
    length = c3.slider("Characters to write", 100, 1000, 400, 50, key="char_len", bind="query-params")
    seed = c4.number_input("Sampling seed", 0, 9999, 0, key="char_sample_seed", bind="query-params")
    prime = prime.replace("\\n", "\n")
    with user_errors(stop=False):
        out = sample_text(run.run_id, text, prime, int(length), float(temp), int(seed), run.model)
        all_t = tuple(sorted({*TEMPERATURES, round(float(temp), 2)}))
        chars, tprobs = temperature_probs(run.run_id, text, prime, all_t, run.model)
        visual, words = beside()
        with visual:
            st.code(prime + out, language=None, wrap_lines=True)
        with words:
            st.markdown("**Sampling.** At each step the model turns its scores $z_i$ into probabilities, draws one "
                        "character, and feeds it back in as the next input:")
            st.latex(r"p_i = \frac{e^{z_i/\tau}}{\sum_j e^{z_j/\tau}}")
            st.markdown("Small τ sharpens the distribution (the model plays safe and repeats itself); large τ "
                        "flattens it (inventive, with more typos). The same seed gives the same text.")
        visual, words = beside()
        with visual:
            plot(figs.temperature_figure(chars, tprobs, all_t, chosen=float(temp),
                                         title="Next-character odds after the start text, at several τ"),
                 key="char_temp_fig", alt="Next-character probabilities at several temperatures")
        with words:
            st.markdown("The bars are the model's odds for the character right after your start text. Watch the "
                        "favourite's share grow as τ falls and the bars even out as τ rises — that is all "
                        "temperature does.")


@st.fragment
def inside_section(run: CharRun, corpus: demo.Corpus, text: str) -> None:
    st.subheader("4 · Look inside: what does one unit track?", anchor=False)
    H = run.config.hidden_size
    val_len = len(corpus.val_text)
    c1, c2, c3, c4 = st.columns([1.2, 1, 1.4, 1.4], gap="medium")
    state = c1.segmented_control("Colour by", ["h", "c"], format_func={"h": "hidden h", "c": "cell c"}.get,
                                 default="c", required=True, key="char_state", bind="query-params",
                                 help="h = o ⊙ tanh(c) is what the next layer sees; c is the LSTM's memory belt.")
    start = 0
    if val_len > SEGMENT + 50:  # a short held-out text is shown whole, nothing to scroll
        start = c3.slider("Where in the held-out text", 0, val_len - SEGMENT, 0, 50, key="char_start",
                          bind="query-params")
    pos = c4.slider("Character for the next-letter odds", 0, min(SEGMENT, val_len) - 2, 40, key="char_pos",
                    bind="query-params")
    leads = unit_leads(run.run_id, text, int(start), state, run.model)
    if st.session_state.get("char_unit", 1) > H:  # a smaller model than the one the unit was picked for
        st.session_state["char_unit"] = H
    unit = c2.number_input("Unit", 1, H, leads[0]["unit"] if leads else 1, key="char_unit", bind="query-params",
                           help="Starts at the most promising lead from the table below.")
    ins = look_inside(run.run_id, text, int(start), run.model)
    acts = (ins.h if state == "h" else ins.c)[:, int(unit) - 1]
    limit = max(float(np.abs(acts).max()), 1e-6)  # this unit's own range, so even a quiet unit shows its pattern
    visual, words = beside()
    with visual:
        st.html(figs.colour_legend_html(limit, f"{'h' if state == 'h' else 'c'} of unit {int(unit)}"))
        st.html(figs.colored_text_html(ins.text, acts, limit, highlight=int(pos),
                                       label=f"unit {int(unit)} {state}"))
        csv_download(pd.DataFrame({"char": list(ins.text), f"unit{int(unit)}_{state}": acts}),
                     file_name=f"unrolled_char_unit{int(unit)}.csv", key="char_dl_unit",
                     label="Download these activations (CSV)")
    with words:
        st.markdown("**Each character is coloured by one unit's value after reading it** — orange positive, blue "
                    "negative. Most units look like noise; a few switch on for something a reader would name: "
                    "inside a word, the speaker's name, the end of a line. Karpathy found units for quotes and "
                    "line length this way.")
        leads = pd.DataFrame(leads)
        if not leads.empty:
            st.markdown("**Leads to check** (the unit whose value follows each pattern most closely, by correlation "
                        "r in this passage):")
            st.dataframe(leads, hide_index=True, width="stretch",
                         column_config={"r": st.column_config.NumberColumn(format="%.2f")})
    visual, words = beside()
    with visual:
        chars, probs, true_next = demo.top_k(ins, int(pos), 8)
        before = ins.text[max(0, int(pos) - 30) : int(pos) + 1]
        plot(figs.top_k_figure(chars, probs, true_next,
                               title=f"After “…{figs.show_char(before[-1]) if before else ''}”: the next character"),
             key="char_topk", alt="Top next-character probabilities")
    with words:
        shown = before.replace("\n", "⏎")
        nxt = figs.show_char(true_next) if true_next else "(end of passage)"
        st.markdown(f"The model has read **…{shown}** (outlined in the text). These are its 8 favourite next "
                    f"characters; the orange bar is the one that really came next: **“{nxt}”**.")


# -- page ----------------------------------------------------------------------------------------------------
lesson_header("Character-level RNN", "Teach a small LSTM to write like Shakespeare, one character at a time — "
              "then look inside it.", icon=":material/text_fields:")
finish_interrupted()

st.subheader("1 · The text", anchor=False)
text, text_id = text_section()
with user_errors():
    corpus = corpus_for(text)
visual, words = beside()
with visual:
    chars, probs = frequencies(text)
    plot(figs.frequency_figure(chars, probs, title="The most common characters: all a memoryless model knows"),
         key="char_freq", alt="Character frequencies")
with words:
    st.markdown(f"**{len(text):,} characters**, **{corpus.vocab_size} different ones**. Each character becomes a "
                f"one-hot vector of length {corpus.vocab_size}, and the network is trained to predict the next "
                f"character at every position. The last {100 * demo.VAL_FRACTION:.0f} % of the text is held out.")
    st.markdown(f"A **memoryless** model can only use how often each character occurs: it scores "
                f"**{corpus.unigram:.3f} nats** per character on the held-out text. To beat it, the LSTM must use "
                f"the characters before — after “th” an “e” is far likelier than its 9 % average.")

st.subheader("2 · Train the LSTM", anchor=False)
with st.container(border=True):
    cfg = training_controls(text_id)
    n_windows = (corpus.cut - 1) // cfg.seq_len
    steps = cfg.epochs * -(-n_windows // cfg.batch_size)
    b1, b2, b3 = st.columns([1, 1, 4], vertical_alignment="center")
    go = b1.button("Train", type="primary", icon=":material/play_arrow:", key="char_train", width="stretch")
    b2.button("Stop", icon=":material/stop:", key="char_stop", width="stretch",
              help="Stops training and keeps the model as it is so far.")
    b3.caption(f"{steps:,} optimizer steps on {n_windows:,} windows of {cfg.seq_len} characters (Adam, clipping "
               f"by norm at {cfg.clip_threshold:g}). The loss drops below the memoryless model's within the first "
               f"few seconds; the rest of the run teaches it words.")
    if go:
        train(cfg, corpus)

run = runs().get(cfg)
if run is None:
    st.info("Press **Train**. Then you can sample text from the model and look inside it.", icon=":material/info:")
else:
    status(run, corpus)
    # The box shows a new line as the two characters \n (a text input has no line breaks); see sample_section.
    default_prime = "MENENIUS:\\n" if text_id == "shipped" else text[:10].replace("\n", "\\n")
    results(run, corpus, text, default_prime)
