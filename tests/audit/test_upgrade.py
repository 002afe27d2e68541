"""A log written before the audit key keeps its entries, checked under the plain hash they were
written with; the first keyed entry holds them in place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url

from childfirst.audit.seals import GENESIS, plain_hash
from childfirst.audit.verify import verify_database
from childfirst.store.access import AuditEntry, AuditHead
from childfirst.store.database import Database, alembic_config
from tests.audit.tamper import tampering, write
from tests.conftest import POSTGRES_URL, _postgres_problem


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def before_the_key(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A store at the revision before the keyed log, with three entries written as they were."""
    if request.param == "sqlite":
        url, admin = f"sqlite:///{tmp_path / 'old.db'}", None
    else:
        problem = _postgres_problem()
        if problem is not None:
            pytest.skip(f"PostgreSQL not reachable ({problem})")
        name = f"childfirst_upgrade_{os.getpid()}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    db = Database(url, migrate=False)
    command.upgrade(alembic_config(db.engine), "0009")
    previous, start = GENESIS, datetime(2026, 11, 30, 9, 0)
    with db.engine.begin() as connection:
        for seq in (1, 2, 3):
            entry = AuditEntry(
                seq=seq,
                at=start + timedelta(minutes=seq),
                who="an.officer",
                role="public_protection",
                action="viewed child",
                target_kind="child",
                target_id="per_0001",
                child_id="per_0001",
                why=None,
                previous_hash=previous,
            )
            entry.hash = plain_hash(entry)
            connection.execute(
                text(
                    "INSERT INTO audit_log (seq, at, who, role, action, target_kind, target_id, "
                    "child_id, why, previous_hash, hash) VALUES (:seq, :at, :who, :role, :action, "
                    ":target_kind, :target_id, :child_id, :why, :previous_hash, :hash)"
                ),
                {
                    c: getattr(entry, c)
                    for c in (
                        "seq",
                        "at",
                        "who",
                        "role",
                        "action",
                        "target_kind",
                        "target_id",
                        "child_id",
                        "why",
                        "previous_hash",
                        "hash",
                    )
                },
            )
            previous = entry.hash
    yield db
    db.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_entries_from_before_the_key_verify_and_are_held_in_place(before_the_key: Database) -> None:
    db = before_the_key
    db.migrate()
    with db.session() as session:
        head = session.get(AuditHead, 1)
        assert head is not None
        assert (head.seq, head.keyed_from, head.signature) == (3, 4, "")
    assert verify_database(db) == []
    write(db, "a.supervisor", 2)
    assert verify_database(db) == []
    with db.session() as session:
        assert session.scalar(select(AuditEntry.previous_hash).where(AuditEntry.seq == 4)) == (
            session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == 3))
        )
    # An old entry edited, and its plain hash and the next one's made again, as anyone could:
    with tampering(db) as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(who="someone.else"))
        third = session.get(AuditEntry, 3)
        assert third is not None
        session.refresh(third)
        third.hash = plain_hash(third)
    assert verify_database(db) == ["entry 4 does not follow the entry before it"]
