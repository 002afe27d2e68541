"""Stable internal ids and content hashes for records.

A record's id is derived from its provenance (kind, agency, system, source id), so the same source
record always lands on the same row: re-importing never duplicates, and references between records of
one source resolve without a look-up.
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import blake2b
from typing import Any

import orjson

PREFIXES = {
    "person": "per",
    "location": "loc",
    "object": "obj",
    "event": "evt",
    "relationship": "rel",
}


@lru_cache(maxsize=1 << 20)
def record_id(kind: str, agency: str, system: str, source_id: str) -> str:
    digest = blake2b(f"{kind}\x1f{agency}\x1f{system}\x1f{source_id}".encode(), digest_size=10)
    return f"{PREFIXES[kind]}_{digest.hexdigest()}"


def content_hash(payload: dict[str, Any]) -> str:
    """A hash of a record's content, independent of key order and of when it was received."""
    return blake2b(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS), digest_size=16).hexdigest()
