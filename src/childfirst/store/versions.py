"""History: a change never overwrites silently.

Before a record's row changes, its current version is copied to ``record_versions``; the row is then
updated only if it is still at the version the change was based on. If someone else changed it in
the meantime the change is refused with ``ConcurrentEditError``: no last-write-wins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.domain.records import AnyRecord
from childfirst.errors import ConcurrentEditError, NotFoundError
from childfirst.store.models import (
    ENTITY_TABLES,
    EventLink,
    PersonAddress,
    RecordVersion,
)
from childfirst.store.rows import Rows, to_rows


def apply_change(
    session: Session,
    rows: Rows,
    *,
    expected_version: int,
    now: datetime,
    batch_id: int | None = None,
    changed_by: str | None = None,
) -> int:
    """Replace a record's current version with ``rows``; return the new version number.

    The superseded version is kept in ``record_versions``. Raises ``ConcurrentEditError`` when the
    stored record is no longer at ``expected_version``.
    """
    table = ENTITY_TABLES[rows.kind]
    current = session.execute(
        select(
            table.version,
            table.content_hash,
            table.record,
            table.received_at,
            table.batch_id,
        ).where(table.id == rows.id)
    ).one_or_none()
    if current is None:
        raise NotFoundError(f"{rows.kind} {rows.id} does not exist")
    if current.version != expected_version:
        raise ConcurrentEditError(rows.kind, rows.id, expected_version, current.version)
    session.execute(
        insert(RecordVersion).values(
            entity=rows.kind,
            record_id=rows.id,
            version=current.version,
            content_hash=current.content_hash,
            record=current.record,
            received_at=current.received_at,
            batch_id=current.batch_id,
            superseded_at=now,
            superseded_by_batch=batch_id,
            changed_by=changed_by,
        )
    )
    new_version = expected_version + 1
    values: dict[str, Any] = {k: v for k, v in rows.main.items() if k != "id"}
    values["version"] = new_version
    result = session.execute(
        update(table)
        .where(table.id == rows.id, table.version == expected_version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        actual = session.execute(
            select(table.version).where(table.id == rows.id)
        ).scalar_one_or_none()
        raise ConcurrentEditError(rows.kind, rows.id, expected_version, actual)
    if rows.kind == "event":
        session.execute(delete(EventLink).where(EventLink.event_id == rows.id))
        if rows.links:
            session.execute(insert(EventLink), rows.links)
    elif rows.kind == "person":
        session.execute(delete(PersonAddress).where(PersonAddress.person_id == rows.id))
        if rows.addresses:
            session.execute(insert(PersonAddress), rows.addresses)
    return new_version


def history(session: Session, entity: str, record_id: str) -> list[dict[str, Any]]:
    """Every version of a record, oldest first; the last is the current one."""
    table = ENTITY_TABLES[entity]
    old = session.execute(
        select(RecordVersion.version, RecordVersion.record, RecordVersion.superseded_at)
        .where(RecordVersion.entity == entity, RecordVersion.record_id == record_id)
        .order_by(RecordVersion.version)
    ).all()
    versions = [
        {"version": v.version, "record": v.record, "superseded_at": v.superseded_at} for v in old
    ]
    current = session.execute(
        select(table.version, table.record).where(table.id == record_id)
    ).one_or_none()
    if current is None and not versions:
        raise NotFoundError(f"{entity} {record_id} does not exist")
    if current is not None:
        versions.append(
            {"version": current.version, "record": current.record, "superseded_at": None}
        )
    return versions


def update_record(
    session: Session,
    record: AnyRecord,
    *,
    expected_version: int,
    changed_by: str,
) -> int:
    """Store an edited record as a new version; the edit must be based on the current version."""
    now = utcnow()
    rows = to_rows(record, received_at=now, batch_id=None)
    return apply_change(
        session, rows, expected_version=expected_version, now=now, changed_by=changed_by
    )
