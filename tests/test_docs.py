"""Generated documents must match the code that generates them."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import orjson
import pytest

from childfirst.docs import generated
from childfirst.ingest.readers import RECORD_ADAPTER

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["data-format.md", "cli.md", "rules.md", "coverage.md"])
def test_generated_documents_are_up_to_date(name: str) -> None:
    expected = generated(ROOT / "docs")[ROOT / "docs" / name]
    actual = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert actual == expected, f"docs/{name} is stale: run `make docs`"


def test_the_published_schema_is_valid_and_accepts_the_documented_examples() -> None:
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    schema_block = text.split("## JSON Schema", 1)[1]
    schema = orjson.loads(re.search(r"```json\n(.*?)\n```", schema_block, re.S).group(1))  # type: ignore[union-attr]
    jsonschema.Draft202012Validator.check_schema(schema)
    example_block = re.search(r"```json\n(.*?)\n```", text, re.S).group(1)  # type: ignore[union-attr]
    examples = [orjson.loads(line) for line in example_block.splitlines()]
    assert [e["kind"] for e in examples] == ["location", "person", "event"]
    for example in examples:
        jsonschema.validate(example, schema)
        RECORD_ADAPTER.validate_json(orjson.dumps(example))
