"""Which records have been erased: read by the import, so that an erased person is not brought
back by importing the same source record again. Only reads the store (erasing is ``erasure.py``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.ingest.readers import Parsed
from childfirst.store.identity import record_id
from childfirst.store.protection import Erasure


def erased_ids(session: Session, entity: str = "person") -> set[str]:
    """The ids of the records of ``entity`` that have been erased."""
    return set(session.scalars(select(Erasure.record_id).where(Erasure.entity == entity)))


def without_erased(session: Session, parsed: list[Parsed]) -> tuple[list[Parsed], list[str]]:
    """The records of an import that were not erased, and a warning naming each one that was."""
    gone = erased_ids(session)
    if not gone:
        return parsed, []
    kept: list[Parsed] = []
    warnings: list[str] = []
    for item in parsed:
        src = item.record.source
        if item.record.kind == "person" and (
            record_id("person", src.agency, src.system, src.id) in gone
        ):
            warnings.append(
                f"{item.file}:{item.line}: person {src.agency}/{src.system}/{src.id} was erased "
                "under data protection law and was not imported again"
            )
        else:
            kept.append(item)
    return kept, warnings
