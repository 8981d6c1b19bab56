"""Read a student's uploaded CSV/TXT into one clean numeric series, with a clear message for every mistake.

Pure pandas + NumPy (no Streamlit), so every message is unit-tested. Errors are ``UploadError``
(a ValueError), whose text is written for a student and shown as it is (pages show it literally: it quotes
the file's name and cells, which may hold Markdown or HTML).

Row numbers in messages are spreadsheet rows: the header line is row 1, the first value row 2
(for a file without a header line the first value is row 1) — what a student sees when they open
the file to fix it.

Cost is bounded and linear in the file: at most ``MAX_BYTES`` bytes, ``MAX_ROWS`` rows and ``MAX_COLUMNS``
columns, checked before the table is parsed; trailing blank lines are cut in one pass; duplicate column names
are counted once. ``read_upload`` reads a file once into everything a page needs (the columns, the one to offer
first, each column's series or the reason it cannot be used), small enough to cache per file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_BYTES = 1_000_000  # 1 MB: plenty for a teaching series, and small enough to parse instantly
MAX_ROWS = 20_000  # longer series would make training crawl; ask for a shorter file
MAX_COLUMNS = 50  # a spreadsheet export has a handful; the column picker lists them all
MIN_ROWS = 30  # windows + a train/validation/test split need a few dozen values
LIMITS = f"at most {MAX_BYTES / 1e6:g} MB, {MAX_ROWS:,} rows and {MAX_COLUMNS} columns"  # stated on the page
ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv")
SNIFF_CHARS = 4000  # the separator is guessed from the file's first characters (whole lines)
MAX_LISTED = 5  # how many bad rows a message names before saying "and N more"
QUOTED = 30  # characters of a cell, a name or a file name quoted in a message
NA_TOKENS = ("nan", "na", "n/a", "#n/a", "null", "none", "missing")  # how spreadsheets spell "no value"
INF_TOKENS = ("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity")
FLOAT_MAX = sys.float_info.max  # ≈ 1.8e308, the largest float64
# Number styles: 1,234.5 (thousands commas) and 1.234,5 or 1,5 (decimal comma).
THOUSANDS = r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][-+]?\d+)?"
DECIMAL_COMMA = r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d*),\d+(?:[eE][-+]?\d+)?"
DOT_THOUSANDS = r"[-+]?\d{1,3}(?:\.\d{3})+"


class UploadError(ValueError):
    """A problem with the uploaded file, phrased for the student who uploaded it."""


def _q(text: object, limit: int = QUOTED) -> str:
    """A name or cell quoted in a message: at most ``limit`` characters on one line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class Table:
    """A parsed upload. ``frame`` holds the raw cells (strings); ``first_row`` is the spreadsheet row of frame row 0.
    ``sep``: the column separator found (it tells "1,500" in a semicolon file from "1,500" in a comma file)."""

    frame: pd.DataFrame
    first_row: int
    has_header: bool
    sep: str = ","

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def numeric_columns(self) -> list[str]:
        """Columns whose non-empty cells are all numbers (the ones worth offering first)."""
        return [str(col) for col in self.frame.columns if _numeric_cells(self.frame[col]) is not None]


def _plain_numbers(raw: pd.Series) -> np.ndarray | None:
    """The cells as float64 when every one is a plain, finite number ("1.5", " 2 ", "1e3"), in one C-level pass;
    None otherwise (then the slower, explaining path reads the column)."""
    try:
        values = np.asarray(raw.to_numpy(), dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return values if np.isfinite(values).all() else None


def _numeric_cells(raw: pd.Series) -> np.ndarray | None:
    """The non-empty cells as float64 when they are all numbers, else None."""
    values = _plain_numbers(raw)
    if values is not None:
        return values
    cells = raw.dropna().astype(str).str.strip()
    cells = cells[cells != ""]
    numbers = pd.to_numeric(cells, errors="coerce")
    return numbers.to_numpy(dtype=np.float64) if len(cells) and numbers.notna().all() else None


def _list_rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_LISTED])
    return shown + (f" and {len(rows) - MAX_LISTED} more" if len(rows) > MAX_LISTED else "")


def _check_name(name: str) -> None:
    lower = name.lower()
    if not lower.endswith(ALLOWED_SUFFIXES):
        suffix = lower.rsplit(".", 1)[-1] if "." in lower else "no extension"
        raise UploadError(
            f"'{_q(name)}' is not a text table ({_q(suffix)}). Upload a .csv file (or .txt/.tsv) with one value "
            f"per row, e.g. exported from a spreadsheet with File → Download → CSV."
        )


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 (what Excel writes: € is byte 0x80), else
    Latin-1, which accepts any bytes."""
    if b"\x00" in data[:4096]:
        raise UploadError(f"'{_q(name)}' looks like a binary file, not text. Upload a CSV exported from a spreadsheet.")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError(f"'{_q(name)}' could not be read as text.")  # pragma: no cover - latin-1 accepts any bytes


def _sniff_delimiter(head: str) -> str:
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","  # one column has no delimiter to find


def _is_number(cell: object) -> bool:
    text = str(cell).strip()
    try:
        float(text)
    except ValueError:
        return re.fullmatch(THOUSANDS, text) is not None or re.fullmatch(DECIMAL_COMMA, text) is not None
    return True


def _lines(text: str, name: str, max_rows: int) -> str:
    """The text with one kind of line break and without its trailing blank lines (cut in one pass), or an
    UploadError when it is empty or has more lines than ``max_rows`` plus a header line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    if not text:
        raise UploadError(f"'{_q(name)}' is empty. It needs a column of numbers, one per row.")
    lines = text.count("\n") + 1
    if lines > max_rows + 1:
        raise UploadError(f"'{_q(name)}' has {lines:,} rows; the lab accepts at most {max_rows:,} (plus a header "
                          f"line). Keep the most recent rows.")
    return text


def _column_count(first_line: str, sep: str, name: str, max_columns: int) -> None:
    n = first_line.count(sep) + 1  # an upper bound: a quoted cell may hold the separator
    if n > max_columns:
        with contextlib.suppress(csv.Error):  # a cell longer than the csv module's limit: keep the upper bound
            n = len(next(csv.reader([first_line], delimiter=sep), []))
    if n > max_columns:
        raise UploadError(f"'{_q(name)}' has {n:,} columns; the lab accepts at most {max_columns}. Keep the "
                          f"column you want to predict (and a date column if you like).")


def _names(first_row) -> list[str]:
    """Header cells as column names: blanks get "column i", duplicates get their position (counted once)."""
    names = [str(c).strip() or f"column {i + 1}" for i, c in enumerate(first_row)]
    counts = Counter(names)
    return [n if counts[n] == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]


def read_table(data: bytes, name: str, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS,
               max_columns: int = MAX_COLUMNS) -> Table:
    """Parse an upload into a table of raw string cells.

    data: the file's bytes; name: its file name (the extension decides whether it is accepted).
    A first line made only of numbers is treated as data, not as a header.
    Raises UploadError for a wrong type, an oversized (bytes, rows or columns), empty, binary or unparseable file.
    """
    _check_name(name)
    if len(data) > max_bytes:
        raise UploadError(
            f"'{_q(name)}' is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB. "
            f"Keep only the column you need, or the most recent rows."
        )
    text = _lines(_decode(data, name), name, max_rows)
    head = text[: text.find("\n")] if "\n" in text else text
    sample = text[:SNIFF_CHARS]
    sep = "\t" if name.lower().endswith(".tsv") else _sniff_delimiter(sample.rsplit("\n", 1)[0] if "\n" in sample
                                                                      else sample)
    _column_count(head, sep, name, max_columns)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=object, skip_blank_lines=False,
                            keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise UploadError(f"'{_q(name)}' is not a well-formed table: {_q(str(err).strip(), 100)}. "
                          f"Check that every row has the same number of separators.") from None
    has_header = not all(_is_number(c) or str(c).strip() == "" for c in frame.iloc[0])
    if has_header:
        names = _names(frame.iloc[0])
        frame = frame.iloc[1:].reset_index(drop=True)
        frame.columns = names
    else:
        frame.columns = [f"column {i + 1}" for i in range(frame.shape[1])]
    return Table(frame=frame, first_row=2 if has_header else 1, has_header=has_header, sep=sep)


# -- one column as numbers -----------------------------------------------------------------------------------
def _style(cells: pd.Series, sep: str) -> str:
    """How the column writes its numbers: "plain", "thousands" (1,234.5) or "decimal comma" (1.234,5 or 1,5).
    "1,500" alone could be either: decimal points elsewhere in the column, or a comma-separated file (where such a
    cell had to be quoted, the English way) make it a thousands separator; otherwise — a semicolon or tab file, as
    spreadsheets write them where the comma is the decimal mark — a decimal comma."""
    with_comma = cells[cells.str.contains(",", regex=False)]
    if with_comma.empty:
        return "plain"
    thousands = bool(with_comma.str.fullmatch(THOUSANDS).all())
    decimal = bool(with_comma.str.fullmatch(DECIMAL_COMMA).all())
    if thousands and decimal:
        points = cells.str.contains(".", regex=False).any()
        return "thousands" if points or sep == "," else "decimal comma"
    return "thousands" if thousands else "decimal comma" if decimal else "plain"


def _numbers(cells: pd.Series, sep: str, column: str, rows: np.ndarray) -> np.ndarray:
    """The cells as float64 (NaN where a cell is not a number), read in the column's number style."""
    style = _style(cells, sep)
    if style == "thousands":
        cells = cells.str.replace(",", "", regex=False)
    elif style == "decimal comma":
        comma = cells.str.contains(",", regex=False)
        dots = cells.str.contains(".", regex=False) & ~comma
        mixed = dots & ~cells.str.fullmatch(DOT_THOUSANDS)
        if mixed.any():
            first_comma, first_dot = np.flatnonzero(comma.to_numpy())[0], np.flatnonzero(mixed.to_numpy())[0]
            raise UploadError(
                f"Column '{_q(column)}' mixes decimal commas (row {rows[first_comma]}: "
                f"'{_q(cells.iloc[first_comma])}') and decimal points (row {rows[first_dot]}: "
                f"'{_q(cells.iloc[first_dot])}'). Write every number the same way.")
        cells = cells.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(cells, errors="coerce").to_numpy(dtype=np.float64)


def _check_values(values: np.ndarray, cells: pd.Series, rows: np.ndarray, column: str) -> None:
    """Missing, infinite and out-of-range numbers, each named for what it is."""
    lower = cells.str.lower()
    not_numbers = np.isnan(values) & ~lower.isin(NA_TOKENS).to_numpy() & ~lower.isin(INF_TOKENS).to_numpy()
    if not_numbers.any():
        first = cells.to_numpy()[not_numbers][0]
        raise UploadError(
            f"Column '{_q(column)}' is not numeric: row(s) {_list_rows(rows[not_numbers].tolist())} hold text such "
            f"as '{_q(first)}'. Choose a column of numbers (prices, temperatures, counts...).")
    missing = np.isnan(values) | lower.isin(INF_TOKENS).to_numpy()
    if missing.any():
        raise UploadError(
            f"Column '{_q(column)}' has missing or infinite values (NaN/inf) in row(s) "
            f"{_list_rows(rows[missing].tolist())}. Replace them with numbers or delete those rows.")
    huge = np.isinf(values)
    if huge.any():
        first = cells.to_numpy()[huge][0]
        raise UploadError(
            f"Column '{_q(column)}' has numbers beyond the largest a computer can store (about ±{FLOAT_MAX:.1e}) "
            f"in row(s) {_list_rows(rows[huge].tolist())}, such as '{_q(first)}'. Divide the column by a power "
            f"of ten first.")


def check_scale(values: np.ndarray, column: str, rows: np.ndarray | None = None) -> None:
    """UploadError unless the series can be standardised, z = (x − mean) / spread, without overflow or underflow.

    The mean sums n values and the spread n squared differences: both must stay below ≈ 1.8e308. (A column of
    ±1e300 passes every other check, then turns into inf/NaN inside the lab.) Rows: the spreadsheet row of each
    value, for naming the largest one."""
    v = np.asarray(values, dtype=np.float64)
    n = len(v)
    rows = np.arange(1, n + 1) if rows is None else rows
    big = int(np.argmax(np.abs(v)))
    with np.errstate(over="ignore"):
        spread = float(np.max(v) - np.min(v))
        overflows = (abs(v[big]) * n >= FLOAT_MAX / 2 or not math.isfinite(spread)
                     or spread * spread * n >= FLOAT_MAX / 2)
    if overflows:
        raise UploadError(
            f"Column '{_q(column)}' holds numbers as large as {v[big]:.3g} (row {rows[big]}). The lab standardises "
            f"a series (subtracts its mean, divides by its spread), and with numbers this large that arithmetic "
            f"passes the largest number a computer can store (about {FLOAT_MAX:.1e}). Divide the column by a power "
            f"of ten first.")
    with np.errstate(all="ignore"):
        std = float(v.std())
        z = (v - v.mean()) / std if std > 0 else v
    if spread > 0 and (std == 0 or not np.isfinite(z).all()):
        raise UploadError(
            f"Column '{_q(column)}' varies by only {spread:.3g}: too little to standardise (its squared "
            f"differences are smaller than the smallest number a computer can store). Multiply the column by a "
            f"power of ten first.")


def _explained_numbers(raw: pd.Series, sep: str, column: str, rows: np.ndarray) -> np.ndarray:
    """The column read cell by cell in its number style, or an UploadError naming what is wrong and where."""
    cells = raw.fillna("").astype(str).str.strip()
    empty = (cells == "").to_numpy()
    if empty.any():
        raise UploadError(
            f"Column '{_q(column)}' has empty cells in row(s) {_list_rows(rows[empty].tolist())}. "
            f"Fill them in (or delete those rows): a recurrent network needs a value at every step."
        )
    values = _numbers(cells, sep, column, rows)
    _check_values(values, cells, rows, column)
    return values


def series_from_column(table: Table, column: str, *, min_rows: int = MIN_ROWS,
                       max_rows: int = MAX_ROWS) -> np.ndarray:
    """The chosen column as a float64 series (N,), or an UploadError naming the offending rows."""
    if column not in table.columns:
        listed = ", ".join(_q(c) for c in table.columns[:10]) + (" …" if len(table.columns) > 10 else "")
        raise UploadError(f"There is no column '{_q(column)}'. The file has: {listed}.")
    rows = np.arange(len(table.frame)) + table.first_row
    values = _plain_numbers(table.frame[column])
    if values is None:
        values = _explained_numbers(table.frame[column], table.sep, column, rows)
    if len(values) < min_rows:
        raise UploadError(
            f"Column '{_q(column)}' has only {len(values)} value(s); the lab needs at least {min_rows} "
            f"to make training windows and keep some for validation and testing."
        )
    if len(values) > max_rows:
        raise UploadError(
            f"Column '{_q(column)}' has {len(values):,} values; the lab trains in your browser session and "
            f"accepts at most {max_rows:,}. Keep the most recent rows."
        )
    check_scale(values, column, rows)
    if np.ptp(values) == 0:
        raise UploadError(f"Column '{_q(column)}' is constant ({values[0]:g} everywhere): there is nothing to "
                          f"predict.")
    return values


PREFERRED_NAMES = ("close", "price", "value", "adj close")


def default_column(table: Table) -> str:
    """A sensible first choice: a numeric column named like a price/value, else the last numeric column
    that is not a counter (years, indices: strictly increasing integers), else the first column."""
    numeric = table.numeric_columns()
    for col in numeric:
        if col.strip().lower() in PREFERRED_NAMES:
            return col
    for col in reversed(numeric):
        vals = _numeric_cells(table.frame[col])
        is_counter = len(vals) > 1 and np.all(np.diff(vals) > 0) and np.all(vals == np.round(vals))
        if not is_counter:
            return col
    return numeric[0] if numeric else table.columns[0]


def load_series(data: bytes, name: str, column: str | None = None, **limits) -> tuple[np.ndarray, Table, str]:
    """One call for the page: parse, pick ``column`` (default: the first numeric one), validate.

    Returns (series (N,), table, the column used).
    """
    table = read_table(data, name, **{k: v for k, v in limits.items() if k == "max_bytes"})
    if column is None:
        column = default_column(table)
    series = series_from_column(table, column, **{k: v for k, v in limits.items() if k != "max_bytes"})
    return series, table, column


@dataclass(frozen=True)
class Upload:
    """A file read once, for a page to cache per file: its name, columns (in file order), the column to offer
    first, and for every column either its series (N,) or the message saying why it cannot be used."""

    name: str
    columns: tuple[str, ...]
    default: str
    rows: int
    _series: dict = field(default_factory=dict, repr=False)

    def series(self, column: str) -> np.ndarray:
        """The column's values, or the UploadError explaining why they cannot be used."""
        got = self._series.get(column)
        if got is None:
            listed = ", ".join(_q(c) for c in self.columns[:10]) + (" …" if len(self.columns) > 10 else "")
            raise UploadError(f"There is no column '{_q(column)}'. The file has: {listed}.")
        if isinstance(got, str):
            raise UploadError(got)
        return got


def read_upload(data: bytes, name: str) -> Upload:
    """Read ``data`` once: every column converted once (linear in the file; at most MAX_COLUMNS columns).
    Raises UploadError when the file itself cannot be used."""
    table = read_table(data, name)
    out: dict[str, np.ndarray | str] = {}
    for column in table.columns:
        try:
            out[column] = series_from_column(table, column)
        except UploadError as err:
            out[column] = str(err)
    good = [c for c in table.columns if not isinstance(out[c], str)]
    return Upload(name, tuple(table.columns), _first_choice(table, good, out), len(table.frame), out)


def _first_choice(table: Table, good: list[str], values: dict) -> str:
    """default_column's choice among the columns that are already known to be usable (no second pass)."""
    for col in good:
        if col.strip().lower() in PREFERRED_NAMES:
            return col
    for col in reversed(good):
        vals = values[col]
        if not (np.all(np.diff(vals) > 0) and np.all(vals == np.round(vals))):
            return col
    return good[0] if good else default_column(table)
