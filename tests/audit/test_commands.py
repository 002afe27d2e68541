"""The audit commands as an operator runs them, and the audit key a production serve insists on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from childfirst.audit.keys import DEVELOPMENT_KEY, KEY_FILE_VARIABLE, KEY_VARIABLE, current_key
from childfirst.errors import ConfigurationError
from childfirst.store.access import AuditEntry
from childfirst.store.database import Database
from childfirst.web.settings import Settings
from tests.audit.tamper import delete_entries, tampering, write

SECRET = "a-test-secret-key-that-is-long-enough-to-pass"
KEY = "the-force-audit-key-kept-in-its-secret-store"


def childfirst(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CHILDFIRST_")}
    return subprocess.run(
        [sys.executable, "-m", "childfirst", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**environ, **env},
    )


def test_a_checkpoint_is_exported_kept_and_checked_by_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_VARIABLE, KEY)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    db = Database(url)
    write(db, "a.supervisor", 3)
    kept = tmp_path / "checkpoint.json"
    made = childfirst(
        "audit", "checkpoint", "-d", url, "--export", str(kept), cwd=tmp_path, **{KEY_VARIABLE: KEY}
    )
    assert made.returncode == 0, made.stderr
    assert "Checkpoint at entry 3" in made.stdout
    assert orjson.loads(kept.read_bytes())["seq"] == 3
    intact = childfirst(
        "audit", "verify", "-d", url, "--checkpoint", str(kept), cwd=tmp_path, **{KEY_VARIABLE: KEY}
    )
    assert (intact.returncode, intact.stdout.strip()) == (0, "The audit log is intact.")
    with tampering(db) as session:
        delete_entries(session, AuditEntry.seq >= 2)
    db.dispose()
    cut = childfirst(
        "audit", "verify", "-d", url, "--checkpoint", str(kept), cwd=tmp_path, **{KEY_VARIABLE: KEY}
    )
    assert cut.returncode == 1
    assert (
        "the log ends at entry 1 but the checkpoint given records entry 3: "
        "entries were removed from the end"
    ) in cut.stderr
    without_key = childfirst("audit", "verify", "-d", url, cwd=tmp_path)
    assert without_key.returncode == 1
    assert "sealed with another audit key" in without_key.stderr


def test_a_checkpoint_file_that_is_not_one_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text('{"seq": "three"}')
    url = f"sqlite:///{tmp_path / 'store.db'}"
    result = childfirst("audit", "verify", "-d", url, "--checkpoint", "notes.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "the checkpoint notes.json cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_grants_are_printed_for_the_role_named(tmp_path: Path) -> None:
    result = childfirst("audit", "grants", "childfirst_app", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.audit_log, "
        "public.audit_people, public.audit_checkpoints FROM childfirst_app;"
    ) in result.stdout.splitlines()


def test_production_serve_refuses_to_start_without_an_audit_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    result = childfirst(
        "serve", "-d", url, "--port", "1", cwd=tmp_path, CHILDFIRST_SECRET_KEY=SECRET
    )
    assert result.returncode == 1
    assert "an audit key is required (set CHILDFIRST_AUDIT_KEY" in result.stderr
    assert "childfirst is at" not in result.stdout


def test_serve_refuses_to_start_on_a_log_sealed_with_another_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rather than start and refuse every audited page, serve says at once that it holds another
    key than the log's."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv(KEY_VARIABLE, KEY)
    write(Database(url), "a.supervisor", 2)
    other = "another-force-audit-key-that-is-long-enough"
    result = childfirst(
        "serve", "-d", url, "--port", "1", cwd=tmp_path,
        CHILDFIRST_SECRET_KEY=SECRET, **{KEY_VARIABLE: other},
    )  # fmt: skip
    assert result.returncode == 2
    assert "sealed with another audit key" in result.stderr
    assert "childfirst is at" not in result.stdout


def test_the_settings_want_a_real_audit_key_outside_development(tmp_path: Path) -> None:
    secret = {"CHILDFIRST_SECRET_KEY": SECRET}
    with pytest.raises(ConfigurationError, match="an audit key is required"):
        Settings.from_environment(secret)
    with pytest.raises(ConfigurationError, match="at least 32 characters"):
        Settings.from_environment({**secret, KEY_VARIABLE: "short"})
    with pytest.raises(ConfigurationError, match="development audit key cannot be used"):
        Settings.from_environment({**secret, KEY_VARIABLE: DEVELOPMENT_KEY})
    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY + "\n")
    from_file = {**secret, KEY_FILE_VARIABLE: str(key_file)}
    assert Settings.from_environment(from_file).audit_key == KEY
    assert current_key(from_file) == current_key({KEY_VARIABLE: KEY})
    assert current_key({}).is_development
    assert Settings.from_environment({"CHILDFIRST_DEVELOPMENT": "true"}).audit_key == ""
    with pytest.raises(ConfigurationError, match="audit key file named by"):
        Settings.from_environment({**secret, KEY_FILE_VARIABLE: str(tmp_path / "missing")})
    assert KEY not in repr(Settings.from_environment(from_file))


def test_verify_with_the_published_development_key_proves_nothing(tmp_path: Path) -> None:
    """A log written without the force's key is sealed with the development key, whose text is
    in the source: anyone could rewrite it, so verify refuses to call it intact unless told the
    store is a development one."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    made = childfirst(
        "accounts", "create", "first.admin", "--role", "administrator", "--organisation",
        "northmoor-police", "-d", url, cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    result = childfirst("audit", "verify", "-d", url, cwd=tmp_path)
    assert result.returncode == 1
    assert "development audit key" in result.stderr
    assert "intact" not in result.stdout
    development = childfirst("audit", "verify", "-d", url, "--development", cwd=tmp_path)
    assert (development.returncode, development.stdout.strip()) == (
        0,
        "The audit log is intact.",
    )
