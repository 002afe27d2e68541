"""People's decisions that two person records are, or are not, one person.

A decision is never deleted: a later one on the same pair replaces it, and withdrawing it marks it
reversed with who, when and why. Each takes effect at once on the two records' master persons
(``apply_decision``).

The decisions on a pair have a version: 1, plus one for every decision made on it and one for
every decision withdrawn or replaced, so it only ever grows. A change names the version its author
saw and is refused (``ConcurrentEditError``, saying who changed the pair, when, and what stands
now) if anyone decided or withdrew since. A change runs with the pair locked (on PostgreSQL the row
of its first record, ``FOR NO KEY UPDATE``): of two people deciding the same pair at once, the
second waits, sees the first's decision and is refused, whatever the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.errors import NotFoundError, require_version
from childfirst.linkage.index import NOT_SAME, SAME, Thresholds, apply_decision, ordered
from childfirst.store.database import Database
from childfirst.store.models import LinkageDecision, LinkageReviewPair, Person

STANDING = {SAME: "decided: the same person", NOT_SAME: "decided: not the same person"}


@dataclass(frozen=True)
class PairState:
    """Where the decisions on a pair of records stand."""

    version: int
    standing: int | None  # the id of the decision that stands, if one does
    status: str  # "undecided", or what stands, in words
    changed_by: str | None
    changed_at: datetime | None


def pair_state(session: Session, record_a: str, record_b: str) -> PairState:
    """The version of the decisions on the pair, what stands, and the latest change to them."""
    a, b = ordered(record_a, record_b)
    rows = session.scalars(
        select(LinkageDecision)
        .where(LinkageDecision.record_a == a, LinkageDecision.record_b == b)
        .order_by(LinkageDecision.id)
    ).all()
    changes = [(r.decided_at, r.id, r.decided_by) for r in rows]
    changes += [(r.reversed_at, r.id, r.reversed_by or "") for r in rows if r.reversed_at]
    latest = max(changes, default=None)
    standing = next((r for r in reversed(rows) if r.reversed_at is None), None)
    return PairState(
        version=1 + len(changes),
        standing=standing.id if standing else None,
        status=STANDING.get(standing.decision, standing.decision) if standing else "undecided",
        changed_by=latest[2] if latest else None,
        changed_at=latest[0] if latest else None,
    )


def _locked_state(session: Session, a: str, b: str, expected_version: int | None) -> PairState:
    """Lock the pair for a change and check that it is still at ``expected_version`` (None:
    whatever it is at now)."""
    session.execute(select(Person.id).where(Person.id == a).with_for_update(key_share=True))
    state = pair_state(session, a, b)
    require_version(
        "the decision on records",
        f"{a} and {b}",
        expected_version,
        state.version,
        changed_by=state.changed_by,
        changed_at=state.changed_at,
        status=state.status,
    )
    return state


def decide(
    db: Database,
    record_a: str,
    record_b: str,
    decision: str,
    *,
    who: str,
    why: str,
    thresholds: Thresholds | None = None,
    expected_version: int | None = None,
) -> int:
    """Record that two records are (``"same"``) or are not (``"not_same"``) one person.

    A later decision on the same pair replaces an earlier one (which is kept, marked reversed).
    The decision takes effect at once: the master persons of the two records are re-clustered
    with it (``apply_decision``), so a "not the same" decision splits a master and a "same" one
    joins two, each move logged with a run of kind ``decision``. Every later run, batch or
    incremental, honours it too. With ``expected_version``, the decision is refused if the
    pair's decisions have changed since that version.
    """
    if decision not in (SAME, NOT_SAME):
        raise ValueError(f"decision must be '{SAME}' or '{NOT_SAME}', not {decision!r}")
    if not why.strip():
        raise ValueError("a linkage decision needs a reason")
    a, b = ordered(record_a, record_b)
    now = utcnow()
    with db.session(write=True) as session:
        _locked_state(session, a, b, expected_version)
        _reverse_where(session, a, b, who, f"replaced by a later decision: {why}", now)
        row = LinkageDecision(
            record_a=a, record_b=b, decision=decision, decided_by=who, decided_at=now, reason=why
        )
        session.add(row)
        session.flush()
        session.execute(
            update(LinkageReviewPair)
            .where(
                LinkageReviewPair.record_a == a,
                LinkageReviewPair.record_b == b,
                LinkageReviewPair.status == "open",
            )
            .values(status="decided", decision_id=row.id)
        )
        decision_id = row.id
    apply_decision(db, a, b, thresholds=thresholds)
    return decision_id


def _reverse_where(session: Session, a: str, b: str, who: str, why: str, at: datetime) -> None:
    session.execute(
        update(LinkageDecision)
        .where(
            LinkageDecision.record_a == a,
            LinkageDecision.record_b == b,
            LinkageDecision.reversed_at.is_(None),
        )
        .values(reversed_by=who, reversed_at=at, reversed_reason=why)
    )


def reverse_decision(
    db: Database,
    decision_id: int,
    *,
    who: str,
    why: str,
    thresholds: Thresholds | None = None,
    expected_version: int | None = None,
) -> bool:
    """Withdraw a decision; it stays on record, marked reversed with who, when and why. Returns
    whether it was withdrawn now (False: it had been withdrawn or replaced already).

    Like a decision, the reversal takes effect at once on the two records' master persons. With
    ``expected_version``, the withdrawal is refused if the pair's decisions have changed since
    that version.
    """
    with db.session(write=True) as session:
        pair = session.execute(
            select(LinkageDecision.record_a, LinkageDecision.record_b).where(
                LinkageDecision.id == decision_id
            )
        ).first()
        if pair is None:
            raise NotFoundError(f"linkage decision {decision_id} does not exist")
        state = _locked_state(session, pair[0], pair[1], expected_version)
        if state.standing != decision_id:
            return False
        session.execute(
            update(LinkageDecision)
            .where(LinkageDecision.id == decision_id, LinkageDecision.reversed_at.is_(None))
            .values(reversed_by=who, reversed_at=utcnow(), reversed_reason=why)
        )
    apply_decision(db, pair[0], pair[1], thresholds=thresholds)
    return True
