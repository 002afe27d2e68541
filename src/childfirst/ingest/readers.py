"""Reading import files: JSON Lines (any record kind) and CSV (people or events).

A reader yields every line it could turn into a record and a ``RecordProblem`` for every line it
could not, so that one run reports all the problems in a file, each with its file, line and field.

Beyond what the record declarations check, a reader refuses what JSON parsers disagree about or
quietly resolve: a member named twice in one object (most parsers keep the last value without a
word) and NaN or Infinity, which are not JSON at all. A file with no records is refused too: an
export that came out empty is a fault at the source, not an empty batch.
"""

from __future__ import annotations

import csv
import io
import json
import math
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


EMPTY = "the file holds no records; nothing was read from it"
NON_FINITE = "NaN and Infinity are not allowed: give a number, or leave the value out"


def read_file(path: Path) -> Iterator[ReadResult]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _not_empty(str(path), read_jsonl(path))
    if suffix == ".csv":
        return _not_empty(str(path), read_csv(path))
    return iter(
        [RecordProblem(str(path), 0, "", "unknown file type: use .jsonl for records or .csv")]
    )


def _not_empty(name: str, results: Iterator[ReadResult]) -> Iterator[ReadResult]:
    """The results of reading a file, or a problem naming the file if it held nothing at all."""
    empty = True
    for result in results:
        empty = False
        yield result
    if empty:
        yield RecordProblem(name, 0, "", EMPTY)


def read_jsonl(path: Path) -> Iterator[ReadResult]:
    name = str(path)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            repeated = duplicate_member(raw)
            if repeated is not None:
                yield _repeated(name, number, repeated, _intended_id(raw))
                continue
            yield from parse_json(name, number, raw)


def _repeated(name: str, number: int, path: str, intended: str | None) -> RecordProblem:
    return RecordProblem(name, number, path, repeated_reason(path), intended)


def repeated_reason(path: str) -> str:
    """Why a member named twice (at ``path``) is refused."""
    member = path.rpartition(".")[2]
    return (
        f"'{member}' is given twice in the same object; give each member once, so that no "
        "value is dropped unseen"
    )


def duplicate_member(raw: bytes) -> str | None:
    """The path (``links.1.role``) of the first member named twice in one object of the JSON
    text ``raw``, or ``None``; ``None`` too for text that is not JSON (validation says so).

    Most lines are settled by a count. Outside strings, a colon in JSON text only ever ends a
    member's name, and inside them orjson writes every colon as it is; so the parsed line written
    back (which keeps only the last of two same-named members) has as many colons as the line,
    unless a member was dropped. Lines the count cannot settle (NaN, which orjson refuses, or a
    colon written as a \\u escape) are parsed again, keeping every member.
    """
    if b"\\u003" not in raw:
        try:
            again = orjson.dumps(orjson.loads(raw))
        except orjson.JSONDecodeError:
            pass  # NaN, or not JSON at all: the parse below settles it
        else:
            if raw.count(b":") == again.count(b":"):
                return None
    try:
        data = json.loads(raw, object_pairs_hook=_Members)
    except (ValueError, RecursionError):
        return None
    return _first_repeated(data, "")


class _Members(dict[str, Any]):
    """A JSON object that remembers the first member name it was given twice."""

    repeated: str | None = None

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        if len(self) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.repeated = key
                    break
                seen.add(key)


def _first_repeated(value: Any, path: str) -> str | None:
    if isinstance(value, _Members):
        if value.repeated is not None:
            return f"{path}{value.repeated}"
        items: Iterator[tuple[str, Any]] = iter(value.items())
    elif isinstance(value, list):
        items = ((str(i), item) for i, item in enumerate(value))
    else:
        return None
    for key, item in items:
        found = _first_repeated(item, f"{path}{key}.")
        if found is not None:
            return found
    return None


def non_finite(value: Any, path: str = "") -> str | None:
    """The path of the first NaN or infinite number in ``value`` (parsed JSON), or ``None``."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path.rstrip(".")
    if isinstance(value, dict):
        items: Iterator[tuple[Any, Any]] = iter(value.items())
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = non_finite(item, f"{path}{key}.")
        if found is not None:
            return found
    return None


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
    errors = exc.errors(include_url=False)
    # NaN in a value of several allowed types (an event's details) fails each type: say it once.
    non_finite_at = {
        tuple(e["loc"][:-1]) if e["loc"][-1:] == ("float",) else tuple(e["loc"])
        for e in errors
        if e["type"] == "finite_number"
    }
    for error in errors:
        loc = [str(part) for part in error["loc"]]
        kind = error["type"]
        if kind == "finite_number":
            if loc[-1:] == ["float"]:
                loc = loc[:-1]
        elif tuple(error["loc"][:-1]) in non_finite_at:
            continue
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
        if kind == "finite_number":
            message = NON_FINITE
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if "input" in error and kind not in ("missing", "extra_forbidden") and loc:
            message = f"{message} (got {_show(error['input'])})"
        yield RecordProblem(name, number, path, message, intended)


def _show(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(value)  # NaN, Infinity or -Infinity, as the input had it
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
    if not text.strip():
        return  # nothing at all, not even a header: the file is empty
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
    twice = [column for i, column in enumerate(header) if column in header[:i]]
    if twice:
        yield RecordProblem(
            name, 1, twice[0], "the column is in the header twice; give each column once"
        )
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
            value = _details(value)
        target = shaped
        *parents, leaf = path.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return shaped


def _details(text: str) -> Any:
    """The ``details`` cell: a JSON object, with each member once and no NaN or Infinity."""
    column = "details"
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        try:
            value = json.loads(text)  # reads NaN and Infinity, which orjson refuses
        except ValueError:
            raise ValueError(column, f"not a JSON object: {exc}") from None
    repeated = duplicate_member(text.encode())
    if repeated is not None:
        raise ValueError(column, f"'{repeated}': {repeated_reason(repeated)}")
    where = non_finite(value)
    if where is not None:
        raise ValueError(column, f"'{where}': {NON_FINITE}")
    return value


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
