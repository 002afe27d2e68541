"""Naming children and rules for display: a concern's child id is a master person or a record."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.names import UNKNOWN_NAME, full_name
from childfirst.protection.restricted import RESTRICTED_NAME, restricted_keys
from childfirst.rules.registry import RULES
from childfirst.store.models import MasterMembership, Person

RULE_TITLES = {r.id: r.title for r in RULES}


def rule_title(rule_id: str) -> str:
    return RULE_TITLES.get(rule_id, rule_id)


def child_names(session: Session, child_ids: Iterable[str]) -> dict[str, str]:
    """A display name for each child id (master person ``mp_...`` or person record ``per_...``);
    a child whose processing is restricted under data protection law is "[restricted person]"
    in every list and heading (their record opens only for the restriction's purposes)."""
    ids = set(child_ids)
    restricted = ids & restricted_keys(session)
    masters = sorted(i for i in ids if i.startswith("mp_"))
    records = sorted(ids - set(masters))
    names: dict[str, str] = {}
    if records:
        for pid, given, family in session.execute(
            select(Person.id, Person.given_name, Person.family_name).where(Person.id.in_(records))
        ):
            names[pid] = full_name(given, family)
    if masters:
        rows = session.execute(
            select(MasterMembership.master_id, Person.given_name, Person.family_name)
            .join(Person, Person.id == MasterMembership.person_id)
            .where(MasterMembership.master_id.in_(masters))
            .order_by(MasterMembership.master_id, Person.id)
        )
        for master, given, family in rows:
            names.setdefault(master, full_name(given, family))
    names.update(dict.fromkeys(restricted, RESTRICTED_NAME))
    return {i: names.get(i, UNKNOWN_NAME) for i in ids}
