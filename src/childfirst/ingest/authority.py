"""Writing in an agency's name: who may write which source agency's records.

A record carries its source agency (``source.agency``), and its identity is derived from it: to
write a record in an agency's name is to add to, or overwrite, that agency's account of what
happened. So every writer is bound to the agencies it may write for. An account works for one
organisation (a police force by its agency code) and writes for that organisation unless it is
given its own list (a force's account that also keeps a partner's feed, say). A batch holding any
record of another agency is refused whole, before anything is written.

An agency writes as what it is, too: a record's ``source.agency_kind`` says whether it is the
police's, a school's or a health trust's account, and what is shared with a school is found from
the schools' records. So an account may give a record only the kind its agency has: its own
organisation's kind follows from the account's role (any police role writes as the police, a
school as education, a health trust as health, children's social care as itself); another agency it
writes for has the kind its records already stored carry (or, new to the store, one kind for the
whole batch). A batch giving an agency another kind is refused whole, as one of another agency is.

The bulk import run by an operator with access to the database is not bound by an account: the
operator may restrict a run to the agencies expected in the file (``childfirst import
--as-agency``), and the batch is audited with the operator's name and the agencies written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.collector import collector_paused
from childfirst.domain.roles import Role
from childfirst.domain.vocab import AgencyKind
from childfirst.errors import NotAuthorisedError
from childfirst.ingest.importer import (
    ImportSummary,
    Progress,
    import_parsed,
    read_batch,
)
from childfirst.ingest.readers import Parsed
from childfirst.store.database import Database
from childfirst.store.models import Event, Location, Person

# The "file" of a batch sent to the API (``ingest.recording``): its records are named by position.
SENT: Final = "records"
# How many refused records the message names.
SHOWN: Final = 10
# The kind of agency an account's own organisation is, by the account's role. The roles not named
# (a case reviewer, an administrator) write with the kind their organisation's records carry.
ROLE_KINDS: Final[Mapping[Role, AgencyKind]] = {
    **dict.fromkeys(
        (
            Role.CALL_HANDLER,
            Role.RESPONSE_OFFICER,
            Role.CUSTODY_OFFICER,
            Role.PUBLIC_PROTECTION,
            Role.MISSING_COORDINATOR,
            Role.SUPERVISOR,
            Role.ANALYST,
        ),
        AgencyKind.POLICE,
    ),
    Role.CHILDRENS_SOCIAL_CARE: AgencyKind.CHILDRENS_SOCIAL_CARE,
    Role.SCHOOL: AgencyKind.EDUCATION,
    Role.HEALTH: AgencyKind.HEALTH,
}


@dataclass(frozen=True)
class Refused:
    """One record a writer may not write: where it is, what it is, and its agency."""

    file: str
    line: int  # the line of a file, or the position in a batch sent, counted from 1
    kind: str
    source_id: str
    agency: str
    # For a record of an agency the writer may write for, but given another kind than the agency's:
    # the kind it was given and the agency's.
    given: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = f"record {self.line}" if self.file == SENT else f"{self.file}:{self.line}"
        what = f"{where} ({self.kind} '{self.source_id}')"
        if self.expected is not None:
            return (
                f"{what} gives {self.agency} the agency kind {self.given}, "
                f"but {self.agency} is {self.expected}"
            )
        return f"{what} is a record of {self.agency}"


class AgencyAuthorityError(NotAuthorisedError):
    """A batch holds records of agencies its writer may not write for; nothing was written."""

    def __init__(self, writer: str, allowed: Collection[str], refused: Sequence[Refused]) -> None:
        self.writer = writer
        self.allowed = frozenset(allowed)
        self.refused = list(refused)
        mine = ", ".join(sorted(self.allowed)) or "no agency"
        shown = "; ".join(str(r) for r in self.refused[:SHOWN])
        more = f"; and {len(self.refused) - SHOWN} more" if len(self.refused) > SHOWN else ""
        if all(r.expected is not None for r in self.refused):
            may = "may write an agency's records only as the kind of agency it is"
        else:
            may = f"may write records only for {mine}"
        super().__init__(f"{writer} {may}: {shown}{more}. Nothing was recorded.")


def writable(organisation: str | None, write_agencies: Iterable[Any] | None) -> frozenset[str]:
    """The agencies an account may write for: its own list when it has one, else its own
    organisation, else none."""
    if write_agencies is not None:
        return frozenset(str(a) for a in write_agencies if str(a).strip())
    return frozenset({organisation}) if organisation else frozenset()


def _refusal(parsed: Parsed) -> Refused:
    record = parsed.record
    return Refused(parsed.file, parsed.line, record.kind, record.source.id, record.source.agency)


def agencies_of(parsed: Iterable[Parsed]) -> list[str]:
    """The source agencies of a batch's records, each once, in order."""
    return sorted({p.record.source.agency for p in parsed})


def check(
    parsed: Sequence[Parsed],
    allowed: Collection[str],
    *,
    writer: str,
    kinds: Mapping[str, str] | None = None,
) -> None:
    """Raise ``AgencyAuthorityError`` naming every record of ``parsed`` that ``writer``, allowed
    to write for ``allowed``, may not write.

    With ``kinds`` (an agency's kind, where known: see ``kinds_for``) a record must also carry its
    agency's kind; an agency not in ``kinds`` takes the kind of its first record in the batch."""
    found = [_refusal(p) for p in parsed if p.record.source.agency not in allowed]
    if not found and kinds is not None:
        expected = dict(kinds)
        for p in parsed:
            src = p.record.source
            want = expected.setdefault(src.agency, src.agency_kind.value)
            if src.agency_kind.value != want:
                found.append(
                    Refused(
                        p.file,
                        p.line,
                        p.record.kind,
                        src.id,
                        src.agency,
                        src.agency_kind.value,
                        want,
                    )
                )
    if found:
        raise AgencyAuthorityError(writer, allowed, found)


def kinds_for(
    session: Session, role: Role, organisation: str | None, agencies: Iterable[str]
) -> dict[str, str]:
    """The kind of each of ``agencies`` a writer in ``role`` for ``organisation`` must give its
    records: its own organisation's from the role, another's from its records already stored
    (none for an agency the store does not know yet)."""
    kinds: dict[str, str] = {}
    own = ROLE_KINDS.get(role)
    for agency in sorted(set(agencies)):
        if agency == organisation and own is not None:
            kinds[agency] = own.value
            continue
        for table in (Person, Event, Location):
            stored = session.scalar(
                select(table.agency_kind).where(table.agency == agency).limit(1)
            )
            if stored is not None:
                kinds[agency] = stored
                break
    return kinds


@dataclass(frozen=True)
class Imported:
    """An import run under an operator's authority: its summary and the agencies it wrote for."""

    summary: ImportSummary
    agencies: list[str]


def import_files_as(
    db: Database,
    paths: Sequence[Path],
    allowed: Collection[str] | None,
    *,
    writer: str,
    progress: Progress | None = None,
    within: Callable[[Session, Imported], None] | None = None,
) -> Imported:
    """``import_files``, refused whole (``AgencyAuthorityError``) when ``allowed`` is given and any
    record is of another agency. The agencies are those of the batch's records when it wrote
    anything (none when every record was already stored as it is). ``within`` is called in the
    batch's transaction once it is written (to audit it with the batch)."""
    started = time.perf_counter()
    # As ``import_files``: a batch creates millions of long-lived objects and no cycles.
    with collector_paused():
        parsed, problems = read_batch(paths, progress)
        if allowed is not None:
            check(parsed, allowed, writer=writer)

        def imported(session: Session, summary: ImportSummary) -> None:
            if within is not None:
                within(session, _imported(parsed, summary))

        files = [str(p) for p in paths]
        summary = import_parsed(db, parsed, problems, files, progress, started, within=imported)
    return _imported(parsed, summary)


def _imported(parsed: Sequence[Parsed], summary: ImportSummary) -> Imported:
    written = summary.total_created + summary.total_changed
    return Imported(summary, agencies_of(parsed) if written else [])
