"""Working a concern's actions: giving one to a person, and recording that it was done.

An action is owned by a role; it may be assigned to one active account of that role, or to a
supervisor. Completing it needs a note of what was done, and a done or cancelled action stays as
it is. Every change is written to the concern's log with who, what and why; nothing is deleted.

Each change names the version of the action its author saw, and is refused
(``ConcurrentEditError``, saying who changed it, when, and its status now) if the action has
changed since: of two people assigning or completing the same action at once, one wins and the
other is told, whatever the database.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.domain.roles import Role
from childfirst.errors import InvalidValueError, NotFoundError, require_version
from childfirst.rules.concerns import ConcernStateError, _log
from childfirst.store.access import Account
from childfirst.store.locks import locked
from childfirst.store.models import Action

NOTE_LIMIT = 4000


def get_action(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFoundError(f"action {action_id} does not exist")
    return action


def _for_change(session: Session, action_id: int, expected_version: int | None) -> Action:
    """The action, locked for a change; refused if it is no longer at ``expected_version``
    (None: whatever version it is at now)."""
    action = locked(session, Action, action_id)
    if action is None:
        raise NotFoundError(f"action {action_id} does not exist")
    require_version(
        "action",
        str(action_id),
        expected_version,
        action.version,
        changed_by=action.changed_by,
        changed_at=action.changed_at,
        status=action.status,
    )
    return action


def eligible_roles(owner_role: str) -> set[str]:
    """The roles whose accounts may be given an action of ``owner_role``: it, and supervisors."""
    return {owner_role, Role.SUPERVISOR.value}


def eligible_accounts(session: Session, owner_role: str) -> list[Account]:
    """The active accounts an action of ``owner_role`` may be assigned to, by name."""
    return list(
        session.scalars(
            select(Account)
            .where(Account.active.is_(True), Account.role.in_(sorted(eligible_roles(owner_role))))
            .order_by(Account.display_name, Account.username)
        )
    )


def _label(role: str) -> str:
    return role.replace("_", " ")


def _open(action: Action, change: str) -> None:
    if action.status != "open":
        raise ConcernStateError(
            f"action {action.id} is {action.status}: only an open action can be {change}"
        )


def assign_action(
    session: Session,
    action_id: int,
    who: str,
    assignee: str,
    expected_version: int | None = None,
) -> Action:
    """Give an open action to ``assignee``: the username of an active account of the action's
    owner role, or of a supervisor."""
    action = _for_change(session, action_id, expected_version)
    _open(action, "assigned")
    account = session.scalar(select(Account).where(Account.username == assignee.strip()))
    if account is None or not account.active:
        raise InvalidValueError(f"there is no active account '{assignee.strip()}' to assign to")
    if account.role not in eligible_roles(action.owner_role):
        raise InvalidValueError(
            f"{account.username} has the {_label(account.role)} role: this action can be assigned "
            f"only to someone in the {_label(action.owner_role)} role or a supervisor"
        )
    if action.assigned_to == account.username:
        raise ConcernStateError(f"action {action_id} is already assigned to {account.username}")
    now = utcnow()
    action.assigned_to, action.changed_by, action.changed_at = account.username, who, now
    _log(
        session,
        action.concern_id,
        who,
        "action assigned",
        f"{action.title}: assigned to {account.username}",
        now,
    )
    return action


def complete_action(
    session: Session,
    action_id: int,
    who: str,
    note: str,
    expected_version: int | None = None,
) -> Action:
    """Record that an open action was done, with a note of what was done (required)."""
    text = note.strip()
    if not text:
        raise InvalidValueError("say what was done: an action cannot be completed without a note")
    if len(text) > NOTE_LIMIT:
        raise InvalidValueError(f"the note is longer than {NOTE_LIMIT} characters")
    action = _for_change(session, action_id, expected_version)
    _open(action, "completed")
    now = utcnow()
    action.status, action.done_by, action.done_at, action.note = "done", who, now, text
    action.changed_by, action.changed_at = who, now
    _log(session, action.concern_id, who, "action done", f"{action.title}: {text}", now)
    return action
