"""Import throughput into SQLite (target: at least 20,000 events per second), and PostgreSQL.

The data is a synthetic force area, split as a force would send it: first its people, places,
objects and relationships, then the event feed. Three figures, each the median of several runs:

- the event feed imported into a store that already holds the people and places it refers to
  (the figure the target is about);
- the whole area imported at once into an empty store;
- the same files imported again (nothing changes; every record is checked).

The baseline is the same event and link rows written by bare ``executemany`` into an identical
empty SQLite schema, with no reading or validation: what this machine's SQLite costs today.
"""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from childfirst.ingest.importer import ImportSummary, import_files
from childfirst.store.database import Database

PEOPLE = 60_000
YEARS = 5
RUNS = 3
POSTGRES_URL = os.environ.get(
    "CHILDFIRST_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _area(root: Path, people: int) -> tuple[list[Path], list[Path]]:
    """Generate an area and split each source's file into (people and places, events)."""
    from childfirst.synth import SynthConfig, generate

    generate(SynthConfig(people=people, years=YEARS, seed=7), root)
    bases, feeds = [], []
    for path in sorted((root / "records").glob("*.jsonl")):
        lines = path.read_bytes().splitlines(keepends=True)
        base = root / f"{path.stem}.base.jsonl"
        feed = root / f"{path.stem}.events.jsonl"
        base.write_bytes(b"".join(x for x in lines if b'"kind":"event"' not in x))
        feed.write_bytes(b"".join(x for x in lines if b'"kind":"event"' in x))
        bases.append(base)
        feeds.append(feed)
    return bases, feeds


def _timed(url: str, files: list[Path]) -> ImportSummary:
    db = Database(url, migrate=False)
    gc.collect()
    try:
        return import_files(db, files)
    finally:
        db.dispose()


def _bare_insert(filled: Path, empty: Path, work: Path) -> float:
    """Seconds to write the event and link rows of ``filled`` into a copy of ``empty``."""
    source = sqlite3.connect(filled)
    events = source.execute("select * from events").fetchall()
    links = source.execute("select * from event_links").fetchall()
    source.close()
    shutil.copy(empty, work)
    target = sqlite3.connect(work, isolation_level=None)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    target.execute("PRAGMA foreign_keys=OFF")  # the people and places are not copied
    started = time.perf_counter()
    target.execute("BEGIN IMMEDIATE")
    target.executemany(f"insert into events values ({','.join('?' * len(events[0]))})", events)
    target.executemany(f"insert into event_links values ({','.join('?' * len(links[0]))})", links)
    target.execute("COMMIT")
    seconds = time.perf_counter() - started
    target.close()
    return seconds


def _postgres(bases: list[Path], feeds: list[Path]) -> tuple[float, int] | None:
    name = f"childfirst_bench_{os.getpid()}"
    try:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: say so and carry on
        print(f"  PostgreSQL: not measured ({type(exc).__name__})")
        return None
    try:
        url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
        Database(url).dispose()
        _timed(url, bases)
        feed = _timed(url, feeds)
        return feed.seconds, feed.total_created
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(*, quick: bool = False) -> None:
    people = PEOPLE // 10 if quick else PEOPLE
    print(f"\n== Import throughput (synthetic area: {people:,} people, {YEARS} years) ==")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        bases, feeds = _area(root / "area", people)
        empty = root / "empty.db"
        Database(f"sqlite:///{empty}").dispose()
        with_base = root / "with-base.db"
        shutil.copy(empty, with_base)
        _timed(f"sqlite:///{with_base}", bases)

        feed_runs, whole_runs, again_runs, bare_runs = [], [], [], []
        events = records = 0
        for run in range(RUNS):
            path = root / f"feed{run}.db"
            shutil.copy(with_base, path)
            feed = _timed(f"sqlite:///{path}", feeds)
            events = feed.total_created
            feed_runs.append(feed.seconds)
            bare_runs.append(_bare_insert(path, empty, root / "bare.db"))
            whole = root / f"whole{run}.db"
            shutil.copy(empty, whole)
            first = _timed(f"sqlite:///{whole}", bases + feeds)
            records = first.total_created
            whole_runs.append(first.seconds)
            again = _timed(f"sqlite:///{whole}", bases + feeds)
            if again.total_created or again.total_changed:
                raise RuntimeError("re-importing the same files changed the store")
            again_runs.append(again.seconds)

        feed_s, whole_s = statistics.median(feed_runs), statistics.median(whole_runs)
        again_s, bare_s = statistics.median(again_runs), statistics.median(bare_runs)
        print(f"  area: {records:,} records, of which {events:,} events; medians of {RUNS} runs")
        print(
            f"  event feed into a store holding the area's people and places: {feed_s:.2f} s "
            f"-> {events / feed_s:,.0f} events/s (target 20,000)"
        )
        print(
            f"  baseline, bare inserts of the same event and link rows: {bare_s:.2f} s "
            f"-> {events / bare_s:,.0f} events/s; the import takes {feed_s / bare_s:.1f}x as long"
        )
        print(
            f"  whole area into an empty store: {whole_s:.2f} s -> {records / whole_s:,.0f} "
            f"records/s ({events / whole_s:,.0f} events/s)"
        )
        print(
            f"  the same files again (all unchanged): {again_s:.2f} s -> "
            f"{records / again_s:,.0f} records/s checked"
        )
        pg = _postgres(bases, feeds)
        if pg is not None:
            seconds, created = pg
            print(
                f"  PostgreSQL event feed: {seconds:.2f} s -> {created / seconds:,.0f} events/s "
                "(one run)"
            )
