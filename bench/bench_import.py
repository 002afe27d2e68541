"""Import throughput: events per second into SQLite (target: at least 20,000), and into PostgreSQL.

The data is a synthetic force area. The baseline is the same event and link rows written straight
into an identical SQLite schema with no parsing or validation: the floor this machine sets today.
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

from childfirst.ingest.importer import import_files
from childfirst.store.database import Database

PEOPLE = 60_000
YEARS = 5
RUNS = 3
POSTGRES_URL = os.environ.get(
    "CHILDFIRST_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _area(root: Path, people: int) -> tuple[list[Path], int]:
    from childfirst.synth import SynthConfig, generate

    summary = generate(SynthConfig(people=people, years=YEARS, seed=7), root)
    return sorted((root / "records").glob("*.jsonl")), summary.events


def _baseline(db_path: Path, template: Path) -> float:
    """Seconds to copy the imported event and link rows into an empty copy of the schema."""
    source = sqlite3.connect(db_path)
    events = source.execute("select * from events").fetchall()
    links = source.execute("select * from event_links").fetchall()
    source.close()
    target_path = db_path.with_name("baseline.db")
    shutil.copy(template, target_path)
    target = sqlite3.connect(target_path, isolation_level=None)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    target.execute("PRAGMA foreign_keys=OFF")  # the locations and people are not copied
    started = time.perf_counter()
    target.execute("BEGIN IMMEDIATE")
    target.executemany(f"insert into events values ({','.join('?' * len(events[0]))})", events)
    target.executemany(f"insert into event_links values ({','.join('?' * len(links[0]))})", links)
    target.execute("COMMIT")
    seconds = time.perf_counter() - started
    target.close()
    return seconds


def _postgres(files: list[Path]) -> float | None:
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
        db = Database(url)
        seconds = import_files(db, files).seconds
        db.dispose()
        return seconds
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(*, quick: bool = False) -> None:
    people = PEOPLE // 10 if quick else PEOPLE
    print(f"\n== Import throughput (synthetic area: {people:,} people, {YEARS} years) ==")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files, events = _area(root / "area", people)
        records = sum(1 for f in files for _ in f.open("rb"))
        template = root / "template.db"
        Database(f"sqlite:///{template}").dispose()
        imports: list[float] = []
        baselines: list[float] = []
        for run in range(RUNS):
            path = root / f"run{run}.db"
            shutil.copy(template, path)
            db = Database(f"sqlite:///{path}", migrate=False)
            gc.collect()
            imports.append(import_files(db, files).seconds)
            db.dispose()
            baselines.append(_baseline(path, template))
            again = Database(f"sqlite:///{path}", migrate=False)
            reimport = import_files(again, files)
            again.dispose()
            assert reimport.total_created == 0 and reimport.total_changed == 0
        seconds = statistics.median(imports)
        base = statistics.median(baselines)
        print(f"  records: {records:,} in {len(files)} files, of which events: {events:,}")
        print(
            f"  SQLite import: median {seconds:.2f} s over {RUNS} runs "
            f"-> {events / seconds:,.0f} events/s ({records / seconds:,.0f} records/s); "
            f"target 20,000 events/s"
        )
        print(
            f"  baseline (bare inserts of the same event and link rows): median {base:.2f} s "
            f"-> import takes {seconds / base:.1f}x the bare insert time"
        )
        pg = _postgres(files)
        if pg is not None:
            print(f"  PostgreSQL import: {pg:.2f} s -> {events / pg:,.0f} events/s (one run)")
