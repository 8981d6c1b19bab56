"""The upload reader: every mistake a student can make with a CSV gets a precise, friendly message."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from lessons.kit.upload import (
    MAX_BYTES,
    UploadError,
    check_scale,
    default_column,
    load_series,
    read_table,
    read_upload,
    series_from_column,
)

ASSETS = Path(__file__).resolve().parents[3] / "assets"


def csv_bytes(values, header="price") -> bytes:
    lines = ([header] if header else []) + [str(v) for v in values]
    return ("\n".join(lines) + "\n").encode()


def test_good_csv_with_header_round_trips():
    vals = np.round(np.linspace(10, 20, 40), 3)
    series, table, col = load_series(csv_bytes(vals), "prices.csv")
    assert col == "price" and table.has_header
    np.testing.assert_allclose(series, vals)
    assert series.dtype == np.float64


def test_headerless_txt_is_data_from_the_first_line():
    vals = list(range(1, 36))
    vals[3] = 100  # not a counter, so it is the default column
    series, table, col = load_series(csv_bytes(vals, header=None), "numbers.txt")
    assert not table.has_header and col == "column 1" and series[0] == 1 and len(series) == 35


def test_semicolon_and_tab_files_are_split_into_columns():
    rows = "\n".join(f"{i};{i * 1.5}" for i in range(40))
    table = read_table(("t;x\n" + rows).encode(), "semi.csv")
    assert table.columns == ["t", "x"]
    tsv = "a\tb\n" + "\n".join(f"{i}\t{-i}" for i in range(40))
    assert read_table(tsv.encode(), "tabs.tsv").columns == ["a", "b"]


def test_shipped_sunspots_load_and_default_to_the_value_column():
    series, table, col = load_series((ASSETS / "sunspots.csv").read_bytes(), "sunspots.csv")
    assert col == "sunspots"  # not the "year" counter
    assert len(series) == 309 and series.min() >= 0


def test_default_column_prefers_price_like_names():
    data = "Date,Open,Close,Volume\n" + "\n".join(f"2024-01-{i:02d},{i},{i + 1},{1000 - i}" for i in range(1, 31))
    assert default_column(read_table(data.encode(), "stock.csv")) == "Close"


@pytest.mark.parametrize("name", ["photo.png", "data.xlsx", "notes"])
def test_wrong_type_is_refused_by_name(name):
    with pytest.raises(UploadError, match=r"not a text table.*\.csv"):
        read_table(b"1\n2\n", name)


def test_binary_content_is_refused():
    with pytest.raises(UploadError, match="binary"):
        read_table(b"\x89PNG\x00\x00\x01\x02", "fake.csv")


def test_file_over_the_size_cap():
    big = b"1\n" * (MAX_BYTES // 2 + 10)
    with pytest.raises(UploadError, match=r"MB; the limit is 1\.0 MB"):
        read_table(big, "big.csv")
    with pytest.raises(UploadError, match="the limit is 0.0 MB"):
        read_table(b"1\n2\n", "small.csv", max_bytes=2)


@pytest.mark.parametrize("content", [b"", b"   \n\n  \n"])
def test_empty_file(content):
    with pytest.raises(UploadError, match="is empty"):
        read_table(content, "empty.csv")


def test_non_numeric_column_names_the_rows_and_an_example():
    data = "name,value\n" + "\n".join(f"item{i},{i}" for i in range(40))
    table = read_table(data.encode(), "mixed.csv")
    assert table.numeric_columns() == ["value"]
    with pytest.raises(UploadError, match=r"'name' is not numeric: row\(s\) 2, 3, 4, 5, 6 and 35 more.*'item0'"):
        series_from_column(table, "name")


def test_empty_cells_name_their_spreadsheet_rows():
    vals = [str(i) for i in range(40)]
    vals[4] = ""
    vals[9] = " "
    with pytest.raises(UploadError, match=r"empty cells in row\(s\) 6, 11\b"):
        load_series(csv_bytes(vals), "holes.csv")


@pytest.mark.parametrize("token", ["NaN", "NA", "null", "inf"])
def test_nan_like_cells_are_called_missing(token):
    vals = [str(i) for i in range(40)]
    vals[0] = token
    with pytest.raises(UploadError, match=r"missing or infinite values \(NaN/inf\) in row\(s\) 2\b"):
        load_series(csv_bytes(vals), "nan.csv")


def test_trailing_blank_lines_are_not_empty_cells():
    series, _, _ = load_series(csv_bytes(range(1, 41)) + b"\n\n\n", "tail.csv")
    assert len(series) == 40


def test_too_few_rows():
    with pytest.raises(UploadError, match=r"only 5 value\(s\); the lab needs at least 30"):
        load_series(csv_bytes([1, 2, 3, 5, 4]), "short.csv")


def test_too_many_rows():
    with pytest.raises(UploadError, match="at most 100"):
        load_series(csv_bytes(np.arange(200) % 7), "long.csv", max_rows=100)


def test_constant_column_has_nothing_to_predict():
    with pytest.raises(UploadError, match="constant"):
        load_series(csv_bytes([3.0] * 40), "flat.csv")


def test_unknown_column_lists_the_real_ones():
    table = read_table(csv_bytes(range(40)), "a.csv")
    with pytest.raises(UploadError, match="no column 'close'.*price"):
        series_from_column(table, "close")


def test_ragged_rows_give_a_table_message():
    with pytest.raises(UploadError, match="not a well-formed table"):
        read_table(b"a,b\n1,2\n3,4,5,6\n", "ragged.csv")


def test_thousands_separators_in_a_semicolon_file():
    data = "v;w\n" + "\n".join(f"{1000 + i:,}.5;{i}" for i in range(40))
    series = series_from_column(read_table(data.encode(), "eu.csv"), "v")
    assert series[0] == 1000.5


def test_upload_error_is_a_value_error():
    assert issubclass(UploadError, ValueError)


def test_reader_does_not_import_streamlit():
    import subprocess
    import sys

    code = "import sys, lessons.kit.upload; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[3], check=True)
    assert out.stdout.strip() == "False"


# -- bounded cost (issue 14): limits checked before parsing, linear passes -----------------------------------
def no_parsing(monkeypatch):
    """Make pandas' parser fail the test if it is reached."""
    import lessons.kit.upload as up

    def refuse(*args, **kwargs):
        raise AssertionError("the table was parsed although a limit was already exceeded")

    monkeypatch.setattr(up.pd, "read_csv", refuse)


def test_too_many_columns_are_refused_before_parsing(monkeypatch):
    no_parsing(monkeypatch)
    wide = (",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" for _ in range(100_000))).encode()
    with pytest.raises(UploadError, match=r"100,000 columns; the lab accepts at most 50"):
        read_table(wide[:MAX_BYTES], "wide.csv")


def test_too_many_rows_are_refused_before_parsing(monkeypatch):
    no_parsing(monkeypatch)
    with pytest.raises(UploadError, match=r"990,002 rows; the lab accepts at most 20,000"):
        read_table(b"1\n" + b"\n" * 990_000 + b"2\n", "gaps.csv")


def test_trailing_blank_lines_are_cut_before_parsing(monkeypatch):
    import lessons.kit.upload as up

    seen = []
    real = up.pd.read_csv
    monkeypatch.setattr(up.pd, "read_csv", lambda buf, **kw: seen.append(buf.getvalue()) or real(io.StringIO(seen[-1]),
                                                                                                 **kw))
    series, _, _ = load_series(csv_bytes(range(1, 41)) + b"\n" * 990_000, "tail.csv")
    assert len(series) == 40 and seen[0].count("\n") == 40  # the header and 40 values, nothing after


def test_many_duplicate_names_are_numbered_by_position():
    head = ",".join(["price"] * 50)
    data = (head + "\n" + "\n".join(",".join(str(i + j) for j in range(50)) for i in range(40))).encode()
    table = read_table(data, "dup.csv")
    assert table.columns[:2] == ["price (1)", "price (2)"] and table.columns[-1] == "price (50)"


def test_read_upload_reads_every_column_once_and_keeps_its_message():
    data = "day,close,note\n" + "\n".join(f"{i},{100 + np.sin(i)},x{i}" for i in range(40))
    up = read_upload(data.encode(), "p.csv")
    assert up.columns == ("day", "close", "note") and up.default == "close" and up.rows == 40
    assert len(up.series("close")) == 40
    with pytest.raises(UploadError, match="'note' is not numeric"):
        up.series("note")
    with pytest.raises(UploadError, match="no column 'open'"):
        up.series("open")


# -- numbers read as what they are (issue 14) --------------------------------------------------------------
def test_european_decimals_in_a_semicolon_file_are_decimals():
    rows = ["101,250", "101,5", "99,75", "1.234,5"] + [f"{100 + i},{i % 10}" for i in range(40)]
    data = ("Datum;Kurs\n" + "\n".join(f"2024-01-{i % 28 + 1:02d};{v}" for i, v in enumerate(rows))).encode()
    series = series_from_column(read_table(data, "kurs.csv"), "Kurs")
    np.testing.assert_allclose(series[:4], [101.25, 101.5, 99.75, 1234.5])


def test_ambiguous_commas_follow_the_separator_and_the_other_cells():
    eu = "t;v\n" + "\n".join(f"{i};{'1,500' if i % 2 else '2,250'}" for i in range(40))
    assert series_from_column(read_table(eu.encode(), "eu.csv"), "v")[0] == 2.25  # a semicolon file: decimal comma
    us = "t;v\n" + "\n".join(f"{i};{'1,500' if i % 2 else '2.5'}" for i in range(40))
    assert series_from_column(read_table(us.encode(), "us.csv"), "v")[1] == 1500  # points elsewhere: thousands


def test_mixed_decimal_marks_are_a_message():
    data = "t;v\n" + "\n".join(f"{i};{'1,5' if i % 2 else '2.25'}" for i in range(40))
    with pytest.raises(UploadError, match=r"mixes decimal commas \(row 3: '1,5'\) and decimal points "
                                          r"\(row 2: '2.25'\)"):
        series_from_column(read_table(data.encode(), "mixed.csv"), "v")


def test_a_windows_1252_euro_header_reads_as_euro():
    data = b"Preis \x80\n" + b"\n".join(str(i % 7 + i).encode() for i in range(40))
    table = read_table(data, "preis.csv")
    assert table.columns == ["Preis €"]


def test_numbers_beyond_float_range_are_called_too_large_not_missing():
    vals = [str(i) for i in range(40)]
    vals[3] = "2e308"
    with pytest.raises(UploadError, match=r"beyond the largest a computer can store .* row\(s\) 5, such as '2e308'"):
        load_series(csv_bytes(vals), "huge.csv")


@pytest.mark.parametrize("big", ["1e300", "1e308", "-1e308"])
def test_values_whose_standardisation_overflows_are_refused_with_the_column_and_why(big):
    vals = [big if i % 2 else str(i) for i in range(40)]
    with pytest.raises(UploadError, match=r"Column 'price' holds numbers as large as .*e\+?30\d \(row \d+\).*"
                                          r"standardises.*largest number a computer can store"):
        load_series(csv_bytes(vals), "huge.csv")


def test_values_too_close_to_standardise_are_refused():
    vals = [f"{1e-170 * (i % 3)}" for i in range(40)]
    with pytest.raises(UploadError, match="varies by only 2e-170: too little to standardise"):
        load_series(csv_bytes(vals), "tiny.csv")


def test_check_scale_accepts_ordinary_and_large_but_safe_series():
    check_scale(np.linspace(-1e150, 1e150, 40) * 0.01, "x")
    check_scale(np.array([0.0, 1e-150, 2e-150] * 10), "x")


def test_every_quoted_name_and_cell_is_short():
    name = "x" * 500 + ".png"
    with pytest.raises(UploadError) as err:
        read_table(b"1\n", name)
    assert len(str(err.value)) < 250
