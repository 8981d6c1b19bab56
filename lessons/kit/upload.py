"""Read a student's uploaded CSV/TXT into one clean numeric series, with a clear message for every mistake.

Pure pandas + NumPy (no Streamlit), so every message is unit-tested. Errors are ``UploadError``
(a ValueError), whose text is written for a student and shown as it is.

Row numbers in messages are spreadsheet rows: the header line is row 1, the first value row 2
(for a file without a header line the first value is row 1) — what a student sees when they open
the file to fix it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_BYTES = 1_000_000  # 1 MB: plenty for a teaching series, and small enough to parse instantly
MAX_ROWS = 20_000  # longer series would make browser training crawl; ask for a shorter file
MIN_ROWS = 30  # windows + a train/validation/test split need a few dozen values
ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv")
MAX_LISTED = 5  # how many bad rows a message names before saying "and N more"
NA_TOKENS = ("nan", "na", "n/a", "#n/a", "null", "none", "missing")  # how spreadsheets spell "no value"


class UploadError(ValueError):
    """A problem with the uploaded file, phrased for the student who uploaded it."""


@dataclass(frozen=True)
class Table:
    """A parsed upload. ``frame`` holds the raw cells (strings); ``first_row`` is the spreadsheet row of frame row 0."""

    frame: pd.DataFrame
    first_row: int
    has_header: bool

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def numeric_columns(self) -> list[str]:
        """Columns whose non-empty cells are all numbers (the ones worth offering first)."""
        out = []
        for col in self.frame.columns:
            cells = self.frame[col].dropna()
            cells = cells[cells.str.strip() != ""]
            if len(cells) and pd.to_numeric(cells, errors="coerce").notna().all():
                out.append(str(col))
        return out


def _list_rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_LISTED])
    return shown + (f" and {len(rows) - MAX_LISTED} more" if len(rows) > MAX_LISTED else "")


def _check_name(name: str) -> None:
    lower = name.lower()
    if not lower.endswith(ALLOWED_SUFFIXES):
        suffix = lower.rsplit(".", 1)[-1] if "." in lower else "no extension"
        raise UploadError(
            f"'{name}' is not a text table ({suffix}). Upload a .csv file (or .txt/.tsv) with one value "
            f"per row, e.g. exported from a spreadsheet with File → Download → CSV."
        )


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise UploadError(f"'{name}' looks like a binary file, not text. Upload a CSV exported from a spreadsheet.")
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError(f"'{name}' could not be read as text.")  # pragma: no cover - latin-1 accepts any bytes


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","  # one column has no delimiter to find


def _is_number(cell: object) -> bool:
    try:
        float(str(cell).strip())
    except ValueError:
        return False
    return True


def read_table(data: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> Table:
    """Parse an upload into a table of raw string cells.

    data: the file's bytes; name: its file name (the extension decides whether it is accepted).
    A first line made only of numbers is treated as data, not as a header.
    Raises UploadError for a wrong type, an oversized, empty, binary or unparseable file.
    """
    _check_name(name)
    if len(data) > max_bytes:
        raise UploadError(
            f"'{name}' is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB. "
            f"Keep only the column you need, or the most recent rows."
        )
    text = _decode(data, name)
    if not text.strip():
        raise UploadError(f"'{name}' is empty. It needs a column of numbers, one per row.")
    sep = "\t" if name.lower().endswith(".tsv") else _sniff_delimiter(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, skip_blank_lines=False,
                            keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise UploadError(f"'{name}' is not a well-formed table: {str(err).strip()}. "
                          f"Check that every row has the same number of separators.") from None
    # Trailing blank lines are just the end of the file, not empty cells.
    blank = (frame.apply(lambda c: c.str.strip()) == "").all(axis=1)
    while len(frame) and blank.iloc[len(frame) - 1]:
        frame = frame.iloc[:-1]
    if frame.empty:
        raise UploadError(f"'{name}' is empty. It needs a column of numbers, one per row.")
    has_header = not all(_is_number(c) or str(c).strip() == "" for c in frame.iloc[0])
    if has_header:
        names = [str(c).strip() or f"column {i + 1}" for i, c in enumerate(frame.iloc[0])]
        names = [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]
        frame = frame.iloc[1:].reset_index(drop=True)
        frame.columns = names
    else:
        frame.columns = [f"column {i + 1}" for i in range(frame.shape[1])]
    return Table(frame=frame, first_row=2 if has_header else 1, has_header=has_header)


def series_from_column(table: Table, column: str, *, min_rows: int = MIN_ROWS,
                       max_rows: int = MAX_ROWS) -> np.ndarray:
    """The chosen column as a float64 series (N,), or an UploadError naming the offending rows."""
    if column not in table.columns:
        raise UploadError(f"There is no column '{column}'. The file has: {', '.join(table.columns)}.")
    cells = table.frame[column].fillna("").astype(str).str.strip()
    rows = np.arange(len(cells)) + table.first_row
    empty = (cells == "").to_numpy()
    if empty.any():
        raise UploadError(
            f"Column '{column}' has empty cells in row(s) {_list_rows(rows[empty].tolist())}. "
            f"Fill them in (or delete those rows): a recurrent network needs a value at every step."
        )
    values = pd.to_numeric(cells.str.replace(",", "", regex=False) if _uses_thousands(cells) else cells,
                           errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(values) & ~cells.str.lower().isin(NA_TOKENS).to_numpy()
    if bad.any():
        first = cells.to_numpy()[bad][0]
        raise UploadError(
            f"Column '{column}' is not numeric: row(s) {_list_rows(rows[bad].tolist())} hold text such as "
            f"'{first[:30]}'. Choose a column of numbers (prices, temperatures, counts...)."
        )
    missing = ~np.isfinite(values)
    if missing.any():
        raise UploadError(
            f"Column '{column}' has missing or infinite values (NaN/inf) in row(s) "
            f"{_list_rows(rows[missing].tolist())}. Replace them with numbers or delete those rows."
        )
    if len(values) < min_rows:
        raise UploadError(
            f"Column '{column}' has only {len(values)} value(s); the lab needs at least {min_rows} "
            f"to make training windows and keep some for validation and testing."
        )
    if len(values) > max_rows:
        raise UploadError(
            f"Column '{column}' has {len(values):,} values; the lab trains in your browser session and "
            f"accepts at most {max_rows:,}. Keep the most recent rows."
        )
    if np.ptp(values) == 0:
        raise UploadError(f"Column '{column}' is constant ({values[0]:g} everywhere): there is nothing to predict.")
    return values


def _uses_thousands(cells: pd.Series) -> bool:
    """True when numbers are written like 1,234.5 (only possible when the file is not comma-separated)."""
    return bool(cells.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?").any())


PREFERRED_NAMES = ("close", "price", "value", "adj close")


def default_column(table: Table) -> str:
    """A sensible first choice: a numeric column named like a price/value, else the last numeric column
    that is not a counter (years, indices: strictly increasing integers), else the first column."""
    numeric = table.numeric_columns()
    for col in numeric:
        if col.strip().lower() in PREFERRED_NAMES:
            return col
    for col in reversed(numeric):
        vals = pd.to_numeric(table.frame[col], errors="coerce").dropna().to_numpy()
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
