"""Splitting a concern when record linkage finds its evidence is about more than one person.

When a re-link or a "not the same person" decision splits a master person, a concern about the old
master may rest on events about two children. The concern itself stays with the person its most
recent evidence is about, keeping its history, status and actions; the events about each other
person go to that person's concern of the same rule and key, which is created if there is none,
with the status (and who acknowledged or closed it, and why) carried over and the live actions
copied. Events about no one in particular (an adult's earlier incident, say) stay as context on
every part. Evidence rows move from one concern to the other; a row is only removed where the
concern it would move to already has the same event. Every step is in the concerns' logs.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from childfirst.rules.attribution import Attribution, People, chunks
from childfirst.rules.concerns import SYSTEM
from childfirst.store.models import Action, Concern, ConcernEvidence, ConcernLog

MERGED = "merged"
REVIEW = "needs review"
Key = tuple[str, str, str]


def log(session: Session, concern_id: int, what: str, why: str, now: datetime) -> None:
    session.add(ConcernLog(concern_id=concern_id, at=now, who=SYSTEM, what=what, why=why))


def flag(session: Session, concern: Concern, why: str, now: datetime) -> bool:
    """Log that a person should look at the concern, once for each reason."""
    seen = session.scalar(
        select(ConcernLog.id)
        .where(
            ConcernLog.concern_id == concern.id, ConcernLog.what == REVIEW, ConcernLog.why == why
        )
        .limit(1)
    )
    if seen is not None:
        return False
    log(session, concern.id, REVIEW, why, now)
    return True


def evidence_of(session: Session, concern_ids: Collection[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {i: set() for i in concern_ids}
    for chunk in chunks(concern_ids):
        for concern_id, event_id in session.execute(
            select(ConcernEvidence.concern_id, ConcernEvidence.event_id).where(
                ConcernEvidence.concern_id.in_(chunk)
            )
        ):
            found[concern_id].add(event_id)
    return found


def split(
    session: Session,
    concern: Concern,
    found: Attribution,
    people: People,
    by_key: dict[Key, Concern],
    now: datetime,
) -> int:
    """Divide ``concern`` between the people its evidence is about; return how many other concerns
    were created or given evidence."""
    rule, key, old = concern.rule_id, concern.key, concern.child_id
    order = sorted(found.parts, key=lambda p: (found.latest(p), p == old, p), reverse=True)
    stay = next((p for p in order if by_key.get((rule, p, key)) in (None, concern)), None)
    others = [p for p in order if p != stay]
    held = {p: h for p in others if (h := by_key.get((rule, p, key))) not in (None, concern)}
    blocked = [p for p in others if p in held and held[p].status == MERGED]
    context = found.context
    keep = set(context).union(*(found.parts[p] for p in blocked))
    if stay is not None:
        keep |= found.parts[stay]
    leaving = found.evidence - keep if stay is not None or blocked else set()
    have = evidence_of(session, [h.id for h in held.values()])
    fresh = [p for p in others if p not in held]
    wanted = {
        p: (found.parts[p] | context) - have[held[p].id]
        for p in others
        if p in held and p not in blocked
    }
    moving = stay is not None and stay != old
    closing = stay is None and not blocked
    changed = moving or closing or leaving or fresh or any(wanted.values())
    for p in blocked:
        flag(session, concern, _blocked(found, p, held[p]), now)
    if not changed:
        return 0
    if stay is not None and moving:
        by_key.pop((rule, old, key), None)
        concern.child_id, concern.updated_at, concern.updated_by = stay, now, SYSTEM
        by_key[(rule, stay, key)] = concern
        because = people.grounds(found.records[stay])
        log(
            session,
            concern.id,
            "moved",
            f"record linkage ({because}): its most recent evidence is about {stay}, "
            f"no longer the same person as {old}",
            now,
        )
        session.flush()
    targets: dict[str, Concern] = {p: held[p] for p in wanted}
    for p in fresh:
        targets[p] = _new_part(session, concern, p, found, now)
        by_key[(rule, p, key)] = targets[p]
    session.flush()
    plan = {targets[p].id: wanted[p] if p in wanted else found.parts[p] | context for p in targets}
    added = _move_rows(session, concern.id, plan, leaving, now)
    for p, target in targets.items():
        count = len(added.get(target.id, ()))
        if count == 0:
            continue
        because = f"{people.grounds(found.records[p])} because record(s) " + ", ".join(
            sorted(found.records[p])
        )
        new = "new " if p in fresh else ""
        log(
            session,
            concern.id,
            "split",
            f"split by {because} are now {p}: {count} evidence event(s) about that person "
            f"(or about no one in particular) went to {new}concern {target.id}",
            now,
        )
        log(
            session,
            target.id,
            "split from",
            f"split from concern {concern.id} by {because} are now this person ({p}): "
            f"{count} evidence event(s) about them (or about no one in particular)",
            now,
        )
        if p in fresh:
            _carry(session, concern, target, now)
        elif target.status == "closed" and concern.status != "closed":
            target.status, target.updated_at, target.updated_by = "open", now, SYSTEM
            log(session, target.id, "reopened", f"evidence from concern {concern.id}", now)
        _widen(target, found.span(found.parts[p]), now)
    if any(added.get(t.id) for t in targets.values()):
        ids = ", ".join(str(t.id) for t in targets.values() if added.get(t.id))
        concern.explanation += (
            f" (Record linkage later split off the events about another person: see concern {ids}.)"
        )
    span = found.span(keep - context)
    if span is not None and stay is not None:
        concern.first_event_at, concern.last_event_at = span
    concern.updated_at, concern.updated_by = now, SYSTEM
    if closing:
        _close_into(session, concern, [targets[p] for p in order], now)
    return sum(1 for t in targets.values() if added.get(t.id))


def _blocked(found: Attribution, person: str, holder: Concern) -> str:
    return (
        f"{len(found.parts[person])} event(s) about {person} stay here: that person's concern "
        f"of this rule is {holder.id}, which was merged into another; someone should decide "
        "where they belong"
    )


def _new_part(
    session: Session, source: Concern, person: str, found: Attribution, now: datetime
) -> Concern:
    first, last = found.span(found.parts[person]) or (source.first_event_at, source.last_event_at)
    part = Concern(
        rule_id=source.rule_id,
        child_id=person,
        key=source.key,
        severity=source.severity,
        status=source.status,
        explanation=f"{source.explanation} (Split from concern {source.id} by record linkage: "
        "its evidence here is the events about this person.)",
        learning=list(source.learning),
        first_event_at=first,
        last_event_at=last,
        raised_at=source.raised_at,
        updated_at=now,
        updated_by=SYSTEM,
        acknowledged_by=source.acknowledged_by,
        acknowledged_at=source.acknowledged_at,
        closed_by=source.closed_by,
        closed_at=source.closed_at,
        closed_reason=source.closed_reason,
    )
    session.add(part)
    return part


def _carry(session: Session, source: Concern, part: Concern, now: datetime) -> None:
    """The status the concern had, and its live actions, carried over to a part split off it."""
    where = f"carried over from concern {source.id} when record linkage split it"
    if source.status == "acknowledged":
        log(
            session,
            part.id,
            "acknowledged",
            f"{where}; acknowledged by {source.acknowledged_by}",
            now,
        )
    elif source.status == "closed":
        why = f"{where}; closed by {source.closed_by}: {source.closed_reason}"
        log(session, part.id, "closed", why, now)
    copies = []
    for action in session.scalars(
        select(Action).where(Action.concern_id == source.id, Action.status != "cancelled")
    ):
        note = f"copied from concern {source.id} when record linkage split it"
        if action.status != "open":
            note += f"; {action.status} for the person as then linked: check it covered this child"
        copies.append(
            {
                "concern_id": part.id,
                "title": action.title,
                "owner_role": action.owner_role,
                "due_at": action.due_at,
                "due_rule": action.due_rule,
                "status": action.status,
                "assigned_to": action.assigned_to,
                "done_by": action.done_by,
                "done_at": action.done_at,
                "note": f"{note}; {action.note}" if action.note else note,
            }
        )
    if copies:
        session.execute(insert(Action), copies)


def _widen(concern: Concern, span: tuple[datetime, datetime] | None, now: datetime) -> None:
    if span is not None:
        concern.first_event_at = min(concern.first_event_at, span[0])
        concern.last_event_at = max(concern.last_event_at, span[1])
    concern.updated_at, concern.updated_by = now, SYSTEM


def _move_rows(
    session: Session, source_id: int, plan: dict[int, set[str]], leaving: set[str], now: datetime
) -> dict[int, set[str]]:
    """Give each concern of ``plan`` its events: a row of ``leaving`` moves from the source to the
    first concern lacking it, other concerns get a copy. Returns the events each concern got."""
    have = evidence_of(session, list(plan))
    added: dict[int, set[str]] = {}
    moves: dict[int, list[str]] = {}
    copies: list[dict[str, object]] = []
    taken: set[str] = set()
    for target_id in sorted(plan):
        for event_id in sorted(plan[target_id] - have[target_id]):
            added.setdefault(target_id, set()).add(event_id)
            if event_id in leaving and event_id not in taken:
                moves.setdefault(target_id, []).append(event_id)
                taken.add(event_id)
            else:
                copies.append({"concern_id": target_id, "event_id": event_id, "added_at": now})
    for target_id, events in moves.items():
        for chunk in chunks(events):
            session.execute(
                update(ConcernEvidence)
                .where(ConcernEvidence.concern_id == source_id, ConcernEvidence.event_id.in_(chunk))
                .values(concern_id=target_id, added_at=now)
            )
    if copies:
        session.execute(insert(ConcernEvidence), copies)
    already = sorted(leaving - taken)  # the concern they belong to has them already
    for chunk in chunks(already):
        session.execute(
            delete(ConcernEvidence).where(
                ConcernEvidence.concern_id == source_id, ConcernEvidence.event_id.in_(chunk)
            )
        )
    return added


def _close_into(session: Session, concern: Concern, parts: list[Concern], now: datetime) -> None:
    """Every person the concern is about has that concern already: it is closed as merged."""
    ids = ", ".join(str(p.id) for p in parts)
    session.execute(
        update(Action)
        .where(Action.concern_id == concern.id, Action.status == "open")
        .values(
            status="cancelled",
            note=f"superseded by concern(s) {ids} after record linkage",
            version=Action.version + 1,
            changed_by=SYSTEM,
            changed_at=now,
        )
    )
    concern.status, concern.updated_at, concern.updated_by = MERGED, now, SYSTEM
    concern.closed_by, concern.closed_at = SYSTEM, now
    concern.closed_reason = (
        f"split by record linkage into concern(s) {ids}: its events are about those people"
    )
    log(session, concern.id, MERGED, concern.closed_reason, now)
