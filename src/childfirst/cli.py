"""The command line: a thin layer over the library. Domain errors become messages here."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from childfirst import cli_accounts as accounts_cli
from childfirst.cli_options import DatabaseOption
from childfirst.errors import ChildfirstError, ImportValidationError
from childfirst.protection import cli as protection_cli
from childfirst.rules.service import Evaluation
from childfirst.store.database import Database

app = typer.Typer(
    help="childfirst: a child-centred safeguarding record for police forces and their partners.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar for long jobs, fed by (stage, done, total) callbacks from the library."""
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=errors, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield update


@app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(help="JSON Lines (.jsonl) or CSV files.")],
    database: DatabaseOption = None,
    judge: Annotated[
        bool, typer.Option("--rules/--no-rules", help="Match people and run the rules afterwards.")
    ] = True,
    as_agency: Annotated[
        list[str] | None,
        typer.Option(
            "--as-agency",
            help="Import only records of this source agency (repeat for more): a file holding "
            "any other agency's record is refused whole.",
        ),
    ] = None,
) -> None:
    """Validate FILES as one batch, then import all of it, or nothing if anything is wrong.

    The batch is audited with the operator who ran it (the user on this machine) and the
    agencies it wrote records for.

    New person records are then matched against the master person index (once one has been built
    with `childfirst link`), and the safeguarding rules judge every new or changed event against
    the full history; so are any an earlier import left (stopped before it got there, or run
    with --no-rules).
    """
    from childfirst.ingest.authority import import_files_as
    from childfirst.web.services.recording import audited_import

    db = Database(database)
    operator = getpass.getuser()
    with _progress() as progress:
        imported = import_files_as(
            db,
            files,
            as_agency,
            writer=f"operator {operator}",
            progress=progress,
            within=audited_import(operator),
        )
    summary = imported.summary
    console.print(
        f"Imported batch {summary.batch_id}: {summary.records:,} records "
        f"({summary.total_created:,} new, {summary.total_changed:,} new versions, "
        f"{summary.total_unchanged:,} unchanged) in {summary.seconds:.1f} s"
    )
    for warning in summary.skipped_erased:
        errors.print(f"warning: {warning}", markup=False, soft_wrap=True)
    if not judge:
        return
    _finish_pending(db)


def _finish_pending(db: Database) -> bool:
    """Match the person records and judge the events marked as still to be worked on (this
    import's, and any an earlier one left); whether there were any."""
    from childfirst.rules.service import evaluate_pending

    matched = _match_pending(db)
    with _progress() as progress:
        result = evaluate_pending(db, progress=progress)
    if result.events:
        _print_evaluation(result)
    return matched or bool(result.events)


def _match_pending(db: Database) -> bool:
    """Match the person records marked as still to be matched; whether there were any."""
    from childfirst.linkage.pending import match_marked

    matched = match_marked(db)
    if matched.marked and not matched.indexed:
        console.print("No master person index yet: run `childfirst link` to build one.")
    elif matched.marked:
        joined = sum(1 for a in matched.assigned if not a.new_master)
        console.print(
            f"Matched {len(matched.assigned):,} person records: {joined:,} joined a known person"
        )
        _follow(db)
    return bool(matched.marked)


@app.command()
def link(database: DatabaseOption = None) -> None:
    """Re-link every person record into the master person index (trains a model if none)."""
    from childfirst.linkage.pending import relink

    db = Database(database)
    with _progress() as progress:
        run = relink(db, progress=progress)
    console.print(
        f"Linked {run.records:,} person records into {run.masters:,} people: "
        f"{run.auto_links:,} links made, {run.review_pairs:,} pairs for review, "
        f"{run.moved:,} records moved, in {run.seconds:.1f} s"
    )
    if run.untrained:
        console.print(
            f"No linkage model was trained: {run.untrained}. Records were scored with the "
            "model's cautious priors; the next link trains a model once there are enough."
        )
    _follow(db)


def _follow(db: Database) -> None:
    from childfirst.rules.service import follow_people

    moved, merged = follow_people(db)
    if moved or merged:
        console.print(
            f"Concerns moved to their child's linked person: {moved:,}; merged: {merged:,}"
        )


def _print_evaluation(result: Evaluation) -> None:
    console.print(
        f"Rules judged {result.events:,} events in {result.seconds:.1f} s: "
        f"{result.raised:,} concerns raised, {result.grown:,} given new evidence"
    )


@app.command()
def evaluate(
    database: DatabaseOption = None,
    pending: Annotated[
        bool,
        typer.Option(
            "--pending",
            help="Only match the people and judge the events an import left (stopped first).",
        ),
    ] = False,
) -> None:
    """Re-evaluate every event in the store with the current rules (after a rule change).

    With --pending, only match the person records and judge the events an import wrote and
    nobody has worked on yet: what a stopped import (or one run with --no-rules) left. `import`
    and `serve` do this too."""
    from childfirst.rules.service import evaluate_store

    db = Database(database)
    if pending:
        if not _finish_pending(db):
            console.print("Nothing is waiting to be matched or judged.")
        return
    _match_pending(db)  # the rules read people as the index places them
    with _progress() as progress:
        result = evaluate_store(db, progress=progress)
    _print_evaluation(result)


@app.command()
def waits(
    days: Annotated[
        int,
        typer.Option(min=1, help="Judge the waits that ran out in this many days up to now."),
    ] = 7,
    database: DatabaseOption = None,
) -> None:
    """Judge the rules that wait for something to follow an event (a child's referral to social
    care after a parent's arrest) whose waits have run out. Run it on a schedule, every hour say:
    judging a wait twice adds nothing."""
    from datetime import timedelta

    from childfirst.domain.clock import utcnow
    from childfirst.rules.service import judge_waits

    db = Database(database)
    now = utcnow()
    with _progress() as progress:
        result = judge_waits(db, now - timedelta(days=days), now, progress=progress)
    console.print(
        f"Waits after {result.events:,} events of the last {days} days checked in "
        f"{result.seconds:.1f} s: {result.raised:,} concerns raised, {result.grown:,} given new "
        "evidence"
    )


@app.command()
def synth(
    out: Annotated[
        Path, typer.Option(help="Folder for the records and, kept apart, the ground truth.")
    ] = Path("var/synth"),
    people: Annotated[int, typer.Option(min=100, help="People living in the area.")] = 5000,
    years: Annotated[int, typer.Option(min=1, max=30, help="Years of history.")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same area.")] = 1,
) -> None:
    """Generate a synthetic force area: records from five sources, and its ground truth apart."""
    from childfirst.synth import SynthConfig, generate

    with _progress() as progress:
        result = generate(
            SynthConfig(people=people, years=years, seed=seed),
            out,
            progress=lambda done, total: progress("generating", done, total),
        )
    console.print(
        f"Generated {result.people:,} people in {result.households:,} households, "
        f"{result.events:,} events, {result.trajectories} harm trajectories and "
        f"{result.decoys} look-alike decoys in {result.seconds:.1f} s"
    )
    for agency, n in sorted(result.source_records.items()):
        console.print(f"  {agency:<22} {n:>9,} records")
    truth = result.truth_files[0].parent if result.truth_files else None
    console.print(f"Records: {out / 'records'}   Ground truth (not for the engines): {truth}")


@app.command()
def score(
    truth: Annotated[Path, typer.Option(help="The synthetic area's ground-truth folder.")] = Path(
        "var/synth/truth"
    ),
    database: DatabaseOption = None,
) -> None:
    """Score the rules on a synthetic area: cumulative engine against incident by incident."""
    from childfirst.evaluation.score import render
    from childfirst.evaluation.score import score as run_score

    console.print(render(run_score(Database(database), truth)), markup=False, soft_wrap=True)


@app.command()
def summary(database: DatabaseOption = None) -> None:
    """Show what the store holds."""
    from childfirst.store.summary import summarise

    db = Database(database)
    with db.session() as session:
        result = summarise(session)
    table = Table(title=f"childfirst store ({db.dialect})")
    table.add_column("records")
    table.add_column("count", justify="right")
    for label, n in result.counts.items():
        table.add_row(label, f"{n:,}")
    console.print(table)
    agencies = Table(title="Records by source agency")
    agencies.add_column("agency")
    agencies.add_column("records", justify="right")
    for agency, n in result.records_by_agency.items():
        agencies.add_row(agency, f"{n:,}")
    console.print(agencies)
    events = Table(title=f"Events {result.first_event} to {result.last_event}")
    events.add_column("type")
    events.add_column("events", justify="right")
    for event_type, n in result.events_by_type.items():
        events.add_row(event_type, f"{n:,}")
    console.print(events)


@app.command()
def demo(
    people: Annotated[int, typer.Option(min=100)] = 5000,
    years: Annotated[int, typer.Option(min=1, max=30)] = 5,
    seed: int = 1,
    database: DatabaseOption = None,
) -> None:
    """Generate a synthetic force area, import it, link its people, judge it, and show it."""
    out = Path("var/synth")
    synth(out=out, people=people, years=years, seed=seed)
    import_command(files=sorted((out / "records").glob("*.jsonl")), database=database, judge=False)
    link(database=database)
    evaluate(database=database)
    summary(database=database)


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@app.command()
def serve(
    database: DatabaseOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    development: Annotated[
        bool | None,
        typer.Option(
            "--development/--production",
            help="Development mode: plain HTTP cookies, no HSTS, demo accounts with fixed "
            "passwords. Production never creates, resets or shows a demo account. Neither given: "
            "as $CHILDFIRST_DEVELOPMENT says, else production.",
            show_default=False,
        ),
    ] = None,
    waits_every: Annotated[
        int,
        typer.Option(
            min=0,
            help="Minutes between judging the rules' waits that have run out (0: leave it to "
            "`childfirst waits` on the force's own scheduler).",
        ),
    ] = 60,
) -> None:
    """Serve the web application. In development, with a demo account for each role printed at
    start-up; in production, with the accounts made by `childfirst accounts create`."""
    from datetime import timedelta

    import uvicorn

    from childfirst.audit.verify import key_problem
    from childfirst.rules.schedule import WaitSchedule
    from childfirst.web import Settings, create_app
    from childfirst.web.accounts import disable_demo_accounts, start_up_warnings
    from childfirst.web.demo import ensure_demo_accounts

    settings = Settings.from_environment(database=database, development=development)
    if settings.development and host not in LOOPBACK:
        errors.print(
            "error: development mode signs in demo accounts whose passwords are published; it "
            "listens on this machine only (--host 127.0.0.1). Use --production to serve others.",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    db = Database(settings.database_url)
    problem = key_problem(db)
    if problem is not None:
        errors.print(f"error: {problem}", markup=False, soft_wrap=True)
        raise typer.Exit(2)
    if settings.development:
        console.print("Demo accounts, one per role (username / password):")
        for username, password, role in ensure_demo_accounts(db, deterministic=True):
            line = f"  {role.label:<22} {username} / {password}"
            console.print(line, markup=False, soft_wrap=True)
    else:
        disabled = disable_demo_accounts(db, f"{getpass.getuser()} (serve)")
        if disabled:
            errors.print(
                f"Demo accounts disabled (their passwords are published): {', '.join(disabled)}",
                markup=False,
                soft_wrap=True,
            )
        for warning in start_up_warnings(db):
            errors.print(f"warning: {warning}", markup=False, soft_wrap=True)
    _finish_pending(db)  # what a stopped import or request left undone, before serving
    console.print(f"childfirst is at http://{host}:{port}/")
    schedule = None
    if waits_every:
        schedule = WaitSchedule(db, timedelta(minutes=waits_every))
        schedule.start()
        console.print(f"The rules' waits are judged every {waits_every} minutes.")
    try:
        uvicorn.run(create_app(settings, db), host=host, port=port, log_level="warning")
    finally:
        if schedule is not None:
            schedule.stop()


audit = typer.Typer(help="The append-only audit log of views and changes.", no_args_is_help=True)
app.add_typer(audit, name="audit")
app.add_typer(protection_cli.app, name="protection")
app.add_typer(accounts_cli.app, name="accounts")


@audit.command("verify")
def audit_verify(
    database: DatabaseOption = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="A checkpoint exported earlier (audit checkpoint --export), checked as well.",
        ),
    ] = None,
    development: Annotated[
        bool,
        typer.Option(
            "--development",
            help="Accept a log sealed with the development audit key (a development store).",
        ),
    ] = False,
) -> None:
    """Check that no audit entry has been edited, deleted or cut from the end (exit status 1 if
    any has), against the log's signed head, its latest stored checkpoint and the one given.

    Needs the audit key the log was written with (CHILDFIRST_AUDIT_KEY or _FILE)."""
    from childfirst.audit.checkpoints import read_checkpoint
    from childfirst.audit.keys import current_key
    from childfirst.audit.verify import verify_database

    given = read_checkpoint(checkpoint) if checkpoint is not None else None
    problems = verify_database(Database(database), given)
    for problem in problems:
        errors.print(problem, markup=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    if current_key().is_development and not development:
        errors.print(
            "The log was checked with the development audit key, whose text is published: "
            "anyone could have rewritten it, so this proves nothing. Set CHILDFIRST_AUDIT_KEY "
            "(or CHILDFIRST_AUDIT_KEY_FILE) to the force's key, or pass --development for a "
            "development store.",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)
    console.print("The audit log is intact.")


@audit.command("checkpoint")
def audit_checkpoint(
    database: DatabaseOption = None,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export", help="Also write the checkpoint to this JSON file, to keep apart."
        ),
    ] = None,
) -> None:
    """Sign where the audit log now ends and store it (one is also stored every 500 entries);
    run it on a schedule and keep the exported files away from the database."""
    from childfirst.audit.checkpoints import checkpoint_database

    found = checkpoint_database(Database(database), export)
    console.print(f"Checkpoint at entry {found.seq}, {found.at:%Y-%m-%d %H:%M:%S} UTC.")
    if export is not None:
        console.print(f"Exported to {export}.", markup=False)


@audit.command("grants")
def audit_grants(
    role: Annotated[str, typer.Argument(help="The PostgreSQL role the application connects as.")],
) -> None:
    """Print the PostgreSQL grants under which ROLE can use childfirst but cannot change or delete
    an audit entry (run them as the tables' owner after each upgrade)."""
    from childfirst.audit.grants import grant_script

    sys.stdout.write(grant_script(role))


@app.command()
def docs(
    check: Annotated[bool, typer.Option(help="Fail if a generated document is stale.")] = False,
) -> None:
    """Regenerate the generated documents under docs/ (or check them with --check)."""
    from childfirst.docs import generated

    stale = []
    for path, text in generated().items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            console.print(f"wrote {path}")
    if stale:
        errors.print("Stale: " + ", ".join(map(str, stale)) + " (run `childfirst docs`)")
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except ImportValidationError as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(2)
    except ChildfirstError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(1)
