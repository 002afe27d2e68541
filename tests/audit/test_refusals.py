"""The database itself refuses to change or delete the audit log, on both backends; on PostgreSQL
the application's own role, with the grants ``childfirst audit grants`` prints, cannot even try."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from childfirst.audit.chain import Actor, record
from childfirst.audit.checkpoints import checkpoint_database
from childfirst.audit.grants import grant_statements
from childfirst.audit.verify import verify_database
from childfirst.errors import InvalidValueError
from childfirst.store.access import AuditCheckpoint, AuditEntry, AuditHead, AuditPerson
from childfirst.store.database import Database
from tests.audit.tamper import write

REFUSED = "audit entries cannot be changed or deleted"


def _named(db: Database) -> None:
    with db.session(write=True) as session:
        record(
            session,
            Actor("a.supervisor", "supervisor"),
            "viewed work queue",
            "list",
            "queue",
            people=["per_a", "per_b"],
        )


@pytest.mark.parametrize(
    "change",
    [
        delete(AuditEntry).where(AuditEntry.seq == 2),
        delete(AuditEntry),
        update(AuditEntry).where(AuditEntry.seq == 1).values(who="someone.else"),
        delete(AuditPerson),
        update(AuditPerson).values(person_id="per_c"),
        delete(AuditCheckpoint),
        update(AuditCheckpoint).values(seq=1),
    ],
    ids=["one", "all", "edit", "people", "people-edit", "checkpoints", "checkpoint-edit"],
)
def test_the_database_refuses_to_change_or_delete_audit_rows(db: Database, change: object) -> None:
    write(db, "a.supervisor", 2)
    _named(db)
    checkpoint_database(db)
    with pytest.raises(DBAPIError, match=REFUSED), db.session(write=True) as session:
        session.execute(change)  # type: ignore[call-overload]
    assert verify_database(db) == []


def test_the_head_only_moves_on(db: Database) -> None:
    write(db, "a.supervisor", 3)
    for change in (update(AuditHead).values(seq=2), update(AuditHead).values(keyed_from=3)):
        with (
            pytest.raises(DBAPIError, match="the audit head can only move forward"),
            db.session(write=True) as session,
        ):
            session.execute(change)
    with (
        pytest.raises(DBAPIError, match="the audit head can only move forward"),
        db.session(write=True) as session,
    ):
        session.execute(delete(AuditHead))
    write(db, "a.supervisor", 1)
    assert verify_database(db) == []


def test_a_role_name_that_is_not_plain_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="not a plain PostgreSQL name"):
        grant_statements("app; DROP TABLE audit_log")


@pytest.fixture
def app_role(db: Database) -> Iterator[Database]:
    """The store as the application's own role sees it: granted what ``audit grants`` prints."""
    if db.dialect != "postgresql":
        pytest.skip("roles and grants are PostgreSQL's")
    role = f"childfirst_app_{os.getpid()}"
    with db.engine.begin() as connection:
        connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
        for statement in grant_statements(role):
            connection.execute(text(statement))
    url = make_url(db.url).set(username=role).render_as_string(hide_password=False)
    limited = Database(url)  # opens, and finds the schema migrated, as serve does
    yield limited
    limited.dispose()
    with db.engine.begin() as connection:
        connection.execute(text(f"DROP OWNED BY {role}"))
        connection.execute(text(f"DROP ROLE {role}"))


@pytest.mark.postgres
def test_the_applications_role_can_append_but_never_change_or_remove_an_entry(
    db: Database, app_role: Database
) -> None:
    write(app_role, "a.supervisor", 3)  # views are recorded as ever
    checkpoint_database(app_role)
    assert verify_database(app_role) == []
    for statement in (
        "DELETE FROM audit_log",
        "UPDATE audit_log SET who = 'someone.else'",
        "TRUNCATE audit_log CASCADE",
        "DELETE FROM audit_checkpoints",
        "DELETE FROM audit_head",
        "ALTER TABLE audit_log DISABLE TRIGGER USER",
        "DROP TRIGGER audit_log_append_only ON audit_log",
    ):
        with (
            pytest.raises(DBAPIError, match=r"permission denied|must be owner"),
            app_role.session(write=True) as session,
        ):
            session.execute(text(statement))
    with app_role.session() as session:
        assert session.query(AuditEntry).count() == 3
    assert verify_database(db) == []
