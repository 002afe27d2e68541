"""Storing what the engine found: concerns, their evidence, their actions and their log.

Findings with the same rule, child and key build one concern: new evidence is added to it, never a
second copy. A concern is never deleted; a closed concern that gets new evidence is reopened, and
every change is logged with who, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.errors import ChildfirstError, ConcurrentEditError, NotFoundError
from childfirst.rules.calendar import Calendar
from childfirst.rules.engine import Outcome
from childfirst.rules.model import Severity
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
    existing: dict[tuple[str, str, str], Concern] = {}
    keys = list(merged)
    for start in range(0, len(keys), 300):
        chunk = keys[start : start + 300]
        for concern in session.scalars(
            select(Concern).where(tuple_(Concern.rule_id, Concern.child_id, Concern.key).in_(chunk))
        ):
            existing[(concern.rule_id, concern.child_id, concern.key)] = concern
    raised = grown = 0
    for key, found in merged.items():
        found.sort(key=lambda o: o.event.order)
        stored = existing.get(key)
        if stored is None:
            concern = _raise(session, found[0], now, calendar)
            raised += 1
            found = found[1:]
        else:
            concern = stored
        if found and _grow(session, concern, found, now):
            grown += 1
    return raised, grown


def _evidence(session: Session, concern_id: int) -> set[str]:
    return set(
        session.scalars(
            select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == concern_id)
        )
    )


def _raise(session: Session, outcome: Outcome, now: datetime, calendar: Calendar) -> Concern:
    rule, finding = outcome.rule, outcome.finding
    concern = Concern(
        rule_id=rule.id,
        child_id=outcome.child.key,
        key=finding.key,
        severity=(finding.severity or rule.severity).value,
        status="open",
        explanation=finding.explanation,
        learning=list(rule.learning),
        first_event_at=outcome.event.at,
        last_event_at=outcome.event.at,
        raised_at=now,
        updated_at=now,
    )
    session.add(concern)
    session.flush()
    evidence = dict.fromkeys((*finding.evidence, outcome.event.id))
    session.execute(
        insert(ConcernEvidence),
        [{"concern_id": concern.id, "event_id": e, "added_at": now} for e in evidence],
    )
    if rule.actions:
        session.execute(
            insert(Action),
            [
                {
                    "concern_id": concern.id,
                    "title": spec.title,
                    "owner_role": spec.owner.value,
                    "due_at": spec.deadline.due(outcome.event, calendar),
                    "due_rule": spec.deadline.describe(),
                    "status": "open",
                }
                for spec in rule.actions
            ],
        )
    _log(session, concern.id, SYSTEM, "raised", finding.explanation, now)
    return concern


def _grow(session: Session, concern: Concern, found: list[Outcome], now: datetime) -> bool:
    have = _evidence(session, concern.id)
    new = [
        e
        for e in dict.fromkeys(x for o in found for x in (*o.finding.evidence, o.event.id))
        if e not in have
    ]
    if not new:
        return False
    session.execute(
        insert(ConcernEvidence),
        [{"concern_id": concern.id, "event_id": e, "added_at": now} for e in new],
    )
    latest = found[-1]
    concern.explanation = latest.finding.explanation
    concern.last_event_at = max(concern.last_event_at, latest.event.at)
    concern.updated_at = now
    severity = max(
        (Severity(concern.severity), *(o.finding.severity or o.rule.severity for o in found)),
        key=lambda s: s.rank,
    )
    concern.severity = severity.value
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
    concern = session.get(Concern, concern_id)
    if concern is None:
        raise NotFoundError(f"concern {concern_id} does not exist")
    if expected_version is not None and concern.version != expected_version:
        raise ConcurrentEditError("concern", str(concern_id), expected_version, concern.version)
    return concern


def acknowledge(
    session: Session, concern_id: int, *, by: str, expected_version: int | None = None
) -> Concern:
    concern = _get(session, concern_id, expected_version)
    if concern.status != "open":
        raise ConcernStateError(f"concern {concern_id} is {concern.status}, not open")
    now = utcnow()
    concern.status, concern.acknowledged_by, concern.acknowledged_at = "acknowledged", by, now
    concern.updated_at = now
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
    concern.closed_reason, concern.updated_at = reason.strip(), now
    _log(session, concern.id, by, "closed", reason.strip(), now)
    return concern
