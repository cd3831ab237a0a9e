"""Rows of CSV text, whatever a person or an earlier writer left in the file: a row that
cannot be read as it stands (the wrong number of fields, bytes that are not UTF-8) is
described in the ROW column instead of failing the file, so validation names it and sets
that row aside alone. Old Mac (CR-only) line ends, unquoted carriage returns in cells and
UTF-16 files are read as what they mean.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

ROW = "\0row"
BAD_BYTE = re.compile("[\udc80-\udcff]")
LONE_CR = re.compile("\r(?!\n)")
# One cell may be long (a pasted article); the csv module's default limit would fail the whole file.
csv.field_size_limit(2**31 - 1)


class CsvError(ValueError):
    """Text that cannot be read as CSV at all; the message says why (not where)."""


def decode_text(raw: bytes) -> str:
    """The file's text. Bytes that are not UTF-8 become lone surrogates (which no valid text
    holds) so the row they are in, and only that row, can be named and set aside. A file
    saved as UTF-16 (a spreadsheet's "Unicode text") is read by its byte order mark."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CsvError(f"is UTF-16 text with a broken character at byte {exc.start}") from exc
    return raw.decode("utf-8-sig", errors="surrogateescape")


def line_ends(text: str) -> tuple[str, str | None]:
    """Text whose records end in \\n or \\r\\n, and the stand-in for carriage returns that are
    data. A file with no \\n at all ends its lines with \\r (old Mac). In any other file a lone
    \\r is part of a cell, even unquoted (an earlier writer left such cells unquoted), so it is
    swapped for a character the text lacks while the CSV is parsed, then swapped back.

    >>> line_ends("a,b\\r1,2\\r")
    ('a,b\\n1,2\\n', None)
    >>> text, mark = line_ends("a,b\\n1,x\\ry\\n")
    >>> text == f"a,b\\n1,x{mark}y\\n"
    True
    """
    if "\r" not in text:
        return text, None
    if "\n" not in text:
        return text.replace("\r", "\n"), None
    if not LONE_CR.search(text):
        return text, None
    mark = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    return LONE_CR.sub(mark, text), mark


def read_file_rows(raw: bytes) -> pd.DataFrame:
    """The rows of a file's bytes, as read_rows reads its text. A file that is plainly UTF-8
    with \n or \r\n line ends (what the writer or a spreadsheet writes) goes to Arrow's
    reader as it is, which checks that the text is UTF-8 itself: decoding and scanning
    30 MB in Python first doubles the read. Any other file, or one Arrow refuses, takes
    read_rows' way.

    >>> read_file_rows(b"\\xef\\xbb\\xbfa,b\\r\\n1,x\\r\\n").to_dict("list")
    {'a': ['1'], 'b': ['x']}
    >>> list(read_file_rows(b"a,b\\n1,\\xff\\n")["\\0row"])
    ['holds bytes that are not UTF-8 text (0xFF)']
    """
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    returns = body.count(b"\r")
    lone_cr = returns and returns != body.count(b"\r\n")
    if not lone_cr and body[:1] not in (b"", b"\r", b"\n") and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        line = (body[:body.find(b"\n")] if b"\n" in body else body).removesuffix(b"\r")
        try:
            header = next(csv.reader([line.decode("utf-8")]), []) if b'"' not in line else []
        except UnicodeDecodeError:
            header = []
        if header and len(set(header)) == len(header):
            frame = _rows_by_arrow(body, header)
            if frame is not None:
                return frame
    return read_rows(decode_text(raw))


def read_rows(text: str) -> pd.DataFrame:
    """The rows as a frame of strings, parsed by Arrow's CSV reader (a tenth of the csv
    module's time at 100k rows). A file Arrow cannot take as it stands (a row of the wrong
    length, bytes that are not UTF-8, a header naming a column twice) is read with the csv
    module instead, which describes each such row in the ROW column, so validation names
    it and sets it aside instead of failing or dropping it."""
    text, mark = line_ends(text)
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if not header:
        return pd.DataFrame()
    frame = None
    if not BAD_BYTE.search(text) and len(set(header)) == len(header):
        frame = _rows_by_arrow(text.encode("utf-8"), header)
    if frame is None:
        frame = _rows_by_csv(text)
    if mark:
        for column in frame.columns:
            frame[column] = frame[column].str.replace(mark, "\r", regex=False)
    return frame


def _rows_by_arrow(data: bytes, header: list[str]) -> pd.DataFrame | None:
    """The rows as Arrow reads them, or None when Arrow refuses the file (a row of the wrong
    length, bytes that are not UTF-8): then the csv module reads it and names each such row."""
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())))
    except pa.ArrowInvalid:
        return None
    if table.column_names != header:
        return None
    return table.to_pandas()


def _rows_by_csv(text: str) -> pd.DataFrame:
    try:
        records = [fields for fields in csv.reader(io.StringIO(text, newline="")) if fields]
    except csv.Error as exc:
        raise CsvError(f"is not a readable CSV file ({exc})") from exc
    header, body = records[0], records[1:]
    width = len(header)
    trouble: dict[int, str] = {}
    for i, fields in enumerate(body):
        said = []
        if len(fields) != width:
            said.append(f"has {len(fields)} fields, the header has {width}")
            body[i] = (fields + [""] * width)[:width]
        bad = sorted({f"0x{ord(c) - 0xDC00:02X}" for cell in fields for c in BAD_BYTE.findall(cell)})
        if bad:
            said.append(f"holds bytes that are not UTF-8 text ({', '.join(bad[:5])})")
            body[i] = [BAD_BYTE.sub("\ufffd", cell) for cell in body[i]]
        if said:
            trouble[i] = "; ".join(said)
    header = [BAD_BYTE.sub("\ufffd", name) for name in header]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame[ROW] = pd.Series(trouble, dtype=object).reindex(frame.index, fill_value="")
    return frame
