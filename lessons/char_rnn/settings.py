"""The /char-rnn lesson's controls, each described once (see lessons/kit/settings.py)."""

from __future__ import annotations

from lessons.char_rnn.recipe import MAX_CHARS, MAX_PRIME, MAX_VOCAB, MIN_CHARS, CharConfig
from lessons.kit.settings import Setting, Try

D = CharConfig()
SOURCES = {"shipped": "Shakespeare (shipped)", "pasted": "My own text"}  # labels go into the URL
LR_CHOICES = (0.001, 0.003, 0.01, 0.02, 0.05)
STATE_LABELS = {"h": "hidden h", "c": "cell c"}
SEGMENT = 500  # characters of held-out text shown in the "look inside" view
SHIPPED_PRIME = "MENENIUS:\\n"  # the box shows a new line as the two characters \n (a text input has one line)

SETTINGS = {
    # 1 · the text
    "source": Setting("char_source", "Text to learn from", D.text_id, "segmented", options=tuple(SOURCES),
                      labels=SOURCES),
    # Drawn by the page as a text area that is not bound to the URL: tens of KB do not fit in a link.
    "text": Setting("char_text", "Paste at least a few pages of plain text (stays in this session; not put in the URL)",
                    "", "text",
                    help=f"From {MIN_CHARS:,} to {MAX_CHARS:,} characters, at most {MAX_VOCAB} different ones."),
    # 2 · training
    "hidden": Setting("char_hidden", "Hidden size H", D.hidden_size, lo=16, hi=128, step=16,
                      help="More units, more weights (an LSTM has 4·H·(H + V + 2)): each step costs more."),
    "seq_len": Setting("char_T", "Sequence length T", D.seq_len, lo=10, hi=100, step=10,
                       help="Characters per training window: backpropagation reaches at most this far back."),
    "lr": Setting("char_lr", "Learning rate (Adam)", D.lr, "select_slider", options=LR_CHOICES),
    "epochs": Setting("char_epochs", "Epochs", D.epochs, lo=1, hi=40,
                      help="One epoch = one pass over the training text."),
    "seed": Setting("char_seed", "Seed", D.seed, "number", lo=0, hi=9999,
                    help="The same seed and settings train the same model."),
    # 3 · sampling (the start text's default follows the text: see the page)
    "prime": Setting("char_prime", "Start text", SHIPPED_PRIME, "text",
                     help=f"The model reads this first, then continues it one sampled character at a time. "
                          f"Type \\n for a new line. At most {MAX_PRIME} characters, all from the training text."),
    "temperature": Setting("char_temp", "Temperature τ", 0.8, lo=0.1, hi=2.0, step=0.1,
                           help="Below 1: safer, more repetitive. Above 1: more surprising, more mistakes."),
    "length": Setting("char_len", "Characters to write", 400, lo=100, hi=1000, step=50),
    "sample_seed": Setting("char_sample_seed", "Sampling seed", 0, "number", lo=0, hi=9999),
    # 4 · looking inside (the ranges follow the held-out text and the model: see the page)
    "state": Setting("char_state", "Colour by", "c", "segmented", options=tuple(STATE_LABELS), labels=STATE_LABELS,
                     help="h = o ⊙ tanh(c) is what the next layer sees; c is the LSTM's memory belt."),
    "unit": Setting("char_unit", "Unit", 1, "number", lo=1, hi=128,
                    help="Starts at the most promising lead from the table below."),
    "start": Setting("char_start", "Where in the held-out text", 0, lo=0, hi=MAX_CHARS, step=50),
    "position": Setting("char_pos", "Character for the next-letter odds", 40, lo=0, hi=SEGMENT - 2),
}

# "Try this": each promise is checked by tests/claims/test_char_rnn.py at exactly these settings (five seeds).
TRIES = (
    Try("One epoch", ":material/looks_one:", "1 epoch (27 steps): after Train the held-out loss is already below "
        "the letter frequencies' dashed line", {"epochs": 1}),
    Try("Safe or bold", ":material/thermostat:", "3 epochs, then write at τ = 0.5 and at τ = 1.6: the low τ repeats "
        "itself, the high one invents words", {"epochs": 3}),
)


def config(values: dict, text_id: str = "shipped") -> CharConfig:
    """The training run the controls describe. ``values``: name -> widget value for the training settings;
    ``text_id`` names the text ("shipped", or a hash of the pasted text)."""
    return CharConfig(hidden_size=int(values["hidden"]), seq_len=int(values["seq_len"]), lr=float(values["lr"]),
                      epochs=int(values["epochs"]), seed=int(values["seed"]), text_id=text_id)
