"""An import killed with ``kill -9`` loses no concern: whichever point it died at (writing its
records, between writing and judging them, storing what the rules found), running it again gives
exactly the concerns of an import that was never interrupted, and never a duplicate record.

Each import runs as ``childfirst import`` in its own process; the fault-injection point
(``childfirst.faults``) makes that process SIGKILL itself at a named point, so the test hits each
point every time rather than racing a timer.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from childfirst.faults import VARIABLE
from childfirst.linkage.index import latest_model, save_model
from childfirst.store.database import Database
from childfirst.store.models import (
    Action,
    Concern,
    ConcernEvidence,
    Event,
    ImportBatch,
    MasterMembership,
    Person,
)
from childfirst.store.pending import count
from childfirst.synth import SynthConfig, generate

Found = tuple[str, str, str, str, frozenset[str], tuple[str, ...]]
"""A concern as a user sees it: rule, child (by its source records), key, severity, evidence
events, actions due."""

MASTER = re.compile(r"mp_[0-9a-f]+")


def childfirst(*args: str, url: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    if fault is not None:
        env[VARIABLE] = fault
    return subprocess.run(
        [sys.executable, "-m", "childfirst", *args, "--database", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def found(db: Database) -> set[Found]:
    with db.session() as session:
        evidence: dict[int, set[str]] = {}
        for concern_id, event_id in session.execute(
            select(ConcernEvidence.concern_id, ConcernEvidence.event_id)
        ):
            evidence.setdefault(concern_id, set()).add(event_id)
        actions: dict[int, list[str]] = {}
        for concern_id, title, due_at in session.execute(
            select(Action.concern_id, Action.title, Action.due_at)
        ):
            actions.setdefault(concern_id, []).append(f"{title} by {due_at:%Y-%m-%d %H:%M}")
        # A master person's id is new in every store: a person is named by their source records.
        records: dict[str, set[str]] = {}
        for master_id, person_id in session.execute(
            select(MasterMembership.master_id, MasterMembership.person_id)
        ):
            records.setdefault(master_id, set()).add(person_id)

        def named(text: str) -> str:
            return MASTER.sub(lambda m: ",".join(sorted(records[m[0]])), text)

        return {
            (c.rule_id, named(c.child_id), named(c.key), c.severity, frozenset(evidence[c.id]),
             tuple(sorted(actions.get(c.id, []))))
            for c in session.scalars(select(Concern))
        }  # fmt: skip


@dataclass
class Area:
    """The files of a synthetic force area, and those of them already imported and linked into a
    master person index before the import under test (none, for a store that starts empty)."""

    files: list[str]
    linked_first: list[str]
    model: dict[str, Any] | None = None  # trained by the first store linked, used by the rest

    def prepare(self, url: str) -> None:
        if not self.linked_first:
            return
        run = childfirst("import", *self.linked_first, url=url)
        assert run.returncode == 0, run.stderr
        db = Database(url, migrate=False)
        if self.model is not None:
            save_model(db, self.model, records=0)
        run = childfirst("link", url=url)
        assert run.returncode == 0, run.stderr
        trained = latest_model(db)
        assert trained is not None
        self.model = trained[1]
        db.dispose()


def _area(folder: Path, people: int, years: int) -> list[str]:
    generate(SynthConfig(people=people, years=years, seed=3), folder)
    return sorted(str(p) for p in (folder / "records").glob("*.jsonl"))


@pytest.fixture(scope="module")
def areas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Area]:
    """A small area (300 people, 2 years: some 600 events, judged in one go); the same with the
    police and social care records imported and linked first, so that the people of the rest are
    matched against the index; and a larger area (3,000 people, 3 years: some 7,000 events,
    judged part by part as big batches are)."""
    small = _area(tmp_path_factory.mktemp("small"), 300, 2)
    first = [f for f in small if Path(f).stem in ("northmoor-police", "northmoor-csc")]
    return {
        "small": Area(small, []),
        "linked": Area(small, first),
        "larger": Area(_area(tmp_path_factory.mktemp("larger"), 3000, 3), []),
    }


class Uninterrupted:
    """What an import of an area that nobody interrupts stores, once per area and kind of
    database, in a store of its own: its concerns, and how many events and person records."""

    def __init__(self, areas: dict[str, Area], folder: Path) -> None:
        self.areas, self.folder = areas, folder
        self.results: dict[tuple[str, str], tuple[set[Found], tuple[int, int]]] = {}
        self.dropped: list[tuple[str, str]] = []  # (server URL, database)

    def of(self, db: Database, area: str) -> tuple[set[Found], tuple[int, int]]:
        if (db.dialect, area) not in self.results:
            url = self._store(db, area)
            self.areas[area].prepare(url)
            run = childfirst("import", *self.areas[area].files, url=url)
            assert run.returncode == 0, run.stderr
            reference = Database(url, migrate=False)
            self.results[db.dialect, area] = (found(reference), _stored(reference)[1:])
            reference.dispose()
        return self.results[db.dialect, area]

    def _store(self, db: Database, area: str) -> str:
        if db.dialect == "sqlite":
            return f"sqlite:///{self.folder / f'{area}.db'}"
        url = make_url(db.url)
        name = f"{url.database}_{area}"
        server = url.render_as_string(hide_password=False)
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(server, f'CREATE DATABASE "{name}"')
        self.dropped.append((server, name))
        return url.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        for server, name in self.dropped:
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, statement: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()


@pytest.fixture(scope="module")
def uninterrupted(
    areas: dict[str, Area], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Uninterrupted]:
    runs = Uninterrupted(areas, tmp_path_factory.mktemp("uninterrupted"))
    yield runs
    runs.close()


def _stored(db: Database) -> tuple[int, int, int]:
    """(import batches, events, person records) in the store."""
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(ImportBatch)) or 0,
            session.scalar(select(func.count()).select_from(Event)) or 0,
            session.scalar(select(func.count()).select_from(Person)) or 0,
        )


def _marked(db: Database) -> int:
    with db.session() as session:
        return count(session)


@pytest.mark.parametrize(
    ("point", "area"),
    [
        ("import:writing", "small"),
        ("import:written", "small"),
        ("evaluation:storing", "small"),
        ("import:written", "linked"),
        ("evaluation:storing", "larger"),
    ],
)
def test_an_import_killed_at_any_point_then_run_again_finds_exactly_every_concern(
    db: Database, areas: dict[str, Area], uninterrupted: Uninterrupted, point: str, area: str
) -> None:
    files = areas[area].files
    expected, (events, people) = uninterrupted.of(db, area)
    assert len(expected) > 100  # the area gives the rules plenty to find
    areas[area].prepare(db.url)
    batches, known_events, known_people = _stored(db)
    known = found(db)

    killed = childfirst("import", *files, url=db.url, fault=point)
    assert killed.returncode == -signal.SIGKILL
    if point == "import:writing":
        assert _stored(db) == (batches, known_events, known_people)  # nothing half-written
    else:
        assert _stored(db) == (batches + 1, events, people)
        assert found(db) == known  # the killed run stored no finding...
        assert _marked(db) == events - known_events  # ...and its events are still marked

    again = childfirst("import", *files, url=db.url)
    assert again.returncode == 0, again.stderr
    if point != "import:writing":
        assert "0 new, 0 new versions" in again.stdout  # every record was already stored...
    judged = events - known_events
    assert f"Rules judged {judged:,} events" in again.stdout  # ...and still the rules judged them
    if areas[area].linked_first:
        assert f"Matched {people - known_people:,} person records" in again.stdout
    assert found(db) == expected
    assert _marked(db) == 0

    once_more = childfirst("import", *files, url=db.url)
    assert once_more.returncode == 0, once_more.stderr
    assert "Rules judged" not in once_more.stdout  # nothing was left to judge
    assert found(db) == expected
    assert _stored(db) == (batches + (1 if point == "import:writing" else 2) + 1, events, people)


def test_evaluate_pending_finishes_what_a_killed_import_left(
    db: Database, areas: dict[str, Area], uninterrupted: Uninterrupted
) -> None:
    expected, (events, _) = uninterrupted.of(db, "small")
    killed = childfirst("import", *areas["small"].files, url=db.url, fault="evaluation:storing")
    assert killed.returncode == -signal.SIGKILL

    finished = childfirst("evaluate", "--pending", url=db.url)
    assert finished.returncode == 0, finished.stderr
    assert f"Rules judged {events:,} events" in finished.stdout
    assert found(db) == expected

    idle = childfirst("evaluate", "--pending", url=db.url)
    assert idle.returncode == 0, idle.stderr
    assert "Nothing is waiting to be matched or judged." in idle.stdout
    assert found(db) == expected


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_serve_finishes_what_a_killed_import_left_before_it_takes_a_request(
    db: Database, areas: dict[str, Area], uninterrupted: Uninterrupted
) -> None:
    expected, _ = uninterrupted.of(db, "small")
    killed = childfirst("import", *areas["small"].files, url=db.url, fault="import:written")
    assert killed.returncode == -signal.SIGKILL
    assert found(db) == set()

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    command = ["serve", "--development", "--port", str(port), "--waits-every", "0"]
    server = subprocess.Popen(
        [sys.executable, "-m", "childfirst", *command, "--database", db.url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "serve did not start within a minute"
            time.sleep(0.2)
        assert found(db) == expected  # judged before the first request could be answered
        assert _marked(db) == 0
    finally:
        server.terminate()
        server.communicate(timeout=30)
