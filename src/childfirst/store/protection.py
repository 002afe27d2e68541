"""The tables of data protection: retention decisions, erasure tombstones and restrictions.

None of them holds personal data: a person is named only by the stable id of a record (a hash of
its provenance, see ``store.identity``) or of a master person, and reasons are the reviewer's words.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from childfirst.store.models import ID, Base


class RetentionDecision(Base):
    """A review of what is held about one person: retained (with the next review date) or erased.

    ``person_key`` is the master person when the records are linked, else the person record.
    """

    __tablename__ = "retention_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_key: Mapped[str] = mapped_column(ID, index=True)
    retention_group: Mapped[str] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime)


class Erasure(Base):
    """The tombstone of an erased record: what was removed, when, by whom, why. No personal data."""

    __tablename__ = "erasures"
    __table_args__ = (UniqueConstraint("entity", "record_id", name="uq_erasures_record"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(ID)
    agency: Mapped[str] = mapped_column(String(100))
    system: Mapped[str] = mapped_column(String(100))
    erased_at: Mapped[datetime] = mapped_column(DateTime)
    erased_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("retention_decisions.id"))
    # How much of what was removed, by kind ("versions": 3, "event texts": 2, ...).
    removed: Mapped[dict[str, Any]] = mapped_column(JSON)


class ProcessingRestriction(Base):
    """A restriction of processing on a person: kept, but out of the rules, search and views
    except for the purposes named. Lifting it keeps who, when and why."""

    __tablename__ = "processing_restrictions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_key: Mapped[str] = mapped_column(ID, index=True)
    reason: Mapped[str] = mapped_column(Text)
    purposes: Mapped[list[Any]] = mapped_column(JSON)
    restricted_by: Mapped[str] = mapped_column(String(100))
    restricted_at: Mapped[datetime] = mapped_column(DateTime)
    lifted_by: Mapped[str | None] = mapped_column(String(100))
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime)
    lifted_reason: Mapped[str | None] = mapped_column(Text)
