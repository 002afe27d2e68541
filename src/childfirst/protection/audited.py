"""Writing a data protection operation to the audit log, in the operation's own transaction.

The audit log lives in the web layer (``childfirst.web.audit``), which itself serves these
operations; it is imported when an entry is written, so that either side may be imported first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from childfirst.web.audit import Actor


def audit(
    session: Session,
    actor: Actor,
    action: str,
    target_kind: str,
    target_id: str,
    *,
    why: str | None = None,
    people: Iterable[str] = (),
    child_id: str | None = None,
) -> None:
    """Append one entry (``childfirst.web.audit.record``); call it in a write session.

    ``people`` are the ids (master person and records) of everyone the operation showed or
    changed, and ``child_id`` the one person it is about, where it is one: so that the entry is
    listed on that person's "who has looked" page."""
    from childfirst.web import audit as log

    log.record(
        session, actor, action, target_kind, target_id, why=why, people=people, child_id=child_id
    )
