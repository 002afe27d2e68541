"""The store opens on both backends, at the schema the models declare."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from childfirst.errors import ConfigurationError
from childfirst.store.database import Database, alembic_config
from childfirst.store.models import Base


def test_the_migrations_build_exactly_the_declared_schema(db: Database) -> None:
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrating_again_is_harmless(db: Database) -> None:
    db.migrate()
    assert "persons" in db.tables()
    head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    with db.engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == head


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_an_unsupported_database_is_refused_clearly() -> None:
    with pytest.raises(ConfigurationError, match="unsupported database 'mysql'"):
        Database("mysql://localhost/x")


def test_the_sqlite_page_cache_is_128_mib_unless_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for setting, kib in ((None, 131072), ("2048", 2097152)):
        if setting is None:
            monkeypatch.delenv("CHILDFIRST_SQLITE_CACHE_MIB", raising=False)
        else:
            monkeypatch.setenv("CHILDFIRST_SQLITE_CACHE_MIB", setting)
        db = Database(f"sqlite:///{tmp_path / f'{kib}.db'}")
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA cache_size")).scalar() == -kib
        db.dispose()


@pytest.mark.parametrize("setting", ["lots", "0", "-5", "2.5"])
def test_a_wrong_sqlite_cache_setting_is_refused_before_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv("CHILDFIRST_SQLITE_CACHE_MIB", setting)
    with pytest.raises(ConfigurationError, match="CHILDFIRST_SQLITE_CACHE_MIB must be a whole"):
        Database(f"sqlite:///{tmp_path / 'a.db'}")
    assert not (tmp_path / "a.db").exists()
