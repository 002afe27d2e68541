"""Naming children and rules for display: a concern's child id is a master person or a record."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.rules.registry import RULES
from childfirst.store.models import MasterMembership, Person

RULE_TITLES = {r.id: r.title for r in RULES}
UNKNOWN = "(name not recorded)"


def person_name(given: str | None, family: str | None) -> str:
    return " ".join(p for p in (given, family) if p) or UNKNOWN


def rule_title(rule_id: str) -> str:
    return RULE_TITLES.get(rule_id, rule_id)


def child_names(session: Session, child_ids: Iterable[str]) -> dict[str, str]:
    """A display name for each child id (master person ``mp_...`` or person record ``per_...``)."""
    ids = set(child_ids)
    masters = sorted(i for i in ids if i.startswith("mp_"))
    records = sorted(ids - set(masters))
    names: dict[str, str] = {}
    if records:
        for pid, given, family in session.execute(
            select(Person.id, Person.given_name, Person.family_name).where(Person.id.in_(records))
        ):
            names[pid] = person_name(given, family)
    if masters:
        rows = session.execute(
            select(MasterMembership.master_id, Person.given_name, Person.family_name)
            .join(Person, Person.id == MasterMembership.person_id)
            .where(MasterMembership.master_id.in_(masters))
            .order_by(MasterMembership.master_id, Person.id)
        )
        for master, given, family in rows:
            names.setdefault(master, person_name(given, family))
    return {i: names.get(i, UNKNOWN) for i in ids}
