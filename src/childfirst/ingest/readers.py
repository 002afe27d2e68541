"""Reading import files: JSON Lines (any record kind) and CSV (people or events).

A reader yields every line it could turn into a record and a ``RecordProblem`` for every line it
could not, so that one run reports all the problems in a file, each with its file, line and field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from childfirst.domain.records import CODE_PATTERN, AnyRecord, Record
from childfirst.errors import RecordProblem
from childfirst.store.identity import record_id

RECORD_ADAPTER: TypeAdapter[AnyRecord] = TypeAdapter(Record)


@dataclass(frozen=True)
class Parsed:
    """A record read from a file, with where it was read from."""

    file: str
    line: int
    record: AnyRecord
    raw: bytes  # the record as received: JSON text of one object


ReadResult = Parsed | RecordProblem


def read_file(path: Path) -> Iterator[ReadResult]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return read_jsonl(path)
    if suffix == ".csv":
        return read_csv(path)
    return iter(
        [RecordProblem(str(path), 0, "", "unknown file type: use .jsonl for records or .csv")]
    )


def read_jsonl(path: Path) -> Iterator[ReadResult]:
    name = str(path)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            yield from parse_json(name, number, raw)


def parse_json(name: str, number: int, raw: bytes) -> Iterator[ReadResult]:
    """One record from the JSON text of one object, or the problems with it, each naming its
    field; ``name`` and ``number`` say where it came from (a file and line, or a request)."""
    try:
        yield Parsed(name, number, RECORD_ADAPTER.validate_json(raw), raw)
    except ValidationError as exc:
        try:  # checked only on failure: valid lines are UTF-8 by construction
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            yield RecordProblem(
                name,
                number,
                "",
                f"not valid UTF-8 (byte 0x{raw[bad.start]:02x} at column {bad.start + 1}); "
                "save the file as UTF-8",
            )
            return
        yield from _problems(name, number, exc, intended=_intended_id(raw))


def _intended_id(raw: bytes) -> str | None:
    """The stable id an invalid line was meant to have, if its kind and source can be read."""
    try:
        data = orjson.loads(raw)
        src = data["source"]
        return record_id(data["kind"], src["agency"], src["system"], src["id"])
    except Exception:  # an unreadable line has no identity to speak of
        return None


def _problems(
    name: str,
    number: int,
    exc: ValidationError,
    columns: dict[str, str] | None = None,
    intended: str | None = None,
) -> Iterator[RecordProblem]:
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        kind = error["type"]
        if kind == "json_invalid":
            yield RecordProblem(name, number, "", f"malformed JSON: {error['msg']}", intended)
            continue
        if kind == "model_attributes_type" and not loc:
            yield RecordProblem(name, number, "", "each line must be a JSON object", intended)
            continue
        if loc and loc[0] in ("person", "location", "object", "event", "relationship"):
            loc = loc[1:]  # drop the union tag pydantic adds
        path = ".".join(loc)
        if kind == "union_tag_invalid":
            path = "kind"
        if kind == "union_tag_not_found":
            path = "kind"
        if columns and path in columns:
            path = f"{path} (column {columns[path]})"
        message = error["msg"]
        expected = error.get("ctx", {}).get("expected", "")
        if kind == "enum" and expected.count(",") >= 6:
            message = (
                f"not one of the {expected.count(',') + 1} allowed values "
                "(listed under 'Vocabularies' in docs/data-format.md)"
            )
        if (
            kind == "string_pattern_mismatch"
            and error.get("ctx", {}).get("pattern") == CODE_PATTERN
        ):
            message = (
                "an id or code is 1 to 100 letters, digits and . _ : / - characters, starting "
                "with a letter or digit"
            )
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if "input" in error and kind not in ("missing", "extra_forbidden") and loc:
            message = f"{message} (got {_show(error['input'])})"
        yield RecordProblem(name, number, path, message, intended)


def _show(value: Any) -> str:
    text = orjson.dumps(value, default=str).decode()
    return text if len(text) <= 60 else text[:57] + "..."


# CSV layouts: column name -> path in the record.
COMMON_COLUMNS = {
    "source_agency": "source.agency",
    "source_agency_kind": "source.agency_kind",
    "source_system": "source.system",
    "source_id": "source.id",
    "received_at": "source.received_at",
}
PERSON_COLUMNS = {
    **COMMON_COLUMNS,
    "given_name": "name.given_name",
    "middle_names": "name.middle_names",
    "family_name": "name.family_name",
    "aliases": "aliases",
    "date_of_birth": "date_of_birth",
    "dob_precision": "dob_precision",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "address": "addresses",
}
EVENT_COLUMNS = {
    **COMMON_COLUMNS,
    "event_type": "event_type",
    "occurred_at": "occurred_at",
    "ended_at": "ended_at",
    "reference": "reference",
    "location": "location",
    "summary": "summary",
    "outcome": "outcome",
    "details": "details",
    "links": "links",
}
CSV_LAYOUTS = {"person": PERSON_COLUMNS, "event": EVENT_COLUMNS}


def read_csv(path: Path) -> Iterator[ReadResult]:
    name = str(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        yield RecordProblem(
            name,
            line,
            "",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )
        return
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = reader.fieldnames or []
    kind = "event" if "event_type" in header else "person" if "family_name" in header else None
    if kind is None:
        yield RecordProblem(
            name,
            1,
            "",
            "unknown CSV layout: a people file needs a 'family_name' column and an "
            "events file an 'event_type' column",
        )
        return
    layout = CSV_LAYOUTS[kind]
    unknown = [column for column in header if column not in layout]
    if unknown:
        yield RecordProblem(name, 1, unknown[0], f"unknown column for a {kind} CSV file")
        return
    columns = {path: column for column, path in layout.items()}
    try:
        for row in reader:
            number = reader.line_num
            try:
                shaped = _shape_row(kind, row)
            except ValueError as exc:
                field, reason = exc.args
                yield RecordProblem(name, number, f"{layout[field]} (column {field})", reason)
                continue
            raw = orjson.dumps(shaped)
            try:
                yield Parsed(name, number, RECORD_ADAPTER.validate_json(raw), raw)
            except ValidationError as exc:
                yield from _problems(name, number, exc, columns, _intended_id(raw))
    except csv.Error as exc:
        yield RecordProblem(name, reader.line_num, "", f"malformed CSV: {exc}")


def _shape_row(kind: str, row: dict[str | Any, str | Any]) -> dict[str, Any]:
    """A CSV row as the nested structure of a JSON Lines record."""
    if None in row:
        raise ValueError("source_id", "the row has more values than the header has columns")
    shaped: dict[str, Any] = {"kind": kind}
    for column, path in CSV_LAYOUTS[kind].items():
        value = row.get(column)
        if value is None or value == "":
            continue
        if column == "aliases":
            value = [_alias(part) for part in value.split("|") if part.strip()]
        elif column == "address":
            value = [{"location": value}]
        elif column == "links":
            value = [_link(column, part) for part in value.split(";") if part.strip()]
        elif column == "details":
            try:
                value = orjson.loads(value)
            except orjson.JSONDecodeError as exc:
                raise ValueError(column, f"not a JSON object: {exc}") from None
        target = shaped
        *parents, leaf = path.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return shaped


def _alias(text: str) -> dict[str, str]:
    given, _, family = text.strip().rpartition(" ")
    return {"given_name": given, "family_name": family} if given else {"family_name": family}


def _link(column: str, text: str) -> dict[str, str]:
    role, sep, target = text.strip().partition(":")
    if not sep or not target:
        raise ValueError(
            column, f"a link is 'role:person_id' or 'role:object:object_id', got '{text}'"
        )
    if target.startswith("object:"):
        return {"role": role, "object": target[len("object:") :]}
    return {"role": role, "person": target}
