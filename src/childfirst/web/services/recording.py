"""Recording records through the web: the library's recording, audited, and what it raised.

The pages and the API both come here, and both reach ``childfirst.ingest.recording``: the same
validation, the same all-or-nothing write, the same rules judging the events at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.ingest import authority
from childfirst.ingest.importer import ImportSummary, Within
from childfirst.ingest.recording import parse_records, record_batch
from childfirst.sharing.notifications import notifications_of
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.concern import actor, notification_view, shared_with
from childfirst.web.services.models import ActionView, NotificationView
from childfirst.web.services.names import child_names, rule_title


class RaisedConcern(BaseModel):
    """A concern that rests on what was recorded, with its actions and who it was shared with."""

    id: int
    rule_id: str
    rule_title: str
    severity: str
    status: str
    child_id: str
    child_name: str
    explanation: str
    actions: list[ActionView]
    notifications: list[NotificationView]


class RecordingResult(BaseModel):
    batch_id: int
    records: int
    created: int
    changed: int
    unchanged: int
    events: list[str]
    raised: int
    grown: int
    concerns: list[RaisedConcern]
    # Records not written because they were erased under data protection law, each named.
    warnings: list[str] = []


def raised_concerns(
    db: Database, user: CurrentUser, concern_ids: Sequence[int]
) -> list[RaisedConcern]:
    if not concern_ids:
        return []
    now = utcnow()
    with db.session() as session:
        concerns = session.scalars(
            select(Concern).where(Concern.id.in_(sorted(concern_ids))).order_by(Concern.id)
        ).all()
        actions = session.scalars(
            select(Action)
            .where(Action.concern_id.in_(sorted(concern_ids)))
            .order_by(Action.due_at, Action.id)
        ).all()
        shared = shared_with(user, notifications_of(session, concern_ids))
        names = child_names(session, {c.child_id for c in concerns})
    return [
        RaisedConcern(
            id=c.id,
            rule_id=c.rule_id,
            rule_title=rule_title(c.rule_id),
            severity=c.severity,
            status=c.status,
            child_id=c.child_id,
            child_name=names[c.child_id],
            explanation=c.explanation,
            actions=[ActionView.of(a, now) for a in actions if a.concern_id == c.id],
            notifications=[notification_view(n) for n in shared if n.concern_id == c.id],
        )
        for c in concerns
    ]


def authorise(db: Database, user: CurrentUser, items: Sequence[Any]) -> list[str]:
    """The source agencies of ``items``, when ``user`` may write for every one of them, each with
    its own kind of agency; raises ``AgencyAuthorityError`` naming each record of another agency
    (or given another kind) otherwise, with nothing of the batch written and the attempt audited
    (``refused records``).

    Records that cannot be read are left to the recording's validation, which refuses them."""
    parsed, _ = parse_records(items)
    mine = user.write_agencies & set(authority.agencies_of(parsed))
    with db.session() as session:
        kinds = authority.kinds_for(session, user.role, user.agency_code, mine)
    try:
        authority.check(
            parsed,
            user.write_agencies,
            writer=f"{user.username} ({organisation(user)})",
            kinds=kinds,
        )
    except authority.AgencyAuthorityError as refused:
        theirs = sorted({r.agency for r in refused.refused})
        with db.session(write=True) as session:
            audit.record(
                session,
                actor(user),
                "refused records",
                "agency",
                ", ".join(theirs)[:100],
                why=f"{written_for(user, theirs)}: {len(refused.refused)} of {len(parsed)} records",
            )
        raise
    return authority.agencies_of(parsed)


def organisation(user: CurrentUser) -> str:
    return user.agency_code or "no organisation"


def written_for(user: CurrentUser, agencies: Sequence[str]) -> str:
    """The audit's words for who wrote and in whose name."""
    return f"by {organisation(user)} for {', '.join(agencies)}"


def _audited(user: CurrentUser, agencies: list[str]) -> Within:
    """The audit of a recording, written in the transaction that writes its records."""

    def write(session: Session, summary: ImportSummary) -> None:
        if not summary.total_created and not summary.total_changed:
            return  # sent again unchanged: nothing was recorded
        why = written_for(user, agencies)
        audit.record(
            session,
            actor(user),
            "recorded records",
            "batch",
            str(summary.batch_id),
            why=f"{why}: {summary.total_created} new, {summary.total_changed} changed",
        )
        for event_id in summary.events_touched:
            audit.record(session, actor(user), "recorded event", "event", event_id, why=why)

    return write


def audited_import(operator: str) -> Callable[[Session, authority.Imported], None]:
    """An import file's batch in the audit log, written in the batch's own transaction: the
    operator who ran it (their account on the machine) and the agencies it wrote records for;
    nothing when it wrote nothing."""

    def write(session: Session, imported: authority.Imported) -> None:
        summary = imported.summary
        if not imported.agencies:
            return
        audit.record(
            session,
            audit.Actor.operator(operator),
            "imported records",
            "batch",
            str(summary.batch_id),
            why=(
                f"for {', '.join(imported.agencies)}: {summary.total_created} new, "
                f"{summary.total_changed} changed"
            ),
        )

    return write


def record_records(db: Database, user: CurrentUser, items: Sequence[Any]) -> RecordingResult:
    """Record ``items`` (import-format records) for ``user``; see ``record_batch``.

    Refused whole, with nothing written, when any record is of an agency ``user`` may not write
    for (``authorise``)."""
    agencies = authorise(db, user, items)
    recorded = record_batch(db, items, by=user.username, within=_audited(user, agencies))
    summary, evaluation = recorded.summary, recorded.evaluation
    return RecordingResult(
        batch_id=summary.batch_id,
        records=summary.records,
        created=summary.total_created,
        changed=summary.total_changed,
        unchanged=summary.total_unchanged,
        events=recorded.event_ids,
        raised=evaluation.raised if evaluation else 0,
        grown=evaluation.grown if evaluation else 0,
        concerns=raised_concerns(db, user, recorded.concern_ids),
        warnings=summary.skipped_erased,
    )
