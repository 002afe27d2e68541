"""One concern: what it says, what it rests on, the learning behind it, its actions; and changes.

Every view is audited, and every change is audited in the same transaction as the change itself.
A partner agency user sees a concern only when it is addressed to their agency or shared with their
own organisation, and then only its explanation, learning, the actions addressed to them and their
own notification; anything else is "not found".
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.errors import NotFoundError
from childfirst.learning import entry
from childfirst.protection.restricted import restricted_keys
from childfirst.protection.restriction import RestrictedError
from childfirst.rules import actions as rules_actions
from childfirst.rules import concerns as rules_concerns
from childfirst.rules.registry import RULES
from childfirst.sharing import reach
from childfirst.sharing.notifications import is_addressed, notifications_of
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern, ConcernEvidence, ConcernLog
from childfirst.store.sharing import Notification
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.permissions import can_see_action, can_see_concern, is_partner
from childfirst.web.services.events import summaries
from childfirst.web.services.models import (
    ActionView,
    Assignee,
    ConcernView,
    LearningRef,
    LogEntry,
    NotificationView,
)
from childfirst.web.services.names import child_names, rule_title
from childfirst.web.services.partner import for_partner

RULE_DESCRIPTIONS = {r.id: r.description for r in RULES}


def actor(user: CurrentUser) -> audit.Actor:
    return audit.Actor(user.username, user.role.value)


def notification_view(n: Notification) -> NotificationView:
    return NotificationView(
        id=n.id,
        concern_id=n.concern_id,
        agency=n.agency,
        organisation=n.organisation,
        organisation_name=n.organisation_name,
        created_at=n.created_at,
        acknowledged_by=n.acknowledged_by,
        acknowledged_at=n.acknowledged_at,
        note=n.note,
    )


def shared_with(user: CurrentUser, notifications: list[Notification]) -> list[Notification]:
    """The notifications the user may see: a partner only its own organisation's."""
    if not is_partner(user):
        return notifications
    return [n for n in notifications if is_addressed(n, user.role, user.agency_code)]


def _visible(session: Session, user: CurrentUser, concern_id: int) -> tuple[Concern, list[Action]]:
    concern = session.get(Concern, concern_id)
    if concern is None:
        raise NotFoundError(f"concern {concern_id} does not exist")
    actions = list(
        session.scalars(
            select(Action).where(Action.concern_id == concern_id).order_by(Action.due_at, Action.id)
        )
    )
    notified = bool(shared_with(user, notifications_of(session, [concern_id])))
    holds = _holds(session, user, concern)
    if not can_see_concern(user, concern, {a.owner_role for a in actions}, notified, holds):
        # The same words as a concern that does not exist: nothing is revealed.
        raise NotFoundError(f"concern {concern_id} does not exist")
    return concern, actions


def _holds(session: Session, user: CurrentUser, concern: Concern) -> bool:
    """Whether a partner's organisation holds a record of the concern's child (False for the
    police, whom it does not concern)."""
    return is_partner(user) and reach.holds(session, user.agency_code, concern.child_id)


def _learning(ids: list[str]) -> list[LearningRef]:
    found: list[LearningRef] = []
    for learning_id in ids:
        try:
            item = entry(learning_id)
        except NotFoundError:
            found.append(LearningRef(id=learning_id, title=learning_id, kind="unknown"))
            continue
        found.append(LearningRef(id=item.id, title=item.title, kind=item.kind.value))
    return found


def _view(
    session: Session, user: CurrentUser, concern: Concern, actions: list[Action]
) -> ConcernView:
    if concern.child_id in restricted_keys(session):
        # Its explanation names the child and the people around them.
        raise RestrictedError(
            f"processing of the records of concern {concern.id}'s child is restricted under data "
            "protection law: open the child's record for one of the restriction's purposes"
        )
    now = utcnow()
    partner = is_partner(user)
    notifications = shared_with(user, notifications_of(session, [concern.id]))
    holds = _holds(session, user, concern)
    evidence: list[str] = []
    history: list[LogEntry] = []
    if not partner:
        evidence = list(
            session.scalars(
                select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == concern.id)
            )
        )
        history = [
            LogEntry(at=row.at, who=row.who, what=row.what, why=row.why)
            for row in session.scalars(
                select(ConcernLog)
                .where(ConcernLog.concern_id == concern.id)
                .order_by(ConcernLog.id)
            )
        ]
    view = ConcernView(
        id=concern.id,
        rule_id=concern.rule_id,
        rule_title=rule_title(concern.rule_id),
        rule_description=RULE_DESCRIPTIONS.get(concern.rule_id, ""),
        child_id=concern.child_id,
        child_name=child_names(session, [concern.child_id])[concern.child_id],
        severity=concern.severity,
        status=concern.status,
        explanation=concern.explanation,
        first_event_at=concern.first_event_at,
        last_event_at=concern.last_event_at,
        raised_at=concern.raised_at,
        acknowledged_by=concern.acknowledged_by,
        acknowledged_at=concern.acknowledged_at,
        closed_by=concern.closed_by,
        closed_at=concern.closed_at,
        closed_reason=concern.closed_reason,
        version=concern.version,
        learning=_learning([str(i) for i in concern.learning]),
        evidence=summaries(session, evidence),
        actions=[
            ActionView.of(a, now, people=not partner)
            for a in actions
            if can_see_action(user, a, bool(notifications), holds)
        ],
        history=history,
        notifications=[notification_view(n) for n in notifications],
    )
    return for_partner(view) if partner else view


def view_concern(db: Database, user: CurrentUser, concern_id: int) -> ConcernView:
    """The concern as ``user`` may see it; the view is written to the audit log."""
    with db.session(write=True) as session:
        concern, actions = _visible(session, user, concern_id)
        audit.record(
            session,
            actor(user),
            "viewed concern",
            "concern",
            str(concern_id),
            child_id=concern.child_id,
        )
        return _view(session, user, concern, actions)


def acknowledge_concern(
    db: Database, user: CurrentUser, concern_id: int, expected_version: int | None = None
) -> ConcernView:
    with db.session(write=True) as session:
        concern, actions = _visible(session, user, concern_id)
        rules_concerns.acknowledge(
            session, concern_id, by=user.username, expected_version=expected_version
        )
        session.flush()
        audit.record(
            session,
            actor(user),
            "acknowledged concern",
            "concern",
            str(concern_id),
            child_id=concern.child_id,
        )
        return _view(session, user, concern, actions)


def close_concern(
    db: Database,
    user: CurrentUser,
    concern_id: int,
    reason: str,
    expected_version: int | None = None,
) -> ConcernView:
    """Close with a reason (required: the library refuses a blank one)."""
    with db.session(write=True) as session:
        concern, actions = _visible(session, user, concern_id)
        rules_concerns.close(
            session, concern_id, by=user.username, reason=reason, expected_version=expected_version
        )
        session.flush()
        audit.record(
            session,
            actor(user),
            "closed concern",
            "concern",
            str(concern_id),
            child_id=concern.child_id,
            why=reason.strip(),
        )
        return _view(session, user, concern, actions)


def _visible_action(session: Session, user: CurrentUser, action_id: int) -> tuple[Action, Concern]:
    """The action, if the user may see it and its concern; else "not found", as if it did not
    exist."""
    action = rules_actions.get_action(session, action_id)
    concern, _ = _visible(session, user, action.concern_id)
    notified = bool(shared_with(user, notifications_of(session, [concern.id])))
    if not can_see_action(user, action, notified, _holds(session, user, concern)):
        raise NotFoundError(f"action {action_id} does not exist")
    return action, concern


def action_concern(db: Database, user: CurrentUser, action_id: int) -> int:
    """The concern of an action the user may see (else "not found")."""
    with db.session() as session:
        return _visible_action(session, user, action_id)[1].id


def assign_action(
    db: Database,
    user: CurrentUser,
    action_id: int,
    assignee: str,
    expected_version: int | None = None,
) -> ActionView:
    """Give the action to an account of its owner role or a supervisor; audited with the change.
    Refused if the action has changed since ``expected_version`` (the version the user saw)."""
    with db.session(write=True) as session:
        action, concern = _visible_action(session, user, action_id)
        rules_actions.assign_action(session, action_id, user.username, assignee, expected_version)
        session.flush()
        audit.record(
            session,
            actor(user),
            "assigned action",
            "action",
            str(action_id),
            child_id=concern.child_id,
            why=f"assigned to {action.assigned_to}",
        )
        return ActionView.of(action, utcnow())


def complete_action(
    db: Database,
    user: CurrentUser,
    action_id: int,
    note: str,
    expected_version: int | None = None,
) -> ActionView:
    """Record the action as done, with the note of what was done; audited with the change.
    Refused if the action has changed since ``expected_version`` (the version the user saw)."""
    with db.session(write=True) as session:
        action, concern = _visible_action(session, user, action_id)
        rules_actions.complete_action(session, action_id, user.username, note, expected_version)
        session.flush()
        audit.record(
            session,
            actor(user),
            "completed action",
            "action",
            str(action_id),
            child_id=concern.child_id,
            why=action.note,
        )
        return ActionView.of(action, utcnow())


def assignees(db: Database, actions: list[ActionView]) -> dict[int, list[Assignee]]:
    """For each open action, the accounts it may be given to."""
    with db.session() as session:
        by_role = {
            role: [
                Assignee(username=a.username, display_name=a.display_name, role=a.role)
                for a in rules_actions.eligible_accounts(session, role)
            ]
            for role in {a.owner_role for a in actions if a.status == "open"}
        }
    return {a.id: by_role[a.owner_role] for a in actions if a.status == "open"}
