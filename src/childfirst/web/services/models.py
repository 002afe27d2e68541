"""The shapes the pages and the API share (also the API's published schema)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from childfirst.domain.clock import UtcDateTime
from childfirst.store.models import Action


class QueueItem(BaseModel):
    action_id: int
    title: str
    owner_role: str
    due_at: UtcDateTime
    due_rule: str
    overdue: bool
    concern_id: int
    rule_id: str
    rule_title: str
    severity: str
    concern_status: str
    child_id: str
    child_name: str


class WorkQueue(BaseModel):
    role: str
    items: list[QueueItem]


class EventSummary(BaseModel):
    id: str
    event_type: str
    label: str
    occurred_at: UtcDateTime
    reference: str | None
    agency: str
    summary: str | None
    outcome: str | None
    roles: list[str]


class LearningRef(BaseModel):
    id: str
    title: str
    kind: str


class ActionView(BaseModel):
    id: int
    concern_id: int
    title: str
    owner_role: str
    due_at: UtcDateTime
    due_rule: str
    status: str
    overdue: bool
    # Who the action was given to, and who did it, when and what they noted. Left out (None) for
    # partner agency users.
    assigned_to: str | None = None
    done_by: str | None = None
    done_at: UtcDateTime | None = None
    note: str | None = None
    # The version a change to the action names (it is refused if the action has changed since).
    version: int = 1

    @classmethod
    def of(cls, action: Action, now: datetime, people: bool = True) -> ActionView:
        """The action; with ``people`` False, without who it was given to, who did it and why."""
        return cls(
            id=action.id,
            concern_id=action.concern_id,
            title=action.title,
            owner_role=action.owner_role,
            due_at=action.due_at,
            due_rule=action.due_rule,
            status=action.status,
            overdue=action.status == "open" and action.due_at < now,
            assigned_to=action.assigned_to if people else None,
            done_by=action.done_by if people else None,
            done_at=action.done_at if people else None,
            note=action.note if people else None,
            version=action.version,
        )


class Assignee(BaseModel):
    """An account an action may be given to."""

    username: str
    display_name: str
    role: str


class LogEntry(BaseModel):
    at: UtcDateTime
    who: str
    what: str
    why: str | None


class ConcernSummary(BaseModel):
    id: int
    rule_id: str
    rule_title: str
    severity: str
    status: str
    explanation: str
    last_event_at: UtcDateTime


class NotificationView(BaseModel):
    """A concern shared with a partner organisation, and whether the partner acknowledged it."""

    id: int
    concern_id: int
    agency: str
    organisation: str | None
    organisation_name: str | None
    created_at: UtcDateTime
    acknowledged_by: str | None
    acknowledged_at: UtcDateTime | None
    note: str | None


class ConcernView(ConcernSummary):
    rule_description: str
    child_id: str
    child_name: str
    first_event_at: UtcDateTime
    raised_at: UtcDateTime
    acknowledged_by: str | None
    acknowledged_at: UtcDateTime | None
    closed_by: str | None
    closed_at: UtcDateTime | None
    closed_reason: str | None
    version: int
    learning: list[LearningRef]
    evidence: list[EventSummary]
    actions: list[ActionView]
    history: list[LogEntry]
    notifications: list[NotificationView] = []


class SourceRecord(BaseModel):
    person_id: str
    agency: str
    system: str
    source_id: str
    name: str
    date_of_birth: date | None
    match_probability: float | None


class NetworkPerson(BaseModel):
    """Someone around the child: family and household (``circle`` "household") or an associate."""

    key: str
    name: str
    age: int | None
    is_child: bool
    circle: str
    relations: list[str]
    shared_events: int
    open_concerns: int


class TimelineChoice(BaseModel):
    """One agency or event type the timeline can be narrowed to, with how many events it has."""

    value: str
    label: str
    count: int
    selected: bool


class Timeline(BaseModel):
    events: list[EventSummary]
    matching: int  # events matching the filters; at most ``MAX_EVENTS`` are listed
    agencies: list[TimelineChoice]
    event_types: list[TimelineChoice]


class ChildProfile(BaseModel):
    child_id: str
    name: str
    date_of_birth: date | None
    records: list[SourceRecord]
    concerns: list[ConcernSummary]
    actions: list[ActionView]
    timeline: list[EventSummary]
    timeline_matching: int = 0
    timeline_agencies: list[TimelineChoice] = []
    timeline_event_types: list[TimelineChoice] = []
    network: list[NetworkPerson] = []
    associates_left_off: int = 0
    # Shown when processing of the child's records is restricted (childfirst.protection).
    restriction: str | None = None
