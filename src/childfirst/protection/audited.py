"""Writing a data protection operation to the audit log, in the operation's own transaction.

The audit log lives in the web layer (``childfirst.web.audit``), which itself serves these
operations; it is imported when an entry is written, so that either side may be imported first.
"""

from __future__ import annotations

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
) -> None:
    """Append one entry (``childfirst.web.audit.record``); call it in a write session."""
    from childfirst.web import audit as log

    log.record(session, actor, action, target_kind, target_id, why=why)
