"""CSV for people to open in a spreadsheet, with no cell a spreadsheet would run as a formula.

Free text in the record is kept exactly as it was recorded, formulas included: it is evidence. But a
cell of an exported CSV that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets skip before looking) is read by Excel and LibreOffice as a formula, and a
formula such as ``=HYPERLINK(...)`` can send the reader, or the sheet's other cells, elsewhere. Every
CSV childfirst writes for people goes through ``safe_cell``, which puts a single quote before such a
cell: the spreadsheet shows the text as it was recorded, and runs nothing.

A plain number (``-3``, ``+44``, ``-0.5``) runs nothing either and is left as it is, so that it stays
a number in the sheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet shows as text: text that would start a formula gets a
    leading single quote; anything else (numbers, ``None``, other text) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def write_csv(handle: _Writable, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``header`` and ``rows`` to ``handle`` as CSV, every cell through ``safe_cell``.

    Open a file for it with ``newline=""`` and ``encoding="utf-8-sig"`` (the byte order mark
    tells Excel the file is UTF-8)."""
    writer = csv.writer(handle)
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV ``write_csv`` writes, as text (for a download)."""
    buffer = io.StringIO(newline="")
    write_csv(buffer, header, rows)
    return buffer.getvalue()
