"""What a partner organisation may see: what is addressed to it, by organisation, never by role.

A concern reaches a partner organisation in one of two ways:

- a notification is addressed to it (Operation Encompass tells a child's own school: see
  ``childfirst.sharing.notifications``); the organisation then sees the concern and its actions;
- the concern has an action for the organisation's kind of agency (children's social care, say)
  and the organisation holds a record of the child: the local authority whose children's social
  care records know the child, not every local authority. It then sees the actions for its kind.

A partner account without an organisation is reached by nothing. Everything else does not exist
for the partner: the pages and the API answer "not found", as for something that does not exist.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, false, or_, select
from sqlalchemy.orm import Session

from childfirst.domain.roles import Role
from childfirst.sharing.notifications import addressed_to
from childfirst.store.models import Action, Concern, MasterMembership, Person
from childfirst.store.sharing import Notification


def holds_child(organisation: str) -> ColumnElement[bool]:
    """A condition on ``Concern``: the organisation holds a record of the concern's child (the
    child's own record, or any record of the master person the child is).

    Written as scalar subqueries, looked up by the indexes for each row asked about: PostgreSQL
    would otherwise turn an EXISTS into a hash of every record the organisation holds."""
    own = (
        select(Person.id)
        .where(Person.id == Concern.child_id, Person.agency == organisation)
        .limit(1)
        .scalar_subquery()
    )
    through_master = (
        select(Person.id)
        .join(MasterMembership, MasterMembership.person_id == Person.id)
        .where(MasterMembership.master_id == Concern.child_id, Person.agency == organisation)
        .limit(1)
        .scalar_subquery()
    )
    return or_(own.is_not(None), through_master.is_not(None))


def holds(session: Session, organisation: str | None, child_id: str) -> bool:
    """Whether the organisation holds a record of the child (as ``holds_child``)."""
    if organisation is None:
        return False
    own = select(Person.id).where(Person.id == child_id, Person.agency == organisation)
    through_master = (
        select(Person.id)
        .join(MasterMembership, MasterMembership.person_id == Person.id)
        .where(MasterMembership.master_id == child_id, Person.agency == organisation)
    )
    return any(session.scalar(q.limit(1)) is not None for q in (own, through_master))


def reached_actions(role: Role, organisation: str | None) -> ColumnElement[bool]:
    """A condition on ``Action`` joined to ``Concern``: the actions a partner organisation of
    kind ``role`` sees (every action of a concern addressed to it; its own kind's actions of a
    concern about a child it holds a record of). Whether the child is held is asked only about
    the partner's own kind's actions (``case``), a few among all the open actions."""
    if organisation is None:
        return false()
    notified = select(Notification.concern_id).where(addressed_to(role, organisation))
    own_kind = case((Action.owner_role == role.value, holds_child(organisation)), else_=false())
    return or_(Concern.id.in_(notified), own_kind)
