"""``childfirst protection``: the retention review, erasure, restriction and subject access.

A thin layer over the library: each command names the person (a master person id, or a person
record id, which takes in every record linked to it), acts as the operator running it (the
operating system user, with the role "operator", as every other command), and is audited by the
library. ``--by`` names someone the operator acts for: it is written into the reason in the audit
log, never as who acted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console

from childfirst.audit.chain import Actor
from childfirst.cli_options import DatabaseOption, open_store

app = typer.Typer(
    help="Data protection: retention review, erasure, restriction and subject access.",
    no_args_is_help=True,
)
console = Console(soft_wrap=True)
errors = Console(stderr=True)

ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="Whom the operator acts for, added to the reason in the audit log (the operator "
        "recorded as acting is always the operating system user).",
    ),
]
Person = Annotated[
    str, typer.Argument(help="A master person id (mp_...) or a person record id (per_...).")
]
Reason = Annotated[str, typer.Option("--reason", help="Why, in words (no personal data).")]


def _actor() -> Actor:
    """The operating system user running the command, as every command records its operator."""
    return Actor.operator()


def _on_behalf(why: str, by: str | None) -> str:
    by = (by or "").strip()
    return f"{why} (on behalf of {by})" if by and why.strip() else why


@app.command("schedule")
def schedule_command() -> None:
    """Show the retention schedule in force (CHILDFIRST_PROTECTION_CONFIG, else the defaults)."""
    from childfirst.protection.config import load_schedule

    for group in load_schedule().groups:
        console.print(f"{group.name}: {group.describe()}", markup=False)


@app.command("due")
def due_command(
    database: DatabaseOption = None,
    today: Annotated[
        str | None, typer.Option(help="Review as of this date, YYYY-MM-DD (default: today).")
    ] = None,
    by: ByOption = None,
) -> None:
    """List the people due for review under the retention schedule, longest overdue first."""
    from childfirst.protection.retention import due_for_review

    day = date.fromisoformat(today) if today else None
    with open_store(database) as db:
        due = due_for_review(db, _actor(), today=day, on_behalf_of=by).people
    for review in due:
        born = review.date_of_birth.isoformat() if review.date_of_birth else "not recorded"
        console.print(
            f"due {review.due_on.isoformat()}  {review.person_key}  {review.name} (born {born})  "
            f"group {review.group}, last came to notice {review.last_activity.isoformat()}"
            + (
                f", last decision {review.last_decision_id}"
                if review.last_decision_id is not None
                else ""
            ),
            markup=False,
            soft_wrap=True,
        )
    console.print(f"{len(due)} due for review.")


@app.command("decide")
def decide_command(
    person: Person,
    decision: Annotated[str, typer.Argument(help="retain or erase")],
    reason: Reason,
    next_review: Annotated[
        str | None,
        typer.Option(
            help="When retained: the next review, YYYY-MM-DD (default: the group's period)."
        ),
    ] = None,
    last_decision: Annotated[
        int | None,
        typer.Option(
            help="The id of the latest decision about PERSON you saw (none for a first review); "
            "a decision made since refuses this one."
        ),
    ] = None,
    database: DatabaseOption = None,
    by: ByOption = None,
) -> None:
    """Record a retention review of PERSON: retain until the next review, or erase (only when
    PERSON is due for review; otherwise use erase)."""
    from childfirst.protection.retention import decide

    day = date.fromisoformat(next_review) if next_review else None
    with open_store(database) as db:
        made = decide(
            db,
            _actor(),
            person,
            decision,
            _on_behalf(reason, by),
            last_seen=last_decision,
            next_review_on=day,
        )
    if made.erased:
        console.print(
            f"Decision {made.id}: erased {len(made.erased)} record(s) of {made.person_key}."
        )
    else:
        assert made.next_review_on is not None
        console.print(
            f"Decision {made.id}: {made.person_key} retained ({made.group}); "
            f"next review {made.next_review_on.isoformat()}."
        )


@app.command("erase")
def erase_command(
    person: Person, reason: Reason, database: DatabaseOption = None, by: ByOption = None
) -> None:
    """Erase PERSON's personal data from the record and all its versions, keeping a tombstone."""
    from childfirst.protection.erasure import erase

    with open_store(database) as db:
        erased = erase(db, _actor(), person, _on_behalf(reason, by))
    console.print(f"Erased {len(erased)} record(s): {', '.join(erased)}.")


@app.command("restrict")
def restrict_command(
    person: Person,
    reason: Reason,
    purpose: Annotated[
        list[str] | None,
        typer.Option(
            "--purpose",
            help="A purpose the records may still be used for (repeat): evidence, accuracy, "
            "legal_claims, protection_of_others, subject_access.",
        ),
    ] = None,
    database: DatabaseOption = None,
    by: ByOption = None,
) -> None:
    """Restrict processing of PERSON: out of the rules and search, viewed only for the purposes."""
    from childfirst.protection.restriction import restrict

    with open_store(database) as db:
        made = restrict(db, _actor(), person, _on_behalf(reason, by), purpose or [])
    console.print(made.notice, markup=False)


@app.command("lift")
def lift_command(
    person: Person, reason: Reason, database: DatabaseOption = None, by: ByOption = None
) -> None:
    """Lift the restriction of processing on PERSON."""
    from childfirst.protection.restriction import lift

    with open_store(database) as db:
        lifted = lift(db, _actor(), person, _on_behalf(reason, by))
    console.print(f"The restriction on {lifted.person_key} is lifted.")


@app.command("export")
def export_command(
    person: Person,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the JSON.")],
    html: Annotated[
        Path | None, typer.Option(help="Also write a readable page (HTML) here.")
    ] = None,
    database: DatabaseOption = None,
    by: ByOption = None,
) -> None:
    """Export everything held about PERSON for a subject access request, others redacted."""
    from childfirst.protection.subject_access import export, to_html

    with open_store(database) as db:
        data = export(db, _actor(), person, why=_on_behalf("subject access request", by))
    output.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    console.print(f"wrote {output}")
    if html is not None:
        html.write_text(to_html(data), encoding="utf-8")
        console.print(f"wrote {html}")
