"""Fast reads for the engines: the same rows as SQLAlchemy gives, in chunks of an IN list."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from childfirst.store.database import Database
from childfirst.store.fetch import rows, rows_in
from childfirst.store.models import Event


def _events(db: Database, count: int) -> list[str]:
    ids = [f"ev{n:04d}" for n in range(count)]
    with db.session(write=True) as session:
        session.execute(
            insert(Event),
            [
                {
                    "id": eid,
                    "system": "test",
                    "source_id": eid,
                    "received_at": datetime(2025, 2, 1, tzinfo=UTC),
                    "version": 1,
                    "record": {},
                    "event_type": "arrest" if n % 2 else "missing_reported",
                    "occurred_at": datetime(2025, 1, 1 + n % 28, 12, tzinfo=UTC),
                    "agency": "northmoor-police",
                    "agency_kind": "police",
                    "details": {"n": n},
                    "content_hash": eid[:32],
                }
                for n, eid in enumerate(ids)
            ],
        )
    return ids


def test_rows_in_reads_every_chunk_with_the_statement_s_own_conditions(db: Database) -> None:
    ids = _events(db, 25)
    statement = select(Event.id, Event.occurred_at, Event.details).where(
        Event.event_type == "arrest"
    )
    wanted = [*ids[:20], "no-such-event"]
    with db.session() as session:
        found = sorted(rows_in(session, statement, Event.id, wanted, chunk=7))
        expected = sorted(rows(session, statement.where(Event.id.in_(wanted))))
    assert found == expected
    assert [eid for eid, _, _ in found] == [f"ev{n:04d}" for n in range(1, 20, 2)]
    assert found[0][1].replace(tzinfo=None) == datetime(2025, 1, 2, 12)
    assert found[0][2] == {"n": 1}


def test_rows_in_with_nothing_asked_reads_nothing(db: Database) -> None:
    _events(db, 3)
    with db.session() as session:
        assert list(rows_in(session, select(Event.id), Event.id, [])) == []


def test_statements_of_one_shape_share_a_compiled_form_but_not_their_values(db: Database) -> None:
    ids = _events(db, 10)
    with db.session() as session:
        for wanted in ([ids[1]], ids[2:5], ids[5:9]):
            statement = select(Event.id).where(Event.id.in_(wanted), Event.event_type == "arrest")
            assert sorted(r[0] for r in rows(session, statement)) == [
                e for e in wanted if int(e[2:]) % 2
            ]
        by_type = [
            sorted(r[0] for r in rows(session, select(Event.id).where(Event.event_type == kind)))
            for kind in ("arrest", "missing_reported")
        ]
    assert by_type == [ids[1::2], ids[0::2]]
