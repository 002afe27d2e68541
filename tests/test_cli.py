"""The command line as a person uses it: messages, exit codes, and the store afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.factories import event, household, write_jsonl


def childfirst(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "childfirst", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_then_summary(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", household())
    db = f"sqlite:///{tmp_path / 'store.db'}"
    first = childfirst("import", str(path), "--database", db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "5 new" in first.stdout
    again = childfirst("import", str(path), "--database", db, cwd=tmp_path)
    assert "0 new, 0 new versions, 5 unchanged" in again.stdout
    shown = childfirst("summary", "--database", db, cwd=tmp_path)
    assert "domestic_abuse" in shown.stdout
    assert "northmoor-police" in shown.stdout


def test_a_bad_batch_exits_2_naming_each_problem(tmp_path: Path) -> None:
    records = household()
    records[3] = event(event_type="burglary")
    path = write_jsonl(tmp_path / "bad.jsonl", records)
    result = childfirst(
        "import", str(path), "--database", f"sqlite:///{tmp_path / 's.db'}", cwd=tmp_path
    )
    assert result.returncode == 2
    assert f"{path}:4: field 'event_type'" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_database_url_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = childfirst("summary", "--database", "oracle://x/y", cwd=tmp_path)
    assert result.returncode == 1
    assert "unsupported database 'oracle'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_scheduled_waits_run_reports_what_it_judged(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", household())
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert childfirst("import", str(path), "--database", db, cwd=tmp_path).returncode == 0
    result = childfirst("waits", "--days", "3", "--database", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The household's incident is from 2025: no wait of the last three days to judge.
    assert "Waits after 0 events of the last 3 days checked" in result.stdout
    assert "0 concerns raised" in result.stdout


def test_a_bad_cache_setting_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "childfirst", "summary", "-d", f"sqlite:///{tmp_path / 's.db'}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "CHILDFIRST_SQLITE_CACHE_MIB": "lots"},
    )
    assert result.returncode == 1
    assert "CHILDFIRST_SQLITE_CACHE_MIB must be a whole number of MiB" in result.stderr
    assert "Traceback" not in result.stderr
