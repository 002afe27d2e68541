"""Who is under a restriction of processing now: read by the rules' loader and by search.

This module only reads the store, so the rules can use it without the web layer; placing and
lifting restrictions is ``restriction.py``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.protection.subjects import MASTER_PREFIX
from childfirst.store.models import MasterMembership
from childfirst.store.protection import ProcessingRestriction

RESTRICTED_NAME = "[restricted person]"
RESTRICTED_NOTE = (
    "people whose processing is restricted under data protection law are left out; "
    "ask the data protection officer"
)


def active_restrictions(session: Session) -> list[ProcessingRestriction]:
    """The restrictions not lifted."""
    return list(
        session.scalars(
            select(ProcessingRestriction).where(ProcessingRestriction.lifted_at.is_(None))
        )
    )


def restricted_keys(session: Session) -> frozenset[str]:
    """Every person record and master person under a restriction now (empty when none is)."""
    keys = {row.person_key for row in active_restrictions(session)}
    if not keys:
        return frozenset()
    records = {k for k in keys if not k.startswith(MASTER_PREFIX)}
    masters = {k for k in keys if k.startswith(MASTER_PREFIX)}
    masters.update(
        session.scalars(
            select(MasterMembership.master_id).where(MasterMembership.person_id.in_(records))
        )
    )
    records.update(
        session.scalars(
            select(MasterMembership.person_id).where(MasterMembership.master_id.in_(masters))
        )
    )
    return frozenset(records | masters)
