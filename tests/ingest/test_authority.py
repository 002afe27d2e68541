"""Who may write which agency's records: the bulk import's restriction to named agencies, its audit
entry naming the operator and the agencies written, and accounts bound to their force when the
store is upgraded."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from childfirst.domain.roles import Role
from childfirst.errors import ConfigurationError
from childfirst.ingest.authority import (
    AgencyAuthorityError,
    check,
    import_files_as,
    kinds_for,
    writable,
)
from childfirst.ingest.recording import parse_records
from childfirst.store.access import Account, AuditEntry
from childfirst.store.database import Database, alembic_config
from childfirst.store.models import ImportBatch, Person
from childfirst.web.services.recording import audited_import
from tests.conftest import POSTGRES_URL
from tests.factories import AGENCY, household, person, source, write_jsonl

CSC = "northmoor-csc"


def csc_person() -> dict[str, Any]:
    return {
        **person("C1", "Kayleigh", "Walsh"),
        "source": {**source("C1"), "agency": CSC, "agency_kind": "childrens_social_care"},
    }


def _stored(db: Database) -> tuple[int, int]:
    with db.session() as session:
        persons = session.scalar(select(func.count()).select_from(Person)) or 0
        batches = session.scalar(select(func.count()).select_from(ImportBatch)) or 0
    return persons, batches


def test_an_import_restricted_to_the_force_refuses_a_file_with_another_agencys_record(
    db: Database, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [*household(), csc_person()])
    with pytest.raises(AgencyAuthorityError) as refused:
        import_files_as(db, [path], [AGENCY], writer="operator dana")
    message = str(refused.value)
    assert f"operator dana may write records only for {AGENCY}" in message
    assert f"{path}:6 (person 'C1') is a record of {CSC}" in message
    assert message.endswith("Nothing was recorded.")
    assert _stored(db) == (0, 0)


def test_an_import_names_the_agencies_it_wrote_for_and_is_audited(
    db: Database, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [*household(), csc_person()])
    audited = audited_import("dana")
    imported = import_files_as(db, [path], [AGENCY, CSC], writer="operator dana", within=audited)
    assert imported.agencies == [CSC, AGENCY]
    again = import_files_as(db, [path], None, writer="operator dana", within=audited)
    assert again.summary.total_unchanged == 6
    assert again.agencies == []  # wrote nothing: nothing to audit
    with db.session() as session:
        entries = session.execute(
            select(AuditEntry.who, AuditEntry.role, AuditEntry.target_id, AuditEntry.why).where(
                AuditEntry.action == "imported records"
            )
        ).all()
    assert [tuple(e) for e in entries] == [
        (
            "dana",
            "operator",
            str(imported.summary.batch_id),
            f"for {CSC}, {AGENCY}: 6 new, 0 changed",
        )
    ]


def test_an_account_writes_for_its_own_list_else_its_organisation_else_nothing() -> None:
    assert writable(AGENCY, None) == {AGENCY}
    assert writable(AGENCY, [AGENCY, CSC]) == {AGENCY, CSC}
    assert writable(AGENCY, []) == frozenset()
    assert writable(None, None) == frozenset()


def childfirst(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "childfirst", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ},
    )


def test_the_import_command_refuses_other_agencies_and_audits_its_operator(
    tmp_path: Path,
) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [*household(), csc_person()])
    url = f"sqlite:///{tmp_path / 'store.db'}"
    refused = childfirst(
        "import", str(path), "--as-agency", AGENCY, "--database", url, cwd=tmp_path
    )
    assert refused.returncode == 1
    assert f"{path}:6 (person 'C1') is a record of {CSC}" in refused.stderr
    assert "Traceback" not in refused.stderr
    db = Database(url)
    assert _stored(db) == (0, 0)
    done = childfirst(
        "import", str(path), "--as-agency", AGENCY, "--as-agency", CSC, "--database", url,
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with db.session() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "imported records"))
    assert entry is not None
    assert (entry.who, entry.role) == (getpass.getuser(), "operator")
    assert entry.why == f"for {CSC}, {AGENCY}: 6 new, 0 changed"
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def at_0007(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new store at the revision before accounts were bound to organisations."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.db'}", migrate=False)
        command.upgrade(alembic_config(database.engine), "0007")
        yield database
        database.dispose()
        return
    name = f"childfirst_test_authority_{os.getpid()}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: as the other PostgreSQL tests do
        pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    database = Database(url, migrate=False)
    command.upgrade(alembic_config(database.engine), "0007")
    yield database
    database.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrading_binds_police_accounts_to_the_force_whose_records_the_store_holds(
    at_0007: Database,
) -> None:
    with at_0007.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO import_batches (id, started_at, files, created, changed, unchanged) "
                "VALUES (1, '2025-01-01 00:00:00', '[]', 0, 0, 0)"
            )
        )
        for n, agency in enumerate(["other-force", AGENCY, AGENCY]):
            connection.execute(
                text(
                    "INSERT INTO events (id, agency, agency_kind, system, source_id, received_at, "
                    "version, content_hash, batch_id, record, event_type, occurred_at, details) "
                    "VALUES (:id, :agency, 'police', 'niche', :id, '2025-01-01 00:00:00', 1, 'h', "
                    "1, '{}', 'domestic_abuse', '2025-01-01 00:00:00', '{}')"
                ),
                {"id": f"evt_{n}", "agency": agency},
            )
        for username, role, organisation in (
            ("pc.old", "response_officer", None),
            ("sgt.elsewhere", "supervisor", "another-force"),
            ("dsl.school", "school", "loc_1"),
            ("csw.unbound", "childrens_social_care", None),
        ):
            connection.execute(
                text(
                    "INSERT INTO accounts (username, display_name, role, agency_code, "
                    "password_hash, active, created_at) VALUES (:u, :u, :r, :o, 'x', true, "
                    "'2025-01-01 00:00:00')"
                ),
                {"u": username, "r": role, "o": organisation},
            )
    command.upgrade(alembic_config(at_0007.engine), "0008")
    with at_0007.session() as session:
        rows = session.execute(select(Account.username, Account.agency_code)).all()
        bound = {row[0]: row[1] for row in rows}
        lists = set(session.scalars(select(Account.write_agencies)))
    assert bound == {
        "pc.old": AGENCY,  # the force with the most records
        "sgt.elsewhere": "another-force",  # already bound: left alone
        "dsl.school": "loc_1",
        "csw.unbound": None,  # a partner is never bound to a force
    }
    assert lists == {None}  # each writes for its own organisation


def test_an_import_whose_audit_entry_cannot_be_written_writes_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch and its audit entry commit together: an operator running with another audit
    key than the log's (so no entry can be sealed) leaves no record behind without its entry."""
    first = write_jsonl(tmp_path / "first.jsonl", [csc_person()])
    import_files_as(db, [first], None, writer="operator dana", within=audited_import("dana"))
    before = _stored(db)
    monkeypatch.setenv("CHILDFIRST_AUDIT_KEY", "another-key-than-the-one-that-sealed-the-log")
    path = write_jsonl(tmp_path / "feed.jsonl", household())
    with pytest.raises(ConfigurationError):
        import_files_as(db, [path], None, writer="operator dana", within=audited_import("dana"))
    assert _stored(db) == before


def test_an_accounts_own_organisation_has_the_kind_of_its_role_and_a_partner_its_stored_kind(
    db: Database, tmp_path: Path
) -> None:
    import_files_as(db, [write_jsonl(tmp_path / "csc.jsonl", [csc_person()])], None, writer="op")
    agencies = [AGENCY, CSC, "northmoor-housing"]
    with db.session() as session:
        handler = kinds_for(session, Role.CALL_HANDLER, AGENCY, agencies)
        school = kinds_for(session, Role.SCHOOL, "northmoor-schools", ["northmoor-schools"])
        administrator = kinds_for(session, Role.ADMINISTRATOR, AGENCY, [AGENCY])
    # The housing feed is new to the store; the force's administrator has no kind of its own
    # and the store holds none of the force's records yet.
    assert handler == {AGENCY: "police", CSC: "childrens_social_care"}
    assert school == {"northmoor-schools": "education"}
    assert administrator == {}
    parsed, _ = parse_records([{**person("P9"), "source": source("P9", kind="education")}])
    with pytest.raises(AgencyAuthorityError) as caught:
        check(parsed, [AGENCY], writer="call.handler", kinds=handler)
    assert str(caught.value) == (
        "call.handler may write an agency's records only as the kind of agency it is: record 1 "
        f"(person 'P9') gives {AGENCY} the agency kind education, but {AGENCY} is police. "
        "Nothing was recorded."
    )
    check(parsed, [AGENCY], writer="administrator", kinds=administrator)  # one kind: accepted
