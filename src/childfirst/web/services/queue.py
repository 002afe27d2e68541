"""The work queue: open actions for the signed-in role, overdue first, then by deadline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from childfirst.domain.clock import utcnow
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.permissions import action_scope
from childfirst.web.services.models import QueueItem, WorkQueue
from childfirst.web.services.names import child_names, rule_title

LIMIT = 500


def work_queue(db: Database, user: CurrentUser, now: datetime | None = None) -> WorkQueue:
    now = now or utcnow()
    query = (
        select(Action, Concern)
        .join(Concern, Concern.id == Action.concern_id)
        .where(Action.status == "open", Concern.status != "closed", action_scope(user))
        .order_by(Action.due_at, Action.id)
        .limit(LIMIT)
    )
    with db.session() as session:
        rows = session.execute(query).all()
        names = child_names(session, {c.child_id for _, c in rows})
    items = [
        QueueItem(
            action_id=a.id,
            title=a.title,
            owner_role=a.owner_role,
            due_at=a.due_at,
            due_rule=a.due_rule,
            overdue=a.due_at < now,
            concern_id=c.id,
            rule_id=c.rule_id,
            rule_title=rule_title(c.rule_id),
            severity=c.severity,
            concern_status=c.status,
            child_id=c.child_id,
            child_name=names[c.child_id],
        )
        for a, c in rows
    ]
    # Ordered by deadline, overdue actions already come first; keep that explicit for readers.
    items.sort(key=lambda i: (not i.overdue, i.due_at, i.action_id))
    audit.viewed_list(db, user, "work queue", (i.child_id for i in items))
    return WorkQueue(role=user.role.value, items=items)
