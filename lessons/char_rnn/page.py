"""Lesson: a character-level LSTM. Train it on Shakespeare (or your own text), sample from it with a temperature,
and look inside: the text coloured by one hidden unit, and the next-character odds.

Widgets (lessons/char_rnn/settings.py) -> CharConfig -> Train submits a job to the server's training board
(lessons.kit.live: a worker process, a queue, a live view with Stop; the same as the training lab) -> the trained
model kept in st.session_state keyed by the config -> cached lessons/char_rnn/recipe calls ->
lessons/char_rnn/figures. The pasted text is not bound to the URL: tens of KB do not fit in a link.

Cost per rerun is bounded: the pasted text has at most MAX_CHARS characters and the start text MAX_PRIME (both
stated on the page), the corpus is built once per text, nothing trains in the page script, and one click trains
at most MAX_STEPS steps or MAX_SECONDS seconds. Text the student pasted or typed is shown literally: in a code
block, escaped HTML, or Markdown with its punctuation escaped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from lessons.char_rnn import figures as figs
from lessons.char_rnn import recipe as demo
from lessons.char_rnn.recipe import CharRun
from lessons.char_rnn.settings import SEGMENT, SETTINGS, SHIPPED_PRIME, TRIES, config
from lessons.kit import live
from lessons.kit.curves import loss_curves
from lessons.kit.layout import beside, checked, control_box, csv_download, lesson_header, plot, user_errors
from lessons.kit.path import try_this
from lessons.kit.text import md_literal, plotly_literal
from lessons.kit.widgets import draw
from rnn_core.model import SequenceModel
from rnn_core.training import ema

ROOT = Path(__file__).resolve().parents[2]
PAGE = "lessons/char_rnn/page.py"
SHIPPED = ROOT / "assets" / "coriolanus.txt"
TEMPERATURES = (0.5, 1.0, 2.0)
MAX_STORED_RUNS = 6
MAX_STEPS = 20_000  # optimizer steps one click may ask for (the default run is 270)
MAX_SECONDS = 180.0  # and the time a training may take before it stops itself
LOSS_NAME = "nats per character"
BASELINE_NAME = "memoryless (letter frequencies)"


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


@st.cache_data(max_entries=8, show_spinner=False)
def hint(text: str) -> demo.Hint | None:
    return demo.context_hint(corpus_for(text))


def hint_sentence(h: demo.Hint | None) -> str:
    """The context example, from the text's own counts (a pasted text gets its own)."""
    if h is None:
        return "."
    ctx = md_literal(figs.show_char(h.context[0]) + figs.show_char(h.context[1]))
    ch = md_literal(figs.show_char(h.char))
    return (f" — in this text, after “{ctx}” comes “{ch}” {100 * h.after:.0f} % of the time, against its "
            f"{100 * h.overall:.0f} % average.")


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


# -- training (in a worker process, as in the training lab) ---------------------------------------------------
def runs() -> dict:
    return st.session_state.setdefault("char_runs", {})


def store(run: CharRun) -> None:
    stored = runs()
    stored.pop(run.config, None)
    stored[run.config] = run
    while len(stored) > MAX_STORED_RUNS:
        stored.pop(next(iter(stored)))


def submit(cfg: demo.CharConfig, corpus: demo.Corpus) -> None:
    """Queue a training on the server's board (one per student at a time: ignored while one is active)."""
    if st.session_state.get("char_job") is not None:
        return
    job = live.start(cfg.train_config(), demo.train_data(corpus, cfg.seq_len), max_seconds=MAX_SECONDS)
    if job is not None:
        st.session_state["char_job"] = (cfg, job)
        st.rerun()  # redraw the button as busy and show the live view


def collect() -> None:
    """File a finished job; runs before the Train button is drawn, so it is enabled again in the same run."""
    active = st.session_state.get("char_job")
    if active is None or not active[1].done:
        return
    cfg, job = st.session_state.pop("char_job")
    if job.result is not None:
        store(CharRun(cfg, job.result.model, job.result))
    elif "before it started" not in (job.error or ""):
        live.failed(job)


def watch(corpus: demo.Corpus) -> None:
    """The live view of the running (or waiting) job, if there is one."""
    active = st.session_state.get("char_job")
    if active is not None:
        cfg, job = active
        live.watch(job, key="char", title=f"LSTM H={cfg.hidden_size}", loss_name=LOSS_NAME, baseline=corpus.unigram,
                   baseline_name=BASELINE_NAME)


# -- 1 · the text and 2 · training ---------------------------------------------------------------------------
def text_section() -> tuple[str, str]:
    """Returns (text, text id). Stops the page with a message when the pasted text is not usable."""
    source = draw(SETTINGS["source"])
    if source == "shipped":
        return shipped_text(), "shipped"
    s = SETTINGS["text"]  # a text area, not bound to the URL (see settings.py)
    text = st.text_area(s.label, height=180, key=s.key, max_chars=demo.MAX_CHARS, help=s.help,
                        placeholder="It was a bright cold day in April, and the clocks were striking thirteen…")
    checked(demo.check_text, text)
    return text, hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def text_overview(text: str, corpus: demo.Corpus) -> None:
    visual, words = beside()
    with visual:
        chars, probs = frequencies(text)
        plot(figs.frequency_figure(chars, probs, title="All a memoryless model knows"),
             key="char_freq", alt="Character frequencies")
    with words:
        st.markdown(f"**{len(text):,} characters**, **{corpus.vocab_size} different ones**. Each character becomes "
                    f"a one-hot vector of length {corpus.vocab_size}, and the network is trained to predict the next "
                    f"character at every position. The last {100 * demo.VAL_FRACTION:.0f} % of the text is held out.")
        st.markdown(f"A **memoryless** model can only use how often each character occurs: it scores "
                    f"**{corpus.unigram:.3f} nats** per character on the held-out text. To beat it, the LSTM must "
                    f"use the characters before{hint_sentence(hint(text))}")


def training_controls(text_id: str) -> demo.CharConfig:
    S = SETTINGS
    c1, c2, c3, c4 = st.columns(4, gap="medium")
    values = {"hidden": draw(S["hidden"], c1), "seq_len": draw(S["seq_len"], c2), "lr": draw(S["lr"], c3),
              "epochs": draw(S["epochs"], c3), "seed": draw(S["seed"], c4)}
    return config(values, text_id)


def train_buttons(cfg: demo.CharConfig, corpus: demo.Corpus, busy: bool) -> bool:
    """Train and what a run will take; True when Train was pressed."""
    steps, n_windows = demo.step_plan(cfg, corpus)
    ok = steps <= MAX_STEPS
    b1, b2 = st.columns([1, 5], vertical_alignment="center")
    go_train = b1.button("Train", type="primary", icon=":material/play_arrow:", key="char_train", width="stretch",
                         disabled=busy or not ok,
                         help="A training of yours is running: stop it or wait for it." if busy else None)
    b2.caption(f"{steps:,} optimizer steps on {n_windows:,} windows of {cfg.seq_len} characters (Adam, clipping "
               f"by norm at {cfg.clip_threshold:g}); one click trains at most {MAX_STEPS:,} steps for at most "
               f"{MAX_SECONDS / 60:g} minutes. With the default settings the held-out loss passes the memoryless "
               f"model's within the first epoch; the rest of the run teaches it words.")
    if not ok:
        st.warning(f"That is more than the {MAX_STEPS:,} steps one click may train on this shared server: lower the "
                   f"epochs to {max(1, MAX_STEPS * cfg.epochs // steps)} or fewer.", icon=":material/speed:")
    return go_train


# -- after training ------------------------------------------------------------------------------------------
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
        plot(loss_curves(r.step_loss, ema(r.step_loss), r.val_steps, r.val_loss, loss_name=LOSS_NAME,
                         baseline=corpus.unigram, baseline_name=BASELINE_NAME,
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
    key = SETTINGS["prime"].key
    linked = st.query_params.get(key, "") if key not in st.session_state else ""
    prime = draw(SETTINGS["prime"], c1, default=default_prime, max_chars=demo.MAX_PRIME)
    if len(linked) > demo.MAX_PRIME:  # Streamlit keeps the first MAX_PRIME characters of a longer link value
        c1.caption(f":material/content_cut: The link's start text had {len(linked):,} characters; the box keeps the "
                   f"first {demo.MAX_PRIME}.")
    temp = draw(SETTINGS["temperature"], c2)
    length = draw(SETTINGS["length"], c3)
    seed = draw(SETTINGS["sample_seed"], c4)
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


def inside_controls(run: CharRun, corpus: demo.Corpus, text: str) -> tuple[str, int, int, int, list[dict]]:
    """Colour by h or c, which unit, where in the held-out text, which character's odds: (state, unit, start,
    position, the unit finder's leads, whose best one is where the unit box starts). The ranges follow the
    held-out text and the model's size."""
    S, H = SETTINGS, run.config.hidden_size
    val_len = len(corpus.val_text)
    c1, c2, c3, c4 = st.columns([1.2, 1, 1.4, 1.4], gap="medium")
    state = draw(S["state"], c1)
    start = 0
    if val_len > SEGMENT + 50:  # a short held-out text is shown whole, nothing to scroll
        start = draw(S["start"], c3, hi=val_len - SEGMENT, default=0)
    pos = draw(S["position"], c4, hi=min(SEGMENT, val_len) - 2, default=S["position"].default)
    leads = unit_leads(run.run_id, text, int(start), state, run.model)
    if st.session_state.get(S["unit"].key, 1) > H:  # a smaller model than the one the unit was picked for
        st.session_state[S["unit"].key] = H
    unit = draw(S["unit"], c2, hi=H, default=leads[0]["unit"] if leads else 1)
    return state, int(unit), int(start), int(pos), leads


@st.fragment
def inside_section(run: CharRun, corpus: demo.Corpus, text: str) -> None:
    st.subheader("4 · Look inside: what does one unit track?", anchor=False)
    state, unit, start, pos, leads = inside_controls(run, corpus, text)
    ins = look_inside(run.run_id, text, start, run.model)
    acts, limit = demo.unit_activations(ins, state, unit)
    visual, words = beside()
    with visual:
        st.html(figs.colour_legend_html(limit, f"{'h' if state == 'h' else 'c'} of unit {unit}"))
        st.html(figs.colored_text_html(ins.text, acts, limit, highlight=pos, label=f"unit {unit} {state}"))
        csv_download(pd.DataFrame({"char": list(ins.text), f"unit{unit}_{state}": acts}),
                     file_name=f"unrolled_char_unit{unit}.csv", key="char_dl_unit",
                     label="Download these activations (CSV)")
    with words:
        st.markdown("**Each character is coloured by one unit's value after reading it** — orange positive, blue "
                    "negative. Look for a unit that switches with something a reader would name: inside a word, "
                    "the speaker's name, the end of a line. Karpathy found units for quotes and line length this "
                    "way. " + leads_sentence(run, text, start, state, leads))
        leads = pd.DataFrame(leads)
        if not leads.empty:
            st.markdown("**Leads to check** (the unit whose value follows each pattern most closely, by correlation "
                        "r in this passage):")
            st.dataframe(leads, hide_index=True, width="stretch",
                         column_config={"r": st.column_config.NumberColumn(format="%.2f")})
    next_character(ins, pos)


@st.cache_data(max_entries=32, show_spinner=False)
def quiet(run_id: tuple, text: str, start: int, state: str, _model: SequenceModel) -> int:
    return demo.quiet_units(look_inside(run_id, text, start, _model), state)


def leads_sentence(run: CharRun, text: str, start: int, state: str, leads: list[dict]) -> str:
    """What this model's units do in this passage, from the correlations (not a promise about every model)."""
    if not leads:
        return ""
    n, H, top = quiet(run.run_id, text, start, state, run.model), run.config.hidden_size, leads[0]
    return (f"Here {n} of {H} units follow none of the patterns below closely (|r| < {demo.QUIET_R:g} for each); "
            f"the strongest lead is unit {top['unit']}, following *{top['feature']}* with r = {top['r']:.2f}.")


def next_character(ins: demo.Inside, pos: int) -> None:
    """The model's favourite next characters after the outlined one, and the one that really came next."""
    visual, words = beside()
    with visual:
        chars, probs, true_next = demo.top_k(ins, pos, 8)
        before = ins.text[max(0, pos - 30) : pos + 1]
        last = plotly_literal(figs.show_char(before[-1])) if before else ""
        plot(figs.top_k_figure(chars, probs, true_next, title=f"After “…{last}”: the next character"),
             key="char_topk", alt="Top next-character probabilities")
    with words:
        shown = md_literal(before.replace("\n", "⏎"))  # the student's own text: literally, never as Markdown
        nxt = md_literal(figs.show_char(true_next)) if true_next else "(end of passage)"
        st.markdown(f"The model has read **…{shown}** (outlined in the text). These are its 8 favourite next "
                    f"characters; the orange bar is the one that really came next: **“{nxt}”**.")


# -- page ----------------------------------------------------------------------------------------------------
lesson_header("Character-level RNN", "Teach a small LSTM to write like Shakespeare, one character at a time — "
              "then look inside it.", icon=":material/text_fields:")
st.subheader("1 · The text", anchor=False)
text, text_id = text_section()
corpus = checked(corpus_for, text)
text_overview(text, corpus)

st.subheader("2 · Train the LSTM", anchor=False)
with control_box():
    cfg = training_controls(text_id)
    collect()
    if train_buttons(cfg, corpus, busy=st.session_state.get("char_job") is not None):
        submit(cfg, corpus)
    watch(corpus)

run = runs().get(cfg)
if run is None:
    st.info("Press **Train**. Then you can sample text from the model and look inside it.", icon=":material/info:")
else:
    status(run, corpus)
    default_prime = SHIPPED_PRIME if text_id == "shipped" else text[:10].replace("\n", "\\n")
    results(run, corpus, text, default_prime)
try_this(PAGE, TRIES, SETTINGS)
