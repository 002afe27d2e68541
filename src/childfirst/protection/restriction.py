"""Restriction of processing: a person's records kept but not used, except for named purposes.

While a restriction stands, the person is left out of the rules (the loader does not give them to
any rule), out of search results (which say that a restricted person was left out), and their
record is shown only to someone who names one of the restriction's purposes, which is audited.
A restriction is placed and lifted with a reason; both are audited, and lifting keeps the record of
who restricted, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.errors import InvalidValueError, NotAuthorisedError, NotFoundError
from childfirst.protection.audited import audit
from childfirst.protection.restricted import active_restrictions
from childfirst.protection.subjects import MASTER_PREFIX, records_of, subject_keys
from childfirst.store.database import Database
from childfirst.store.protection import ProcessingRestriction

if TYPE_CHECKING:
    from childfirst.web.audit import Actor

# The purposes a restricted record may still be used for (Data Protection Act 2018, ss. 47-48 and
# UK GDPR article 18(2)); a restriction names those that apply.
PURPOSES: dict[str, str] = {
    "evidence": "kept as evidence for legal proceedings or an investigation",
    "accuracy": "checking the accuracy the person contests",
    "legal_claims": "establishing, exercising or defending legal claims",
    "protection_of_others": "protecting the rights of another person, a child at risk above all",
    "subject_access": "answering the person's own request for their data",
}


class RestrictedError(NotAuthorisedError):
    """A restricted person's record was asked for without one of the restriction's purposes."""


@dataclass(frozen=True)
class Restriction:
    id: int
    person_key: str
    reason: str
    purposes: list[str]
    restricted_by: str
    restricted_at: str

    @property
    def notice(self) -> str:
        allowed = ", ".join(self.purposes) or "none"
        return (
            f"Processing of this person's records is restricted (since {self.restricted_at[:10]}, "
            f"by {self.restricted_by}): they are left out of the rules and of search, and may be "
            f"used only for: {allowed}."
        )


def _view(row: ProcessingRestriction) -> Restriction:
    return Restriction(
        row.id,
        row.person_key,
        row.reason,
        list(row.purposes),
        row.restricted_by,
        row.restricted_at.isoformat(),
    )


def _key(session: Session, person: str) -> str:
    records = records_of(session, person)
    keys = set(subject_keys(session, records).values())
    return person if person.startswith(MASTER_PREFIX) else sorted(keys)[0]


def restrict(
    db: Database, actor: Actor, person: str, reason: str, purposes: Iterable[str]
) -> Restriction:
    """Restrict processing of ``person`` (a master person or a person record)."""
    reason = reason.strip()
    allowed = sorted(set(purposes))
    if not reason:
        raise InvalidValueError("a restriction needs a reason")
    unknown = [p for p in allowed if p not in PURPOSES]
    if unknown:
        raise InvalidValueError(
            f"no such purpose {unknown[0]!r}: use {', '.join(sorted(PURPOSES))}"
        )
    with db.session(write=True) as session:
        key = _key(session, person)
        if restriction_of(session, [key]) is not None:
            raise InvalidValueError(f"processing of {key} is already restricted")
        row = ProcessingRestriction(
            person_key=key,
            reason=reason,
            purposes=allowed,
            restricted_by=actor.username,
            restricted_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit(
            session,
            actor,
            "restriction.place",
            "person",
            key,
            why=f"restriction {row.id} (purposes: {', '.join(allowed) or 'none'}): {reason}",
            people=sorted(restricted_keys_of(session, key)),
            child_id=key,
        )
        return _view(row)


def lift(db: Database, actor: Actor, person: str, reason: str) -> Restriction:
    """Lift the restriction on ``person``, keeping who restricted, when and why."""
    reason = reason.strip()
    if not reason:
        raise InvalidValueError("lifting a restriction needs a reason")
    with db.session(write=True) as session:
        key = _key(session, person)
        rows = [r for r in active_restrictions(session) if r.person_key == key]
        if not rows:
            raise NotFoundError(f"processing of {key} is not restricted")
        for row in rows:
            row.lifted_by = actor.username
            row.lifted_at = utcnow()
            row.lifted_reason = reason
        session.flush()
        audit(
            session,
            actor,
            "restriction.lift",
            "person",
            key,
            why=f"restriction {rows[0].id} lifted: {reason}",
            people=sorted(restricted_keys_of(session, key)),
            child_id=key,
        )
        return _view(rows[0])


def restriction_of(session: Session, keys: Iterable[str]) -> Restriction | None:
    """The restriction standing on any of ``keys`` (person records or master persons), if any."""
    wanted = set(keys)
    if not wanted:
        return None
    for row in active_restrictions(session):
        if row.person_key in wanted or wanted & restricted_keys_of(session, row.person_key):
            return _view(row)
    return None


def restricted_keys_of(session: Session, key: str) -> set[str]:
    try:
        records = set(records_of(session, key))
    except NotFoundError:
        return {key}
    return records | set(subject_keys(session, records).values()) | {key}


def use_restricted(
    session: Session, actor: Actor, keys: Iterable[str], purpose: str | None
) -> Restriction | None:
    """Allow a use of the person ``keys`` name, or raise ``RestrictedError``.

    Unrestricted people pass (None). A restricted one passes only when ``purpose`` is one the
    restriction names; the use is then audited with the purpose, and the restriction returned so
    that it is shown beside the record."""
    restriction = restriction_of(session, keys)
    if restriction is None:
        return None
    if purpose not in restriction.purposes:
        allowed = ", ".join(restriction.purposes) or "no purpose"
        raise RestrictedError(
            f"processing of {restriction.person_key} is restricted: it may be used only for "
            f"{allowed} (give the purpose)"
        )
    audit(
        session,
        actor,
        "restriction.use",
        "person",
        restriction.person_key,
        why=f"for {purpose}: {PURPOSES[purpose]}",
        people=sorted(restricted_keys_of(session, restriction.person_key)),
        child_id=restriction.person_key,
    )
    return restriction
