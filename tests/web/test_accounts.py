"""Accounts outside development: a production server makes no demo account, and the operator
creates (and disables) every account with `childfirst accounts`."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from childfirst.cli import app
from childfirst.domain.roles import Role
from childfirst.errors import ChildfirstError
from childfirst.store.access import Account, AuditEntry
from childfirst.store.database import Database
from childfirst.web.app import create_app
from childfirst.web.auth import SIGN_IN_COOKIE
from childfirst.web.demo import demo_username, ensure_demo_accounts
from tests.web.conftest import CSRF_INPUT, SECRET, TestClient, settings_for, sign_in

REPO = Path(__file__).resolve().parents[2]


def childfirst(*args: str, stdin: str | None = None) -> Result:
    """A command run as from the shell, in this process (a new interpreter costs seconds)."""
    return CliRunner().invoke(app, list(args), input=stdin)


def refusal(result: Result) -> str:
    """What `childfirst` prints for a command the library refused (see ``childfirst.cli.main``)."""
    assert isinstance(result.exception, ChildfirstError), result.output
    return f"error: {result.exception}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    def __init__(self, url: str, process: subprocess.Popen[str], logs: Path) -> None:
        self.url = url
        self.process = process
        self.logs = logs

    def output(self) -> str:
        return (self.logs / "out").read_text() + (self.logs / "err").read_text()


@contextmanager
def _serve_in_production(db: Database, logs: Path) -> Iterator[Served]:
    """`childfirst serve --production` on ``db``, in its own process, until the test ends."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHILDFIRST_")}
    env["CHILDFIRST_SECRET_KEY"] = SECRET
    env["CHILDFIRST_AUDIT_KEY"] = "an-audit-key-for-this-test-long-enough-to-pass"
    env["CHILDFIRST_DEVELOPMENT"] = "true"  # --production wins over a development setting left on
    args = ["serve", "--production", "--database", db.url, "--port", str(port)]
    with (logs / "out").open("w") as out, (logs / "err").open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "childfirst", *args, "--waits-every", "0"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
        )
    served = Served(f"http://127.0.0.1:{port}", process, logs)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, f"serve stopped: {served.output()}"
            try:
                if httpx.get(f"{served.url}/sign-in", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"serve did not answer: {served.output()}"
            time.sleep(0.2)
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    path = tmp_path / "serve"
    path.mkdir()
    return path


def _sign_in_over_http(url: str, username: str, password: str) -> httpx.Response:
    """Sign in against a production server over plain HTTP: its cookies are marked Secure, so
    the sign-in form's cookie is sent back by hand."""
    with httpx.Client(base_url=url, follow_redirects=False) as client:
        form = client.get("/sign-in")
        token = CSRF_INPUT.search(form.text)
        assert token is not None
        return client.post(
            "/sign-in",
            data={"username": username, "password": password, "csrf_token": token.group(1)},
            headers={"Cookie": f"{SIGN_IN_COOKIE}={token.group(1)}"},
        )


def _accounts(db: Database) -> dict[str, Account]:
    with db.session() as session:
        return {a.username: a for a in session.scalars(select(Account))}


def test_a_production_server_makes_no_demo_account(db: Database, logs: Path) -> None:
    with _serve_in_production(db, logs) as served:
        administrator = demo_username(Role.ADMINISTRATOR)
        refused = _sign_in_over_http(served.url, administrator, "demo-administrator")
        assert refused.status_code == 401
        assert "The username or password is not right." in refused.text
        page = httpx.get(f"{served.url}/sign-in")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert _accounts(db) == {}
        output = served.output()
        assert "Demo accounts" not in output
        assert "demo." not in output
        assert "No account can sign in yet" in output
        assert "childfirst accounts create" in output


def test_a_production_server_disables_demo_accounts_left_on_the_store(
    db: Database, logs: Path
) -> None:
    """Demo accounts left by a development server on the same store have published passwords:
    a production server disables each at start, audited, and none can sign in; none is reset or
    shown with its password."""
    passwords = {role: p for _, p, role in ensure_demo_accounts(db, deterministic=True)}
    hashes = {name: a.password_hash for name, a in _accounts(db).items()}
    with _serve_in_production(db, logs) as served:
        accounts = _accounts(db)
        assert {name: a.password_hash for name, a in accounts.items()} == hashes
        assert not any(a.active for a in accounts.values())
        for role in (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.SCHOOL):
            refused = _sign_in_over_http(served.url, demo_username(role), passwords[role])
            assert refused.status_code == 401
        output = served.output()
        assert passwords[Role.SUPERVISOR] not in output
        assert "Demo accounts disabled" in output
        assert demo_username(Role.ADMINISTRATOR) in output
    with db.session() as session:
        disabled = set(
            session.scalars(
                select(AuditEntry.target_id).where(AuditEntry.action == "disabled account")
            )
        )
    assert disabled == {demo_username(role) for role in Role}


def test_development_serves_this_machine_only(db: Database) -> None:
    """Development signs in demo accounts with published passwords: it refuses to listen on an
    address others can reach."""
    result = subprocess.run(
        [sys.executable, "-m", "childfirst", "serve", "--development", "--host", "0.0.0.0"],
        env={**os.environ, "CHILDFIRST_DATABASE_URL": db.engine.url.render_as_string(False)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "listens on this machine only" in result.stderr
    assert _accounts(db) == {}


def test_development_never_re_enables_a_disabled_demo_account(db: Database) -> None:
    ensure_demo_accounts(db, deterministic=True)
    health = demo_username(Role.HEALTH)
    assert childfirst("accounts", "disable", health, "--database", db.url).exit_code == 0
    again = ensure_demo_accounts(db, deterministic=True)
    assert health not in {username for username, _, _ in again}
    assert len(again) == len(Role) - 1
    assert _accounts(db)[health].active is False
    with TestClient(create_app(settings_for(db), db), follow_redirects=False) as client:
        assert sign_in(client, health, "demo-health").status_code == 401


def test_the_operator_creates_the_first_administrator(db: Database) -> None:
    made = childfirst(
        "accounts",
        "create",
        "j.okafor",
        "--role",
        "administrator",
        "--organisation",
        "northmoor-police",
        "--name",
        "Jo Okafor",
        "--database",
        db.url,
    )
    assert made.exit_code == 0, made.output
    shown = re.search(r"Password, shown only now: (\S+)", made.output)
    assert shown is not None, made.output
    password = shown.group(1)
    account = _accounts(db)["j.okafor"]
    assert account.role == Role.ADMINISTRATOR.value
    assert account.agency_code == "northmoor-police"
    assert account.display_name == "Jo Okafor"
    assert password not in account.password_hash
    app = create_app(settings_for(db, development=False), db)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        assert sign_in(client, "j.okafor", password).status_code == 303
        assert "Jo Okafor" in client.get("/catalogue").text
    with db.session() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "created account"))
    assert entry is not None
    assert entry.target_id == "j.okafor"
    assert entry.role == "operator"
    assert entry.why == "role=administrator; organisation=northmoor-police"


def test_a_password_can_be_given_on_standard_input_and_a_username_only_once(
    db: Database,
) -> None:
    args = ["accounts", "create", "dsl.fellview", "--role", "school", "--database", db.url]
    args += ["--organisation", "school-fellview"]
    chosen = "a-long-chosen-passphrase"
    made = childfirst(*args, "--password-stdin", stdin=chosen + "\n")
    assert made.exit_code == 0, made.output
    assert "Password, shown only now" not in made.output
    assert chosen not in made.output
    again = childfirst(*args)
    assert "there is already an account 'dsl.fellview'" in refusal(again)
    short = childfirst(*args[:2], "other.user", *args[3:], "--password-stdin", stdin="short\n")
    assert "12 to 1024 characters" in refusal(short)
    # From the shell, a refusal is a message and exit status 1.
    shell = subprocess.run(
        [sys.executable, "-m", "childfirst", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shell.returncode == 1
    assert shell.stderr == "error: there is already an account 'dsl.fellview'\n"
    assert set(_accounts(db)) == {"dsl.fellview"}
    with TestClient(create_app(settings_for(db), db), follow_redirects=False) as client:
        assert sign_in(client, "dsl.fellview", chosen).status_code == 303


def test_a_disabled_account_can_no_longer_sign_in_or_use_its_session(db: Database) -> None:
    made = childfirst(
        "accounts", "create", "pc.leaver", "--role", "response_officer",
        "--organisation", "northmoor-police", "--database", db.url,
    )  # fmt: skip
    shown = re.search(r"Password, shown only now: (\S+)", made.output)
    assert shown is not None, made.output + made.output
    with TestClient(create_app(settings_for(db), db), follow_redirects=False) as client:
        assert sign_in(client, "pc.leaver", shown.group(1)).status_code == 303
        assert client.get("/api/v1/queue").status_code == 200
        disabled = childfirst("accounts", "disable", "pc.leaver", "--database", db.url)
        assert disabled.exit_code == 0, disabled.output
        assert "Disabled pc.leaver." in disabled.output
        assert client.get("/api/v1/queue").status_code == 401
        assert sign_in(client, "pc.leaver", shown.group(1)).status_code == 401
    missing = childfirst("accounts", "disable", "nobody.here", "--database", db.url)
    assert refusal(missing) == "error: there is no account 'nobody.here'"
