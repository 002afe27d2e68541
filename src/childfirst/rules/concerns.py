"""Storing what the engine found: concerns, their evidence, their actions and their log.

Findings with the same rule, child and key build one concern: new evidence is added to it, never a
second copy. A concern is never deleted; a closed concern that gets new evidence is reopened, and
every change is logged with who, when and why. A new concern of a rule that tells a partner agency
something is addressed to the organisation that should hear it (``childfirst.sharing``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.errors import ChildfirstError, NotFoundError, require_version
from childfirst.rules.calendar import Calendar
from childfirst.rules.engine import Outcome
from childfirst.rules.model import Severity
from childfirst.sharing.notifications import NOTIFYING_RULES, address_new
from childfirst.store.bulk import insert_rows, insert_with_ids
from childfirst.store.fetch import rows_in
from childfirst.store.locks import lock_all, locked, reread_to_lock
from childfirst.store.models import Action, Concern, ConcernEvidence, ConcernLog

SYSTEM = "childfirst rules engine"


class ConcernStateError(ChildfirstError):
    """A change to a concern that its state does not allow (for example, closing without a reason)."""


def record(
    session: Session, outcomes: Iterable[Outcome], calendar: Calendar | None = None
) -> tuple[int, int]:
    """Store the outcomes; return (concerns raised, concerns given new evidence)."""
    calendar = calendar or Calendar()
    now = utcnow()
    merged: dict[tuple[str, str, str], list[Outcome]] = {}
    for outcome in outcomes:
        merged.setdefault((outcome.rule.id, outcome.child.key, outcome.finding.key), []).append(
            outcome
        )
    if not merged:
        return 0, 0
    for found in merged.values():
        found.sort(key=lambda o: o.event.order)
    existing = _existing(session, list(merged))
    fresh = {key: found for key, found in merged.items() if key not in existing}
    raised = _raise_all(session, fresh, now, calendar)
    telling = [i for (rule, _, _), i in zip(fresh, raised, strict=True) if rule in NOTIFYING_RULES]
    if telling:
        address_new(session, telling)  # concerns that tell a partner are addressed when raised
    grown = 0
    if existing:
        have = _evidence_of(session, [c.id for c in existing.values()])
        growing = {
            key: concern
            for key, concern in existing.items()
            if not set(_all_evidence(merged[key])) <= have.get(concern.id, set())
        }
        if growing and reread_to_lock(session):
            # A person may be changing one of them: lock them and read them again, so that
            # neither change overwrites the other (the person's, based on the version before
            # this one, is then refused), and see what evidence they hold now.
            lock_all(session, Concern, [c.id for c in growing.values()])
            have = _evidence_of(session, [c.id for c in growing.values()])
        for key, concern in growing.items():
            if _grow(session, concern, merged[key], have.get(concern.id, set()), now):
                grown += 1
    return len(fresh), grown


def _existing(
    session: Session, keys: list[tuple[str, str, str]]
) -> dict[tuple[str, str, str], Concern]:
    """The stored concerns with these (rule, child, key) triples.

    They are looked up by child, which is indexed on its own: a database asked for a list of
    triples may scan every concern for each list, which grows with the store."""
    found: dict[tuple[str, str, str], Concern] = {}
    if session.scalar(select(Concern.id).limit(1)) is None:
        return found
    wanted = set(keys)
    ids: dict[int, tuple[str, str, str]] = {}
    statement = select(Concern.id, Concern.rule_id, Concern.child_id, Concern.key)
    for concern_id, *triple in rows_in(
        session, statement, Concern.child_id, sorted({child for _, child, _ in keys})
    ):
        if (key := (triple[0], triple[1], triple[2])) in wanted:
            ids[concern_id] = key
    chosen = sorted(ids)
    for start in range(0, len(chosen), 500):
        for concern in session.scalars(
            select(Concern).where(Concern.id.in_(chosen[start : start + 500]))
        ):
            found[ids[concern.id]] = concern
    return found


def _evidence_of(session: Session, concern_ids: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for start in range(0, len(concern_ids), 500):
        for concern_id, event_id in session.execute(
            select(ConcernEvidence.concern_id, ConcernEvidence.event_id).where(
                ConcernEvidence.concern_id.in_(concern_ids[start : start + 500])
            )
        ):
            found.setdefault(concern_id, set()).add(event_id)
    return found


def _all_evidence(found: list[Outcome]) -> list[str]:
    return list(dict.fromkeys(e for o in found for e in (*o.finding.evidence, o.event.id)))


def _severity(found: list[Outcome], floor: Severity | None = None) -> Severity:
    levels = [o.finding.severity or o.rule.severity for o in found]
    return max((*levels, *([floor] if floor else [])), key=lambda s: s.rank)


def _raise_all(
    session: Session,
    fresh: dict[tuple[str, str, str], list[Outcome]],
    now: datetime,
    calendar: Calendar,
) -> list[int]:
    """Insert new concerns with their evidence, actions and log, a few statements in all;
    return their ids."""
    if not fresh:
        return []
    rows: list[dict[str, Any]] = []
    for (rule_id, child_id, key), found in fresh.items():
        first, last = found[0], found[-1]
        rows.append(
            {
                "rule_id": rule_id,
                "child_id": child_id,
                "key": key,
                "severity": _severity(found).value,
                "status": "open",
                "explanation": last.finding.explanation,
                "learning": list(first.rule.learning),
                "first_event_at": first.event.at,
                "last_event_at": last.event.at,
                "raised_at": now,
                "updated_at": now,
                "updated_by": SYSTEM,
                "version": 1,
            }
        )
    new_ids = insert_with_ids(session, cast(Table, Concern.__table__), rows)
    ids = dict(zip(fresh, new_ids, strict=True))
    evidence: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    log: list[dict[str, Any]] = []
    for triple, found in fresh.items():
        concern_id, first = ids[triple], found[0]
        evidence.extend(
            {"concern_id": concern_id, "event_id": e, "added_at": now} for e in _all_evidence(found)
        )
        actions.extend(
            {
                "concern_id": concern_id,
                "title": spec.title,
                "owner_role": spec.owner.value,
                "due_at": spec.deadline.due(first.event, calendar),
                "due_rule": spec.deadline.describe(),
                "status": "open",
                "version": 1,
            }
            for spec in first.rule.actions
        )
        log.append(
            {
                "concern_id": concern_id,
                "at": now,
                "who": SYSTEM,
                "what": "raised",
                "why": found[-1].finding.explanation,
            }
        )
    for table, values in ((ConcernEvidence, evidence), (Action, actions), (ConcernLog, log)):
        insert_rows(session, cast(Table, table.__table__), values)
    return new_ids


def _grow(
    session: Session, concern: Concern, found: list[Outcome], have: set[str], now: datetime
) -> bool:
    new = [e for e in _all_evidence(found) if e not in have]
    if not new:
        return False
    session.execute(
        insert(ConcernEvidence),
        [{"concern_id": concern.id, "event_id": e, "added_at": now} for e in new],
    )
    latest = found[-1]
    concern.explanation = latest.finding.explanation
    concern.last_event_at = max(concern.last_event_at, latest.event.at)
    concern.updated_at, concern.updated_by = now, SYSTEM
    concern.severity = _severity(found, Severity(concern.severity)).value
    why = f"{len(new)} new event(s): {latest.finding.explanation}"
    if concern.status == "closed":
        concern.status = "open"
        _log(session, concern.id, SYSTEM, "reopened", why, now)
    else:
        _log(session, concern.id, SYSTEM, "evidence added", why, now)
    return True


def _log(
    session: Session, concern_id: int, who: str, what: str, why: str | None, at: datetime
) -> None:
    session.add(ConcernLog(concern_id=concern_id, at=at, who=who, what=what, why=why))


def _get(session: Session, concern_id: int, expected_version: int | None) -> Concern:
    """The concern, locked for the change; refused if it is no longer at ``expected_version``
    (None: whatever version it is at now, for a change its state alone decides)."""
    concern = locked(session, Concern, concern_id)
    if concern is None:
        raise NotFoundError(f"concern {concern_id} does not exist")
    require_version(
        "concern",
        str(concern_id),
        expected_version,
        concern.version,
        changed_by=concern.updated_by,
        changed_at=concern.updated_at,
        status=concern.status,
    )
    return concern


def acknowledge(
    session: Session, concern_id: int, *, by: str, expected_version: int | None = None
) -> Concern:
    concern = _get(session, concern_id, expected_version)
    if concern.status != "open":
        raise ConcernStateError(f"concern {concern_id} is {concern.status}, not open")
    now = utcnow()
    concern.status, concern.acknowledged_by, concern.acknowledged_at = "acknowledged", by, now
    concern.updated_at, concern.updated_by = now, by
    _log(session, concern.id, by, "acknowledged", None, now)
    return concern


def close(
    session: Session,
    concern_id: int,
    *,
    by: str,
    reason: str,
    expected_version: int | None = None,
) -> Concern:
    """Close a concern. A reason is required; the concern and its history are kept."""
    if not reason.strip():
        raise ConcernStateError("a concern cannot be closed without a recorded reason")
    concern = _get(session, concern_id, expected_version)
    if concern.status == "closed":
        raise ConcernStateError(f"concern {concern_id} is already closed")
    now = utcnow()
    concern.status, concern.closed_by, concern.closed_at = "closed", by, now
    concern.closed_reason, concern.updated_at, concern.updated_by = reason.strip(), now, by
    _log(session, concern.id, by, "closed", reason.strip(), now)
    return concern
