"""Shared fixtures: the store on each backend.

Every test that takes ``db`` runs twice, on SQLite and on PostgreSQL. Without a PostgreSQL server the
PostgreSQL half is skipped with a message; under CI (``CI=true``) it fails instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from childfirst.store.database import Database
from childfirst.store.models import Base

POSTGRES_URL = os.environ.get(
    "CHILDFIRST_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to reach the server means "no PostgreSQL here"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


@pytest.fixture(scope="session")
def postgres_database(worker_id: str) -> Iterator[str]:
    """A fresh PostgreSQL database for this test worker, migrated to the latest schema."""
    problem = _postgres_problem()
    if problem is not None:
        message = f"PostgreSQL not reachable at {POSTGRES_URL} ({problem})"
        if IN_CI:
            pytest.fail(f"{message}; under CI=true the PostgreSQL tests are required")
        pytest.skip(f"{message}; PostgreSQL tests skipped")
    name = f"childfirst_test_{worker_id}_{os.getpid()}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    Database(url).dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    Database(f"sqlite:///{path}").dispose()
    return path


def _empty_postgres(url: str) -> Database:
    db = Database(url, migrate=False)
    tables = ", ".join(f'"{t.name}"' for t in reversed(Base.metadata.sorted_tables))
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """An empty, migrated store on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "childfirst.db"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}", migrate=False)
    else:
        database = _empty_postgres(request.getfixturevalue("postgres_database"))
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    """The xdist worker name, or 'main' when tests run in one process."""
    workerinput = getattr(request.config, "workerinput", None)
    return str(workerinput["workerid"]) if workerinput else "main"
