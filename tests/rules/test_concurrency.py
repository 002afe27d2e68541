"""People and the rules changing the same concern or action at the same moment, each in a session
and a thread (a connection) of its own: one change wins, the other is refused with what changed it,
and no write is lost; on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.errors import ConcurrentEditError
from childfirst.ingest.importer import import_files
from childfirst.rules import actions, concerns
from childfirst.rules.service import evaluate_events
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern, ConcernEvidence, ConcernLog
from tests.factories import write_jsonl
from tests.rules.test_service import family, incident, load

PATTERN = "domestic-abuse.cumulative-pattern"
PAIRS = 20


def _pattern(db: Database) -> Concern:
    with db.session() as session:
        found = session.scalars(select(Concern).where(Concern.rule_id == PATTERN)).one()
        session.expunge(found)
        return found


def _both(work: list[Callable[[], Any]]) -> list[Any]:
    """Run each in a thread of its own, released together; what each returned or raised."""
    barrier = threading.Barrier(len(work))
    outcome: list[Any] = [None] * len(work)

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcome[i] = work[i]()
        except Exception as exc:  # kept, to be asserted on
            outcome[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcome


def _change(db: Database, change: Callable[[Session], Any]) -> Callable[[], str]:
    def run() -> str:
        with db.session(write=True) as session:
            change(session)
        return "done"

    return run


def _actions(db: Database, count: int) -> list[int]:
    """``count`` more open actions on the girl's first concern, as the rules would add them."""
    with db.session(write=True) as session:
        concern = session.scalars(select(Concern).order_by(Concern.id).limit(1)).one()
        made = [
            Action(
                concern_id=concern.id,
                title=f"Check {n}",
                owner_role="public_protection",
                due_at=concern.raised_at,
                due_rule="at once",
                status="open",
            )
            for n in range(count)
        ]
        session.add_all(made)
        session.flush()
        return [a.id for a in made]


def _completing(db: Database, action_id: int, who: str, note: str, seen: int) -> Callable[[], str]:
    return _change(db, lambda s: actions.complete_action(s, action_id, who, note, seen))


def test_of_two_people_completing_one_action_one_wins(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path, "a.jsonl", [*family(), incident(1, "2025-01-18T23:40:00")])
    people = ("dc.jones", "sgt.patel")
    kept = {}
    for round_, action_id in enumerate(_actions(db, PAIRS)):
        notes = [f"{round_}: done by {who}" for who in people]
        outcome = _both(
            [
                _completing(db, action_id, who, note, 1)
                for who, note in zip(people, notes, strict=True)
            ]
        )
        assert outcome.count("done") == 1, outcome
        winner = outcome.index("done")
        loser = outcome[1 - winner]
        assert isinstance(loser, ConcurrentEditError), outcome
        assert (loser.changed_by, loser.actual, loser.status) == (people[winner], 2, "done")
        kept[action_id] = notes[winner]
    with db.session() as session:
        stored = dict(
            session.execute(select(Action.id, Action.note).where(Action.id.in_(list(kept)))).all()
        )
        logged = session.scalars(select(ConcernLog.why).where(ConcernLog.what == "action done"))
        done = sorted(why.split(": ", 1)[1] for why in logged if why)
    assert stored == kept  # every note acknowledged is the one kept
    assert done == sorted(kept.values())  # and the log has the winners' notes, no one else's


def test_a_person_closing_while_the_rules_add_evidence_loses_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The person closes the concern after the rules have read it and before they write to it:
    the rules see the closure (and reopen the concern with the new evidence) or, where the rules
    hold the store (SQLite), the closure waits and is refused; never an error, never a lost write."""
    load(db, tmp_path, "a.jsonl", [*family(), incident(1, "2025-01-18T23:40:00")])
    load(db, tmp_path, "b.jsonl", [incident(2, "2025-03-02T21:05:00")])
    read, closed = threading.Event(), threading.Event()
    reading = concerns._evidence_of
    pattern = _pattern(db).id

    def read_then_wait(session: Session, concern_ids: list[int]) -> dict[int, set[str]]:
        found = reading(session, concern_ids)
        if pattern in concern_ids and not read.is_set():
            read.set()  # the rules have read the concern: the person acts now
            closed.wait(2)
        return found

    monkeypatch.setattr(concerns, "_evidence_of", read_then_wait)
    for round_ in range(3):
        read.clear()
        closed.clear()
        before = _pattern(db)
        new = incident(10 + round_, f"2025-0{4 + round_}-01T20:00:00")
        summary = import_files(db, [write_jsonl(tmp_path / f"r{round_}.jsonl", [new])])
        reason = f"round {round_}: plan in place"
        outcome = _both(
            [
                _judging(db, summary.events_touched),
                _closing(db, before, reason, read, closed),
            ]
        )
        assert outcome[0] == "judged", outcome  # the rules never fail for a person's change
        after = _pattern(db)
        with db.session() as session:
            log = [
                (e.who, e.what)
                for e in session.scalars(
                    select(ConcernLog)
                    .where(ConcernLog.concern_id == before.id)
                    .order_by(ConcernLog.id)
                )
            ]
            evidence = set(
                session.scalars(
                    select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == before.id)
                )
            )
        assert set(summary.events_touched) <= evidence  # the rules' evidence is there
        if outcome[1] == "closed":  # the person first: the closure is kept, then reopened
            assert log[-2:] == [("sgt.patel", "closed"), (concerns.SYSTEM, "reopened")]
            assert (after.status, after.closed_reason) == ("open", reason)
            assert after.version == before.version + 2
        else:  # the rules first: the closure, based on what the rules changed, is refused
            assert isinstance(outcome[1], ConcurrentEditError), outcome
            assert outcome[1].changed_by == concerns.SYSTEM
            assert log[-1] == (concerns.SYSTEM, "evidence added")
            assert (after.status, after.version) == ("open", before.version + 1)


def _judging(db: Database, event_ids: list[str]) -> Callable[[], str]:
    def run() -> str:
        evaluate_events(db, event_ids)
        return "judged"

    return run


def _closing(
    db: Database, seen: Concern, reason: str, read: threading.Event, closed: threading.Event
) -> Callable[[], str]:
    """Close ``seen`` as it was read, once the rules have read it too."""

    def run() -> str:
        read.wait(10)
        try:
            with db.session(write=True) as session:
                concerns.close(
                    session, seen.id, by="sgt.patel", reason=reason, expected_version=seen.version
                )
        finally:
            closed.set()
        return "closed"

    return run
