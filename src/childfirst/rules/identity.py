"""Concerns follow the people they are about when record linkage changes who is who.

A concern is raised about a person as the rules saw them: a source record before linkage, a master
person after. When linkage joins records, or moves them between master persons, each concern is
moved to the master person its child now belongs to. If that person already has the same concern,
the two become one: the evidence is added to the older concern and the other is closed as merged,
with its open actions cancelled. Nothing is deleted, and every move is logged.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.rules.concerns import SYSTEM
from childfirst.store.models import (
    Action,
    Concern,
    ConcernEvidence,
    ConcernLog,
    MasterMembership,
    MasterMembershipLog,
)

MERGED = "merged"


def _targets(session: Session, keys: set[str]) -> dict[str, str]:
    """Where each of ``keys`` (a record id or a master id) now belongs, for those that moved."""
    pairs = session.execute(select(MasterMembership.person_id, MasterMembership.master_id)).all()
    members: dict[str, str] = {person: master for person, master in pairs}  # noqa: C416
    masters = set(members.values())
    left: dict[str, list[str]] = {}
    for person, old in session.execute(
        select(MasterMembershipLog.person_id, MasterMembershipLog.from_master).where(
            MasterMembershipLog.from_master.is_not(None)
        )
    ):
        if old is not None:
            left.setdefault(old, []).append(person)
    found: dict[str, str] = {}
    for key in keys:
        if key in masters:
            continue
        if key in members:
            found[key] = members[key]
        elif key in left:
            votes = Counter(members[p] for p in left[key] if p in members)
            if votes:
                found[key] = max(sorted(votes), key=votes.__getitem__)
    return found


def follow_linkage(session: Session) -> tuple[int, int]:
    """Move concerns to their child's current master person; return (moved, merged)."""
    live = session.scalars(select(Concern).where(Concern.status != MERGED)).all()
    targets = _targets(session, {c.child_id for c in live})
    if not targets:
        return 0, 0
    now = utcnow()
    by_key = {(c.rule_id, c.child_id, c.key): c for c in live}
    moved = merged = 0
    for concern in sorted(live, key=lambda c: c.id):
        target = targets.get(concern.child_id)
        if target is None or concern.status == MERGED:
            continue
        survivor = by_key.get((concern.rule_id, target, concern.key))
        if survivor is None or survivor is concern:
            old = concern.child_id
            del by_key[(concern.rule_id, old, concern.key)]
            concern.child_id = target
            concern.updated_at = now
            by_key[(concern.rule_id, target, concern.key)] = concern
            session.add(
                ConcernLog(
                    concern_id=concern.id,
                    at=now,
                    who=SYSTEM,
                    what="moved",
                    why=f"record linkage: {old} is now part of {target}",
                )
            )
            moved += 1
            continue
        keep, drop = (survivor, concern) if survivor.id < concern.id else (concern, survivor)
        _merge(session, keep, drop, now)
        by_key[(concern.rule_id, target, concern.key)] = keep
        if keep is concern:
            keep.child_id = target
        merged += 1
    session.flush()
    return moved, merged


def _merge(session: Session, keep: Concern, drop: Concern, now: datetime) -> None:
    have = set(
        session.scalars(
            select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == keep.id)
        )
    )
    extra = [
        e
        for e in session.scalars(
            select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == drop.id)
        )
        if e not in have
    ]
    if extra:
        session.execute(
            insert(ConcernEvidence),
            [{"concern_id": keep.id, "event_id": e, "added_at": now} for e in extra],
        )
    keep.first_event_at = min(keep.first_event_at, drop.first_event_at)
    keep.last_event_at = max(keep.last_event_at, drop.last_event_at)
    session.execute(
        update(Action)
        .where(Action.concern_id == drop.id, Action.status == "open")
        .values(status="cancelled", note=f"superseded by concern {keep.id} after record linkage")
    )
    drop.status = MERGED
    drop.closed_by, drop.closed_at = SYSTEM, now
    drop.closed_reason = f"the same concern as {keep.id}: record linkage found one person"
    for concern, what, why in (
        (keep, "merged in", f"concern {drop.id} merged in: {len(extra)} more event(s)"),
        (drop, MERGED, drop.closed_reason),
    ):
        session.add(ConcernLog(concern_id=concern.id, at=now, who=SYSTEM, what=what, why=why))
