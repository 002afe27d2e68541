"""Reading a row to change it: a second writer waits for the first and then reads what it wrote,
on SQLite and on PostgreSQL (where, under READ COMMITTED, a plain read would not wait)."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

from childfirst.store.database import Database
from childfirst.store.locks import lock_all, locked
from childfirst.store.models import Concern

MOMENT = datetime(2026, 1, 5, 9, 0)


def _concerns(db: Database, count: int) -> list[int]:
    with db.session(write=True) as session:
        made = [
            Concern(
                rule_id="test.rule",
                child_id=f"per_{n}",
                key="k",
                severity="high",
                status="open",
                explanation="A test concern.",
                learning=[],
                first_event_at=MOMENT,
                last_event_at=MOMENT,
                raised_at=MOMENT,
                updated_at=MOMENT,
            )
            for n in range(count)
        ]
        session.add_all(made)
        session.flush()
        return [c.id for c in made]


def test_a_second_writer_waits_and_reads_what_the_first_wrote(db: Database) -> None:
    [concern_id] = _concerns(db, 1)
    holding = threading.Event()
    seen: dict[str, Any] = {}

    def first() -> None:
        with db.session(write=True) as session:
            concern = locked(session, Concern, concern_id)
            assert concern is not None
            concern.status, concern.updated_by = "closed", "sgt.patel"
            session.flush()
            holding.set()
            time.sleep(0.5)  # still holding the row when the second asks for it

    def second() -> None:
        holding.wait(10)
        started = time.monotonic()
        with db.session(write=True) as session:
            concern = locked(session, Concern, concern_id)
            assert concern is not None
            seen.update(
                waited=time.monotonic() - started,
                status=concern.status,
                by=concern.updated_by,
                version=concern.version,
            )

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert (seen["status"], seen["by"], seen["version"]) == ("closed", "sgt.patel", 2)
    assert seen["waited"] > 0.3  # it waited for the first to finish, rather than read past it


def test_locking_many_reads_them_afresh_in_key_order(db: Database) -> None:
    ids = _concerns(db, 3)
    with db.session() as reader:
        stale = reader.get(Concern, ids[1])
        assert stale is not None
        assert stale.status == "open"
        with db.session(write=True) as writer:
            changed = writer.get(Concern, ids[1])
            assert changed is not None
            changed.status = "acknowledged"
        rows = lock_all(reader, Concern, list(reversed(ids)))
        assert [r.id for r in rows] == ids
        # On PostgreSQL the object already held is brought up to date; a SQLite transaction reads
        # one snapshot throughout (and a writer there holds the store from its start).
        now = "open" if db.engine.dialect.name == "sqlite" else "acknowledged"
        assert stale.status == now
        assert locked(reader, Concern, 10**9) is None
