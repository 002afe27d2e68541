"""Rules engine: batch re-evaluation throughput and the latency of judging one new event.

Batch: every event of a synthetic area re-evaluated from the store (load, judge, record), against
the floor of a plain scan of the same events by the same database. Online: one event at a time,
loaded with its neighbourhood from the store, judged and recorded, as happens on import.
Peak memory is the process's maximum resident size.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from childfirst.ingest.importer import import_files
from childfirst.rules.concerns import record
from childfirst.rules.loader import load_around
from childfirst.rules.service import default_engine, evaluate_store
from childfirst.store.database import Database
from childfirst.store.models import Event

PEOPLE = int(os.environ.get("CHILDFIRST_BENCH_RULES_PEOPLE", "100000"))
YEARS = 5
ONLINE_SAMPLES = 300


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _plain_scan(path: Path) -> float:
    connection = sqlite3.connect(path)
    started = time.perf_counter()
    rows = connection.execute(
        "select e.*, l.role, l.person_id from events e left join event_links l on l.event_id = e.id"
    )
    sum(1 for _ in rows)
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def main(*, quick: bool = False) -> None:
    from childfirst.synth import SynthConfig, generate

    people = PEOPLE // 10 if quick else PEOPLE
    print(f"\n== Rules engine (synthetic area: {people:,} people, {YEARS} years) ==")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(SynthConfig(people=people, years=YEARS, seed=3), root / "area")
        loaded = root / "loaded.db"
        db = Database(f"sqlite:///{loaded}")
        import_files(db, sorted((root / "area" / "records").glob("*.jsonl")))
        with db.session() as session:
            events = len(session.scalars(select(Event.id)).all())
        db.dispose()

        runs, scans = [], []
        before = _peak_mib()
        for run in range(2):
            path = root / f"batch{run}.db"
            shutil.copy(loaded, path)
            batch = Database(f"sqlite:///{path}", migrate=False)
            result = evaluate_store(batch)
            batch.dispose()
            runs.append(result.seconds)
            scans.append(_plain_scan(path))
        seconds, scan = statistics.median(runs), statistics.median(scans)
        print(
            f"  batch: {events:,} events in {seconds:.1f} s -> {events / seconds:,.0f} events/s "
            f"(target 50,000); {result.raised:,} concerns"
        )
        print(
            f"  plain scan of the same events and links: {scan:.2f} s -> "
            f"{events / scan:,.0f} events/s; the evaluation takes {seconds / scan:.0f}x the scan"
        )
        print(
            f"  peak memory: {max(before, _peak_mib()):,.0f} MiB (target under 8 GiB at 10M events)"
        )

        online = Database(f"sqlite:///{root / 'batch0.db'}", migrate=False)
        engine = default_engine()
        with online.session() as session:
            ids = session.scalars(
                select(Event.id)
                .where(
                    Event.event_type.in_(
                        ["domestic_abuse", "missing_reported", "custody_detention", "arrest"]
                    )
                )
                .order_by(Event.occurred_at.desc())
                .limit(ONLINE_SAMPLES)
            ).all()
        latencies = []
        for event_id in ids:
            started = time.perf_counter()
            with online.session(write=True) as session:
                history = load_around(session, [event_id])
                record(session, list(engine.judge(history, history.events[event_id])))
            latencies.append((time.perf_counter() - started) * 1000)
        online.dispose()
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(
            f"  online: one new event judged against a store of {events:,} events: median "
            f"{statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms over {len(latencies)} "
            "events (target p95 under 50 ms at 10M events)"
        )
