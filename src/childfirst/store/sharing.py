"""The tables of information sharing: what was sent to which partner agency, and its reply.

A notification is addressed to one organisation of a kind of partner agency: a school by the
school's own record, or, when the organisation is not known, to nobody yet, for the police to find
out. The partner's acknowledgement is kept on it: who, and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from childfirst.store.models import ID, Base


class Notification(Base):
    """A concern shared with one partner organisation."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("concern_id", "agency", name="uq_notifications_concern_agency"),
        Index("ix_notifications_addressee", "agency", "organisation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    # The kind of partner it is for: the partner role that reads it ("school").
    agency: Mapped[str] = mapped_column(String(40))
    # The organisation it is addressed to (a school's location record), None when not known.
    organisation: Mapped[str | None] = mapped_column(ID)
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
