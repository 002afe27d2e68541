"""Concerns follow the people they are about when record linkage changes who is who.

A concern is raised about a person as the rules saw them: a source record before linkage, a master
person after. Whenever linkage has linked a concern's record, retired its master, or moved records
out of its master (a re-link, or a "not the same person" decision splitting someone in two), each
evidence event is traced through the records it links to the person it is about now
(``attribution``), and:

- if the evidence is about one person, the concern moves to that person. If that person already
  has the same concern, the two become one: the evidence is added to the concern already there and
  the other is closed as merged, with its open actions cancelled;
- if it is about more than one, the concern is split between them (``splitting``);
- if none of it can be traced to anyone and the records behind the concern are now with different
  people, it stays where it is and is flagged for a person to review.

Nothing is deleted, every change is logged, and running it again changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.rules.attribution import Attribution, People, attribute, chunks
from childfirst.rules.concerns import SYSTEM
from childfirst.rules.splitting import MERGED, Key, evidence_of, flag, log, split
from childfirst.store.models import Action, Concern, ConcernEvidence

__all__ = ["MERGED", "follow_linkage"]


def follow_linkage(session: Session) -> tuple[int, int]:
    """Make concerns follow their children through record linkage; return (moved, merged).

    ``moved`` counts concerns moved to another person and concerns split off one (created, or
    given evidence); ``merged`` counts concerns merged into the same concern of their person.
    """
    people = People.load(session)
    keys = [
        k
        for k in session.scalars(
            select(Concern.child_id).where(Concern.status != MERGED).distinct()
        )
        if people.unsettled(k)
    ]
    if not keys:
        return 0, 0
    concerns: list[Concern] = []
    for chunk in chunks(keys):
        concerns += session.scalars(
            select(Concern)
            .where(Concern.child_id.in_(chunk), Concern.status != MERGED)
            .order_by(Concern.id)
            .with_for_update(key_share=True)  # a person's change waits, or is refused after
            .execution_options(populate_existing=True)
        )
    found = attribute(session, concerns, people)
    places = set(keys)
    for concern in concerns:
        places |= set(found[concern.id].parts)
        places |= {p for p in (people.home(concern.child_id),) if p is not None}
        places |= {p for p in (people.only_place(concern.child_id),) if p is not None}
    by_key: dict[Key, Concern] = {}
    for chunk in chunks(places):
        held = (
            select(Concern)
            .where(Concern.child_id.in_(chunk))
            .order_by(Concern.id)
            .with_for_update(key_share=True)
        )
        for c in session.scalars(held):
            by_key[(c.rule_id, c.child_id, c.key)] = c
    now = utcnow()
    moved = merged = 0
    for concern in sorted(concerns, key=lambda c: c.id):
        if concern.status == MERGED:  # merged into another earlier in this pass
            continue
        attribution = found[concern.id]
        if len(attribution.parts) > 1:
            moved += split(session, concern, attribution, people, by_key, now)
            continue
        target = _target(session, concern, attribution, people, now)
        if target is None or target == concern.child_id:
            continue
        holder = by_key.get((concern.rule_id, target, concern.key))
        if holder is None:
            _move(session, concern, target, attribution, people, by_key, now)
            moved += 1
        elif holder.status == MERGED:
            why = (
                f"its evidence is about {target}, whose concern of this rule ({holder.id}) was "
                "merged into another; someone should decide where it belongs"
            )
            flag(session, concern, why, now)
        else:
            _merge(session, holder, concern, now)
            merged += 1
    session.flush()
    return moved, merged


def _target(
    session: Session, concern: Concern, found: Attribution, people: People, now: datetime
) -> str | None:
    """The one person the concern is now about, or None (flagged) when that cannot be told."""
    if found.parts:
        return next(iter(found.parts))
    key = concern.child_id
    target = people.master_of.get(key) if key not in people.members else None
    target = target or people.only_place(key)
    if target is None:
        places = sorted({people.now(r) for r in people.records(key)})
        why = (
            f"none of its {len(found.evidence)} evidence event(s) links a record of {key}, whose "
            f"records are now with different people ({', '.join(places)}); it stays here until "
            "someone decides whose it is"
        )
        flag(session, concern, why, now)
    return target


def _move(
    session: Session,
    concern: Concern,
    target: str,
    found: Attribution,
    people: People,
    by_key: dict[Key, Concern],
    now: datetime,
) -> None:
    old = concern.child_id
    del by_key[(concern.rule_id, old, concern.key)]
    concern.child_id = target
    concern.updated_at, concern.updated_by = now, SYSTEM
    by_key[(concern.rule_id, target, concern.key)] = concern
    if old in people.master_of:
        why = f"record linkage: {old} is now part of {target}"
    else:
        records = found.records.get(target) or {
            r for r in people.records(old) if people.now(r) == target
        }
        why = f"record linkage ({people.grounds(records)}): {old} is now {target}"
    log(session, concern.id, "moved", why, now)


def _merge(session: Session, keep: Concern, drop: Concern, now: datetime) -> None:
    have = evidence_of(session, [keep.id, drop.id])
    extra = sorted(have[drop.id] - have[keep.id])
    if extra:
        session.execute(
            insert(ConcernEvidence),
            [{"concern_id": keep.id, "event_id": e, "added_at": now} for e in extra],
        )
    keep.first_event_at = min(keep.first_event_at, drop.first_event_at)
    keep.last_event_at = max(keep.last_event_at, drop.last_event_at)
    keep.updated_at, keep.updated_by = now, SYSTEM
    session.execute(
        update(Action)
        .where(Action.concern_id == drop.id, Action.status == "open")
        .values(
            status="cancelled",
            note=f"superseded by concern {keep.id} after record linkage",
            version=Action.version + 1,
            changed_by=SYSTEM,
            changed_at=now,
        )
    )
    drop.status, drop.updated_at, drop.updated_by = MERGED, now, SYSTEM
    drop.closed_by, drop.closed_at = SYSTEM, now
    drop.closed_reason = f"the same concern as {keep.id}: record linkage found one person"
    log(
        session,
        keep.id,
        "merged in",
        f"concern {drop.id} merged in: {len(extra)} more event(s)",
        now,
    )
    log(session, drop.id, MERGED, drop.closed_reason, now)
