"""The audit log as the web application uses it: record views and changes, and list who has seen a
child. The log itself (keyed seals, signed head and checkpoints, verification) is
``childfirst.audit``; the names here are what the services call.

Every page or answer that shows a person is audited once per view, naming the people it showed:
``viewed`` for one record, ``viewed_list`` for a list (a work queue, notifications, a dashboard).
"""

from __future__ import annotations

from collections.abc import Iterable

from childfirst.audit.chain import Actor, Head, about_child, head, people_of, record
from childfirst.audit.checkpoints import Checkpoint
from childfirst.audit.verify import verify, verify_database
from childfirst.store.database import Database
from childfirst.web.auth import CurrentUser

__all__ = [
    "Actor",
    "Checkpoint",
    "Head",
    "about_child",
    "head",
    "people_of",
    "record",
    "verify",
    "verify_database",
    "viewed",
    "viewed_list",
]


def actor_of(user: CurrentUser) -> Actor:
    return Actor(user.username, user.role.value)


def viewed(
    db: Database,
    user: CurrentUser,
    action: str,
    target_kind: str,
    target_id: str,
    *,
    people: Iterable[str] = (),
    child_id: str | None = None,
    why: str | None = None,
) -> None:
    """One entry, in its own transaction, for a page that showed ``people``."""
    with db.session(write=True) as session:
        record(
            session,
            actor_of(user),
            action,
            target_kind,
            target_id,
            child_id=child_id,
            why=why,
            people=people,
        )


def viewed_list(
    db: Database, user: CurrentUser, page: str, people: Iterable[str], why: str | None = None
) -> None:
    """One entry for a list page (``page`` names it: "work queue", "notifications", ...) naming
    every person it showed."""
    viewed(db, user, f"viewed {page}", "list", page, people=people, why=why)
