"""The domain exception hierarchy.

Every error the library raises on purpose is a ``ChildfirstError``; the CLI and the web layer convert
them to messages and HTTP responses at the edge, and nowhere else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from childfirst.domain.clock import to_local, utc_text


class ChildfirstError(Exception):
    """Base class for every error raised on purpose by childfirst."""


class ConfigurationError(ChildfirstError):
    """The settings or the environment are unusable."""


@dataclass(frozen=True)
class RecordProblem:
    """One problem with one input record: where it is and what is wrong."""

    file: str
    line: int
    field: str
    reason: str
    # The stable id of the record the line was meant to be, when that much could be read; used to
    # avoid reporting references to it as dangling when the record itself is the problem.
    record_id: str | None = dataclasses.field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" field '{self.field}'" if self.field else ""
        return f"{where}:{field} {self.reason}"


class ImportValidationError(ChildfirstError):
    """A batch failed validation; nothing was written."""

    def __init__(self, problems: list[RecordProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) found; nothing was imported:\n{shown}{more}")


class NotAuthorisedError(ChildfirstError):
    """The caller may not do this, whatever the record (for example, write in another agency's
    name); nothing was changed."""


class NotFoundError(ChildfirstError):
    """A record that was asked for does not exist (or is not visible to the caller)."""


class InvalidValueError(ChildfirstError):
    """A value given for a change cannot be used (for example, an assignee who may not take it)."""


class ConcurrentEditError(ChildfirstError):
    """An edit was based on a version of a record that has since changed.

    Says what changed it, where known: who made the latest change, when, and the record's status
    now, so that whoever loses a race can see what happened before trying again.
    """

    def __init__(
        self,
        entity: str,
        record_id: str,
        expected: int,
        actual: int | None,
        *,
        changed_by: str | None = None,
        changed_at: datetime | None = None,
        status: str | None = None,
    ) -> None:
        self.entity = entity
        self.record_id = record_id
        self.expected = expected
        self.actual = actual
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.status = status
        now = "it no longer exists" if actual is None else f"it is now at version {actual}"
        who = f" by {changed_by}" if changed_by else " by someone else"
        when = f" at {to_local(changed_at):%H:%M on %d %b %Y} (UK time)" if changed_at else ""
        state = f" and is {status}" if status else ""
        super().__init__(
            f"{entity} {record_id} was changed{who}{when}: the edit was based on version "
            f"{expected} but {now}{state}. Reload the record and apply the change again."
        )

    def details(self) -> dict[str, str | int | None]:
        """What changed, for an answer to the person whose edit was refused."""
        return {
            "expected_version": self.expected,
            "current_version": self.actual,
            "changed_by": self.changed_by,
            "changed_at": utc_text(self.changed_at) if self.changed_at else None,
            "current_status": self.status,
        }


def require_version(
    entity: str,
    record_id: str,
    expected: int | None,
    actual: int,
    *,
    changed_by: str | None,
    changed_at: datetime | None,
    status: str | None,
) -> None:
    """Refuse (``ConcurrentEditError``) an edit based on ``expected`` when the record is now at
    ``actual``; ``expected`` None means whatever version it is at now."""
    if expected is not None and actual != expected:
        raise ConcurrentEditError(
            entity,
            record_id,
            expected,
            actual,
            changed_by=changed_by,
            changed_at=changed_at,
            status=status,
        )
