"""`childfirst protection`: the operator's commands, acting as the operating system user (the
operator), audited; ``--by`` is only whom they acted for."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

import orjson
from sqlalchemy import select
from typer.testing import CliRunner

from childfirst.cli import app
from childfirst.store.access import AuditEntry
from tests.protection.conftest import MOTHER, PARTNER, Family

runner = CliRunner()


def run(family: Family, *args: str) -> str:
    result = runner.invoke(app, [*args, "--database", family.db.url, "--by", "dpo.hughes"])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_operator_exports_restricts_erases_and_lists_who_is_due(
    family: Family, tmp_path: Path
) -> None:
    out = tmp_path / "sar.json"
    page = tmp_path / "sar.html"
    run(family, "protection", "export", MOTHER, "--output", str(out), "--html", str(page))
    exported = orjson.loads(out.read_bytes())
    assert exported["subject"] == MOTHER
    assert "Dean" not in out.read_text()
    assert "Donna" in page.read_text()

    shown = run(
        family, "protection", "restrict", PARTNER, "--reason", "evidence", "--purpose", "evidence"
    )
    assert "may be used only for: evidence" in shown
    assert "is lifted" in run(family, "protection", "lift", PARTNER, "--reason", "trial over")
    assert "Erased 1 record(s)" in run(
        family, "protection", "erase", PARTNER, "--reason", "acquitted"
    )
    due = run(family, "protection", "due", "--today", "2031-06-01")
    assert MOTHER in due
    assert "1 due for review." in due
    # A decision names the latest one its maker saw, as the list gives it.
    kept = run(family, "protection", "decide", MOTHER, "retain", "--reason", "risk remains")
    decision = kept.split(":")[0].removeprefix("Decision ")
    retain = ["protection", "decide", MOTHER, "retain", "--reason", "again"]
    stale = runner.invoke(app, [*retain, "--database", family.db.url])
    assert stale.exit_code != 0
    assert "Reload the record" in str(stale.exception)
    latest = run(family, *retain, "--last-decision", decision).split(":")[0]
    assert latest.startswith("Decision ")
    listed = run(family, "protection", "due", "--today", "2040-01-01")
    assert f"last decision {latest.removeprefix('Decision ')}\n" in listed

    again = subprocess.run(
        [sys.executable, "-m", "childfirst", "import", str(family.path), "--no-rules"],
        env={**os.environ, "CHILDFIRST_DATABASE_URL": family.db.url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "NM-NOMINAL-778123 was erased" in again.stderr

    with family.db.session() as session:
        entries = list(
            session.execute(
                select(AuditEntry.action, AuditEntry.who, AuditEntry.role, AuditEntry.why)
                .where(AuditEntry.action.not_like("import%"))
                .order_by(AuditEntry.seq)
            )
        )
    # Who acted is the machine's user, as an operator; never the name given with --by.
    assert {(who, role) for _, who, role, _ in entries} == {(getpass.getuser(), "operator")}
    assert all("(on behalf of dpo.hughes)" in (why or "") for *_, why in entries)
    actions = [action for action, *_ in entries]
    assert actions == [
        "subject_access.export",
        "restriction.place",
        "restriction.lift",
        "erasure.erase",
        "retention.list_due",
        "retention.retain",
        "retention.retain",
        "retention.list_due",
    ]
