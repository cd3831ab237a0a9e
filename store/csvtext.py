"""CSV text as the store writes it, for every writer of CSV (the dataset's writer, the
extractor's --out): comma-separated, records ended by \\n, a cell quoted when it holds a
comma, a quote or a line break of any kind. The csv module leaves a lone carriage return
unquoted, and a reader then takes it for the end of the row. Reading is store.rows."""

from __future__ import annotations

import re

NEEDS_QUOTES = re.compile(r'[",\r\n]')


def cell_text(value) -> str:
    """A value as the text of a cell: nothing for None, so a missing count is an empty cell.

    >>> [cell_text(v) for v in (None, 3, "", "x")]
    ['', '3', '', 'x']
    """
    return "" if value is None else str(value)


def csv_cell(value) -> str:
    """A value as a CSV cell.

    >>> [csv_cell(v) for v in ("plain", "a,b", 'a "b" c', "one\\rtwo", None, 3)]
    ['plain', '"a,b"', '"a ""b"" c"', '"one\\rtwo"', '', '3']
    """
    text = cell_text(value)
    return '"' + text.replace('"', '""') + '"' if NEEDS_QUOTES.search(text) else text


def csv_line(values) -> str:
    """One record, with its line end.

    >>> csv_line(["RM-0001", "2nd\\rbattalion", ""])
    'RM-0001,"2nd\\rbattalion",\\n'
    """
    return ",".join(csv_cell(v) for v in values) + "\n"
