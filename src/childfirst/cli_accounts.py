"""`childfirst accounts`: creating and disabling the accounts people sign in with.

Outside development nothing else creates an account, so this is how a new installation gets its
first administrator. The operator running a command (their user on this machine) is written to
the audit log with it.
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.console import Console

from childfirst.cli_options import DatabaseOption, open_store
from childfirst.domain.roles import Role
from childfirst.errors import InvalidValueError

app = typer.Typer(help="The accounts people sign in with.", no_args_is_help=True)
console = Console()


def _password_from_stdin() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise InvalidValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


@app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="The name to sign in with.")],
    role: Annotated[Role, typer.Option(help="The role the account works in.")],
    organisation: Annotated[
        str,
        typer.Option(
            help="The organisation it works for: the force's agency code, or a partner's "
            "(a school by its location record, a local authority or health trust by its code)."
        ),
    ],
    name: Annotated[
        str | None, typer.Option(help="The name shown on pages (default: the username).")
    ] = None,
    writes_for: Annotated[
        list[str] | None,
        typer.Option(
            "--writes-for",
            help="A source agency it may write records for (repeat for more; default: its "
            "organisation only).",
        ),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from standard input (asked twice at a terminal) instead of "
            "making one up.",
        ),
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Create an account. Unless --password-stdin is given, a random password is made up and
    shown once, to be passed on to its holder; only its hash is kept."""
    from childfirst.web.accounts import add_account

    password = _password_from_stdin() if password_stdin else None
    with open_store(database) as db:
        made = add_account(
            db,
            getpass.getuser(),
            username=username,
            role=role,
            organisation=organisation,
            display_name=name,
            password=password,
            write_agencies=writes_for,
        )
    console.print(
        f"Created {made.username} ({made.role.label}, {made.organisation}).", markup=False
    )
    if made.password is not None:
        console.print(f"Password, shown only now: {made.password}", markup=False, soft_wrap=True)


@app.command("disable")
def disable(
    username: Annotated[str, typer.Argument(help="The account to disable.")],
    database: DatabaseOption = None,
) -> None:
    """Stop an account signing in; its open sessions end at their next request."""
    from childfirst.web.accounts import disable_account

    with open_store(database) as db:
        disabled = disable_account(db, getpass.getuser(), username)
    if disabled:
        console.print(f"Disabled {username}.", markup=False)
    else:
        console.print(f"{username} was already disabled.", markup=False)
