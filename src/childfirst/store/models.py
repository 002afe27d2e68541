"""The tables of the record.

Each POLE table holds the current version of every record, keyed by a stable id derived from its
provenance (agency, system, source id), with the record as received kept beside the typed columns.
Superseded versions move to ``record_versions``, which is only ever appended to.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

ID = String(24)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class SourceRecord(Base):
    """Columns every imported record carries: who holds it, where from, when, which version."""

    __abstract__ = True

    # Derived from (kind, agency, system, source_id): see store.identity. Being the primary key, it
    # also keeps each source record unique, and a record is found by its source id through it.
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    agency: Mapped[str] = mapped_column(String(100))
    agency_kind: Mapped[str] = mapped_column(String(40))
    system: Mapped[str] = mapped_column(String(100))
    source_id: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(32))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version, "version_id_generator": False}


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    files: Mapped[list[Any]] = mapped_column(JSON)
    created: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)


class PendingEvaluation(Base):
    """A record an import wrote that is still to be worked on: an event the rules have still to
    judge, or a person record still to be matched against the master person index. Written with
    the record, in the same transaction, and deleted when the work is stored (``store/pending.py``).
    """

    __tablename__ = "pending_evaluations"
    __table_args__ = (Index("ix_pending_evaluations_kind_record", "kind", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # "event" or "person"
    # No foreign key: a mark never stands in the way of erasing the record it names.
    record_id: Mapped[str] = mapped_column(ID)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    marked_at: Mapped[datetime] = mapped_column(DateTime)


class Person(SourceRecord):
    __tablename__ = "persons"

    given_name: Mapped[str | None] = mapped_column(String(200))
    middle_names: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200), index=True)
    aliases: Mapped[list[Any]] = mapped_column(JSON)
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    dob_precision: Mapped[str] = mapped_column(String(20))
    sex: Mapped[str] = mapped_column(String(20))
    # Self-defined ethnicity: for disproportionality monitoring only, never a risk input.
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    # What the names sound like (childfirst.search.keys), for searching by name.
    family_key: Mapped[str | None] = mapped_column(String(12))
    given_key: Mapped[str | None] = mapped_column(String(12))

    __table_args__ = (
        Index("ix_persons_name_keys", "family_key", "given_key"),
        Index("ix_persons_given_key", "given_key"),
    )


class Location(SourceRecord):
    __tablename__ = "locations"

    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    uprn: Mapped[str | None] = mapped_column(String(12), index=True)
    location_type: Mapped[str] = mapped_column(String(40))
    force_area: Mapped[str] = mapped_column(String(100))
    jurisdiction: Mapped[str] = mapped_column(String(40))


class PoleObject(SourceRecord):
    __tablename__ = "objects"

    object_type: Mapped[str] = mapped_column(String(40))
    identifier: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str | None] = mapped_column(Text)


class Event(SourceRecord):
    __tablename__ = "events"

    event_type: Mapped[str] = mapped_column(String(60))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    reference: Mapped[str | None] = mapped_column(String(200), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id"), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class EventLink(Base):
    """One person or object in one role in one event."""

    __tablename__ = "event_links"
    __table_args__ = (
        Index("ix_event_links_person", "person_id", "role"),
        Index("ix_event_links_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"))
    object_id: Mapped[str | None] = mapped_column(ForeignKey("objects.id"))


class PersonAddress(Base):
    """A period during which a person was known to live at a location."""

    __tablename__ = "person_addresses"
    __table_args__ = (Index("ix_person_addresses_location", "location_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    from_date: Mapped[date | None] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)


class Relationship(SourceRecord):
    """``person`` is ``relationship_type`` of ``other`` between the two dates."""

    __tablename__ = "relationships"

    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    other_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    relationship_type: Mapped[str] = mapped_column(String(40))
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class RecordVersion(Base):
    """A superseded version of a record. Rows are only ever inserted."""

    __tablename__ = "record_versions"
    __table_args__ = (
        UniqueConstraint("entity", "record_id", "version", name="uq_record_versions"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(ID, index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(32))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    superseded_at: Mapped[datetime] = mapped_column(DateTime)
    superseded_by_batch: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    changed_by: Mapped[str | None] = mapped_column(String(200))


ENTITY_TABLES: dict[str, type[SourceRecord]] = {
    "person": Person,
    "location": Location,
    "object": PoleObject,
    "event": Event,
    "relationship": Relationship,
}


class Concern(Base):
    """A safeguarding concern a rule raised about a child. Never deleted; closing needs a reason."""

    __tablename__ = "concerns"
    __table_args__ = (
        UniqueConstraint("rule_id", "child_id", "key", name="uq_concerns_rule_child_key"),
        Index("ix_concerns_status_severity", "status", "severity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(80))
    child_id: Mapped[str] = mapped_column(ID, index=True)
    key: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text)
    learning: Mapped[list[Any]] = mapped_column(JSON)
    first_event_at: Mapped[datetime] = mapped_column(DateTime)
    last_event_at: Mapped[datetime] = mapped_column(DateTime)
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_reason: Mapped[str | None] = mapped_column(Text)
    # Who made the latest change (a username, or the rules engine), shown to whoever loses a race.
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ConcernEvidence(Base):
    """An event a concern rests on."""

    __tablename__ = "concern_evidence"

    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class Action(Base):
    """Something that must be done about a concern, by a role, by a deadline."""

    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_owner_status_due", "owner_role", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_role: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(DateTime)
    due_rule: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    # The username of the account the action was given to, if it was given to anyone.
    assigned_to: Mapped[str | None] = mapped_column(String(200))
    done_by: Mapped[str | None] = mapped_column(String(200))
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    # Every change is based on the version its author saw (a change to an older one is refused),
    # and says who made it and when.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    changed_by: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ConcernLog(Base):
    """Every change to a concern or its actions: who, what, when and why. Only ever appended to."""

    __tablename__ = "concern_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(String(60))
    why: Mapped[str | None] = mapped_column(Text)


class LinkageModel(Base):
    """A trained linkage model, as Splink's model JSON."""

    __tablename__ = "linkage_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    records: Mapped[int] = mapped_column(Integer)
    model: Mapped[dict[str, Any]] = mapped_column(JSON)


class LinkageRun(Base):
    """One linkage: a full batch re-link or the incremental matching of new records."""

    __tablename__ = "linkage_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("linkage_models.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    link_threshold: Mapped[float] = mapped_column(Float)
    review_threshold: Mapped[float] = mapped_column(Float)
    records: Mapped[int] = mapped_column(Integer, default=0)
    pairs: Mapped[int] = mapped_column(Integer, default=0)
    auto_links: Mapped[int] = mapped_column(Integer, default=0)
    review_pairs: Mapped[int] = mapped_column(Integer, default=0)
    masters: Mapped[int] = mapped_column(Integer, default=0)
    moved: Mapped[int] = mapped_column(Integer, default=0)


class MasterPerson(Base):
    """One person as the linkage sees them: a cluster of source person records."""

    __tablename__ = "master_persons"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_run: Mapped[int | None] = mapped_column(ForeignKey("linkage_runs.id"))


class MasterMembership(Base):
    """The master person a source person record currently belongs to, and on what grounds."""

    __tablename__ = "master_memberships"

    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    master_id: Mapped[str] = mapped_column(ForeignKey("master_persons.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("linkage_runs.id"))
    # The strongest link that holds the record in its cluster (None when it stands alone).
    match_probability: Mapped[float | None] = mapped_column(Float)
    linked_to: Mapped[str | None] = mapped_column(ID)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("linkage_decisions.id"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime)


class MasterMembershipLog(Base):
    """Every move of a record between master persons, with the run that moved it. Append-only."""

    __tablename__ = "master_membership_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ID, index=True)
    from_master: Mapped[str | None] = mapped_column(ID)
    to_master: Mapped[str] = mapped_column(ID, index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("linkage_runs.id"))
    at: Mapped[datetime] = mapped_column(DateTime)


class LinkageDecision(Base):
    """A person's decision that two records are, or are not, the same person.

    Never deleted: reversing one sets ``reversed_at`` and keeps who and why.
    """

    __tablename__ = "linkage_decisions"
    __table_args__ = (Index("ix_linkage_decisions_pair", "record_a", "record_b"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_a: Mapped[str] = mapped_column(ForeignKey("persons.id"))
    record_b: Mapped[str] = mapped_column(ForeignKey("persons.id"))
    decision: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text)
    reversed_by: Mapped[str | None] = mapped_column(String(200))
    reversed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reversed_reason: Mapped[str | None] = mapped_column(Text)


class LinkageReviewPair(Base):
    """A pair the model was unsure about, waiting for a person to decide, with its evidence."""

    __tablename__ = "linkage_review_pairs"
    __table_args__ = (
        UniqueConstraint("run_id", "record_a", "record_b", name="uq_linkage_review_pairs"),
        Index("ix_linkage_review_pairs_status", "status", "match_probability"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("linkage_runs.id"))
    record_a: Mapped[str] = mapped_column(ForeignKey("persons.id"))
    record_b: Mapped[str] = mapped_column(ForeignKey("persons.id"))
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("linkage_decisions.id"))


import childfirst.store.access  # noqa: E402
import childfirst.store.protection  # noqa: E402, F401
