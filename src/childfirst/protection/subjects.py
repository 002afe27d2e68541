"""Who a data protection operation is about: one person, as the records the store holds of them.

A person is named by a master person id (``mp_...``: every record linkage joined) or by one person
record's id; naming a record takes in every record linked to it as well, since they are the same
person.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.errors import NotFoundError
from childfirst.store.models import MasterMembership, Person

MASTER_PREFIX = "mp_"


def records_of(session: Session, key: str) -> list[str]:
    """The person records ``key`` stands for, sorted; ``NotFoundError`` when there are none."""
    master: str | None = key
    if not key.startswith(MASTER_PREFIX):
        if session.get(Person, key) is None:
            raise NotFoundError(f"no person record {key}")
        master = session.scalar(
            select(MasterMembership.master_id).where(MasterMembership.person_id == key)
        )
        if master is None:
            return [key]
    found = sorted(
        session.scalars(
            select(MasterMembership.person_id).where(MasterMembership.master_id == master)
        )
    )
    if not found:
        raise NotFoundError(f"no master person {key}")
    return found


def subject_keys(session: Session, record_ids: Iterable[str]) -> dict[str, str]:
    """Each record's subject key: its master person, or the record itself when not linked."""
    wanted = sorted(set(record_ids))
    keys = {rid: rid for rid in wanted}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for pid, master in session.execute(
            select(MasterMembership.person_id, MasterMembership.master_id).where(
                MasterMembership.person_id.in_(chunk)
            )
        ):
            keys[pid] = master
    return keys
