"""Opening the store: SQLite (embedded default, WAL) or PostgreSQL, migrated to the latest schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from childfirst.errors import ConfigurationError

DEFAULT_URL = "sqlite:///var/childfirst.db"
URL_VARIABLE = "CHILDFIRST_DATABASE_URL"
CACHE_VARIABLE = "CHILDFIRST_SQLITE_CACHE_MIB"
DEFAULT_CACHE_MIB = 128


def database_url(url: str | None = None) -> str:
    """The database URL: the argument, else ``CHILDFIRST_DATABASE_URL``, else a local SQLite file."""
    return url or os.environ.get(URL_VARIABLE) or DEFAULT_URL


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def sqlite_cache_mib() -> int:
    """SQLite's page cache per connection, in MiB: ``CHILDFIRST_SQLITE_CACHE_MIB``, else 128.

    A store of many millions of records imports faster with a cache that holds its indexes: the
    record ids are hashes, so every new record lands on a different index page.
    """
    text = os.environ.get(CACHE_VARIABLE, "").strip()
    if not text:
        return DEFAULT_CACHE_MIB
    if not text.isdigit() or not 1 <= int(text) <= 1 << 20:
        raise ConfigurationError(
            f"{CACHE_VARIABLE} must be a whole number of MiB between 1 and 1048576, not {text!r}"
        )
    return int(text)


def _sqlite_pragmas(cache_mib: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        _set_pragmas(dbapi_connection, cache_mib)

    return on_connect


def _set_pragmas(dbapi_connection: Any, cache_mib: int) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA cache_size=-{cache_mib * 1024}")  # in KiB, when negative
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A writer takes the write lock when it begins, so that a read-then-write transaction never
    # fails half-way with "database is locked"; readers keep WAL's lock-free snapshots.
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        cache_mib = sqlite_cache_mib()  # a wrong setting fails here, before any connection
        engine = create_engine(url, json_serializer=_json_dumps, json_deserializer=orjson.loads)
        event.listen(engine, "connect", _sqlite_pragmas(cache_mib))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(
            parsed,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
            pool_pre_ping=True,
        )
    raise ConfigurationError(
        f"unsupported database '{parsed.get_backend_name()}': use sqlite or postgresql"
    )


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "childfirst.store:migrations")
    config.attributes["engine"] = engine
    return config


class Database:
    """The store: an engine, a session factory and the schema kept at the latest migration."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        command.upgrade(alembic_config(self.engine), "head")

    def tables(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        ``write=True`` on SQLite takes the write lock at the start of the transaction.
        """
        factory = self.write_sessions if write else self.sessions
        with factory() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
