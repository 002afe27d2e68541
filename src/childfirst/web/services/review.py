"""The linkage review queue: pairs of records the model was unsure about, shown side by side with
the evidence for and against, and the decisions analysts record on them.

Deciding and withdrawing go through the linkage library (``decide``, ``reverse_decision``), which
keeps every decision and marks withdrawn ones reversed with who, when and why; each is also written
to the audit log. Viewing a pair that includes a child's record is audited against that child.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from childfirst.domain.age import is_child
from childfirst.domain.clock import UtcDateTime, utcnow
from childfirst.domain.names import full_name
from childfirst.errors import ChildfirstError, ConcurrentEditError, NotFoundError, require_version
from childfirst.linkage import decide, reverse_decision, review_queue
from childfirst.linkage.decisions import pair_state
from childfirst.search.keys import printable
from childfirst.store.database import Database
from childfirst.store.models import (
    LinkageDecision,
    LinkageReviewPair,
    Location,
    MasterMembership,
    Person,
    PersonAddress,
)
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.concern import actor

Decision = Literal["same", "not_same"]
DECISION_WORDS = {"same": "the same person", "not_same": "not the same person"}
COMPARISONS = {
    "given_name": "Given name",
    "surname": "Family name",
    "dob": "Date of birth",
    "postcode": "Postcode",
    "identifier": "Identifier",
    "house_number": "House number",
    "street": "Street",
    "suburb": "Town or district",
    "sex": "Sex",
}


class ReviewStateError(ChildfirstError):
    """A change the pair's current state does not allow (for example, nothing to withdraw)."""


class QueueSide(BaseModel):
    person_id: str
    agency: str
    name: str
    date_of_birth: date | None


class QueuePair(BaseModel):
    id: int
    match_probability: float
    left: QueueSide | None
    right: QueueSide | None


class DecisionView(BaseModel):
    id: int
    decision: str
    words: str
    decided_by: str
    decided_at: UtcDateTime
    reason: str
    reversed_by: str | None
    reversed_at: UtcDateTime | None
    reversed_reason: str | None


class ReviewQueue(BaseModel):
    items: list[QueuePair]
    recent: list[DecisionView]


class Address(BaseModel):
    address: str
    postcode: str | None
    from_date: date | None
    to_date: date | None


class RecordSide(BaseModel):
    person_id: str
    agency: str
    system: str
    source_id: str
    name: str
    given_name: str | None
    middle_names: str | None
    family_name: str | None
    aliases: list[str]
    date_of_birth: date | None
    sex: str
    master_id: str | None
    addresses: list[Address]


class Evidence(BaseModel):
    comparison: str
    label: str
    level: str
    match_weight: float
    direction: Literal["for", "against", "neutral"]


class PairView(BaseModel):
    id: int
    status: str
    match_probability: float
    match_weight: float
    left: RecordSide
    right: RecordSide
    evidence: list[Evidence]
    decisions: list[DecisionView]
    active_decision: DecisionView | None
    # The version of the decisions on the pair, which a decision or withdrawal names.
    version: int


def _side(row: dict[str, Any] | None) -> QueueSide | None:
    if row is None:
        return None
    return QueueSide(
        person_id=row["id"],
        agency=row["agency"],
        name=full_name(row["given_name"], row["family_name"]),
        date_of_birth=row["date_of_birth"],
    )


def _decision(row: LinkageDecision) -> DecisionView:
    return DecisionView(
        id=row.id,
        decision=row.decision,
        words=DECISION_WORDS.get(row.decision, row.decision),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        reason=row.reason,
        reversed_by=row.reversed_by,
        reversed_at=row.reversed_at,
        reversed_reason=row.reversed_reason,
    )


def queue(db: Database, user: CurrentUser, limit: int = 50) -> ReviewQueue:
    """The open pairs (from the linkage library) and the latest decisions, newest first; the
    view is audited, naming every record shown."""
    items = [
        QueuePair(
            id=i["id"],
            match_probability=i["match_probability"],
            left=_side(i["left"]),
            right=_side(i["right"]),
        )
        for i in review_queue(db, limit=limit)
    ]
    with db.session() as session:
        recent = session.scalars(
            select(LinkageDecision).order_by(LinkageDecision.id.desc()).limit(20)
        ).all()
        found = ReviewQueue(items=items, recent=[_decision(d) for d in recent])
    shown = (side.person_id for i in items for side in (i.left, i.right) if side is not None)
    audit.viewed_list(db, user, "linkage review queue", shown)
    return found


def _record(session: Session, person_id: str) -> RecordSide:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"person {person_id} does not exist")
    master = session.scalar(
        select(MasterMembership.master_id).where(MasterMembership.person_id == person_id)
    )
    addresses = [
        Address(address=address, postcode=postcode, from_date=start, to_date=end)
        for address, postcode, start, end in session.execute(
            select(
                Location.address, Location.postcode, PersonAddress.from_date, PersonAddress.to_date
            )
            .join(Location, Location.id == PersonAddress.location_id)
            .where(PersonAddress.person_id == person_id)
            .order_by(PersonAddress.from_date.desc(), Location.address)
        )
    ]
    aliases = [
        full_name(a.get("given_name"), a.get("family_name")) + f" ({a.get('kind', 'alias')})"
        for a in person.aliases or []
        if isinstance(a, dict)
    ]
    return RecordSide(
        person_id=person.id,
        agency=person.agency,
        system=person.system,
        source_id=person.source_id,
        name=full_name(person.given_name, person.family_name),
        given_name=person.given_name,
        middle_names=person.middle_names,
        family_name=person.family_name,
        aliases=aliases,
        date_of_birth=person.date_of_birth,
        sex=person.sex,
        master_id=master,
        addresses=addresses,
    )


def _evidence(stored: dict[str, Any]) -> list[Evidence]:
    found = []
    for name, value in stored.items():
        if not isinstance(value, dict):
            continue
        weight = float(value.get("match_weight") or 0.0)
        direction: Literal["for", "against", "neutral"] = (
            "for" if weight > 0 else "against" if weight < 0 else "neutral"
        )
        found.append(
            Evidence(
                comparison=name,
                label=COMPARISONS.get(name, name.replace("_", " ").capitalize()),
                level=str(value.get("level", "")),
                match_weight=weight,
                direction=direction,
            )
        )
    return sorted(found, key=lambda e: -abs(e.match_weight))


def _pair(session: Session, pair_id: int) -> LinkageReviewPair:
    pair = session.get(LinkageReviewPair, pair_id)
    if pair is None:
        raise NotFoundError(f"review pair {pair_id} does not exist")
    return pair


def _view(session: Session, pair: LinkageReviewPair) -> PairView:
    decisions = [
        _decision(d)
        for d in session.scalars(
            select(LinkageDecision)
            .where(
                and_(
                    LinkageDecision.record_a == pair.record_a,
                    LinkageDecision.record_b == pair.record_b,
                )
            )
            .order_by(LinkageDecision.id.desc())
        )
    ]
    return PairView(
        id=pair.id,
        status=pair.status,
        match_probability=pair.match_probability,
        match_weight=pair.match_weight,
        left=_record(session, pair.record_a),
        right=_record(session, pair.record_b),
        evidence=_evidence(pair.evidence or {}),
        decisions=decisions,
        active_decision=next((d for d in decisions if d.reversed_at is None), None),
        version=pair_state(session, pair.record_a, pair.record_b).version,
    )


def _child_of(view: PairView) -> str | None:
    """The record id of a child in the pair, for filing the audit entry under the child."""
    today = utcnow().date()
    for side in (view.left, view.right):
        if is_child(side.date_of_birth, today):
            return side.master_id or side.person_id
    return None


def _audited_view(
    db: Database,
    user: CurrentUser,
    pair_id: int,
    what: str,
    target_kind: str,
    target_id: int,
    why: str | None = None,
) -> PairView:
    """The pair as it now stands, with an audit entry filed against the child in it (if any)."""
    with db.session(write=True) as session:
        view = _view(session, _pair(session, pair_id))
        audit.record(
            session,
            actor(user),
            what,
            target_kind,
            str(target_id),
            child_id=_child_of(view),
            why=why,
            people=(view.left.person_id, view.right.person_id),
        )
        return view


def view_pair(db: Database, user: CurrentUser, pair_id: int) -> PairView:
    """Both records side by side with the evidence and every decision on them; audited."""
    return _audited_view(db, user, pair_id, "viewed linkage pair", "linkage_pair", pair_id)


def _as_pair(pair_id: int, refused: ConcurrentEditError) -> ConcurrentEditError:
    """The refusal, naming the pair as the person saw it."""
    return ConcurrentEditError(
        "linkage pair",
        str(pair_id),
        refused.expected,
        refused.actual,
        changed_by=refused.changed_by,
        changed_at=refused.changed_at,
        status=refused.status,
    )


def decide_pair(
    db: Database,
    user: CurrentUser,
    pair_id: int,
    decision: Decision,
    reason: str,
    expected_version: int | None = None,
) -> PairView:
    """Record that the pair's records are, or are not, one person; replaces any earlier decision.
    With ``expected_version``, refused if the pair's decisions changed since that version."""
    reason = printable(reason).strip()
    if not reason:
        raise ReviewStateError("give the reason for the decision")
    with db.session() as session:
        pair = _pair(session, pair_id)
        record_a, record_b = pair.record_a, pair.record_b
    try:
        decision_id = decide(
            db,
            record_a,
            record_b,
            decision,
            who=user.username,
            why=reason,
            expected_version=expected_version,
        )
    except ConcurrentEditError as refused:
        raise _as_pair(pair_id, refused) from None
    what = f"decided linkage: {DECISION_WORDS[decision]}"
    return _audited_view(db, user, pair_id, what, "linkage_decision", decision_id, reason)


def withdraw_decision(
    db: Database,
    user: CurrentUser,
    pair_id: int,
    reason: str,
    expected_version: int | None = None,
) -> PairView:
    """Withdraw the pair's standing decision; it stays on record, marked reversed. With
    ``expected_version``, refused if the pair's decisions changed since that version."""
    reason = printable(reason).strip()
    if not reason:
        raise ReviewStateError("give the reason for withdrawing the decision")
    with db.session() as session:
        pair = _pair(session, pair_id)
        state = pair_state(session, pair.record_a, pair.record_b)
    if state.standing is None:
        require_version(
            "linkage pair",
            str(pair_id),
            expected_version,
            state.version,
            changed_by=state.changed_by,
            changed_at=state.changed_at,
            status=state.status,
        )
        raise ReviewStateError("there is no decision on this pair to withdraw")
    try:
        withdrawn = reverse_decision(
            db, state.standing, who=user.username, why=reason, expected_version=expected_version
        )
    except ConcurrentEditError as refused:
        raise _as_pair(pair_id, refused) from None
    if not withdrawn:
        raise ReviewStateError("the decision on this pair was withdrawn or replaced meanwhile")
    what = "withdrew linkage decision"
    return _audited_view(db, user, pair_id, what, "linkage_decision", state.standing, reason)
