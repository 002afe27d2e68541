"""Rules engine: batch re-evaluation throughput and the latency of judging one new event.

Batch: every event of a synthetic area re-evaluated from the store (load, judge, record), against
the floor of a plain scan of the same events by the same database. Online: one event at a time,
loaded with its neighbourhood from the store, judged and recorded, as happens on import.
The batch run judges the store part by part in worker processes (``rules/batch.py``); peak memory
is the largest resident size of the bench process and of any worker.

CHILDFIRST_BENCH_RULES_PEOPLE and CHILDFIRST_BENCH_RULES_YEARS size the area (defaults: 100,000
people over 5 years, about 390,000 events; 2,600,000 people over 5 years gives about 10 million);
CHILDFIRST_BENCH_RULES_RUNS sets the batch runs (default 2; 1 evaluates the store without a copy).
CHILDFIRST_BENCH_RULES_STORE names an SQLite store already imported, judged once in place instead;
``python -m bench.bench_rules build PATH`` builds one (10 million events: with 2,600,000 people, about
20 minutes to generate and over an hour to import here).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import select

from childfirst.ingest.importer import import_files
from childfirst.rules.batch import workers
from childfirst.rules.concerns import record
from childfirst.rules.loader import load_around
from childfirst.rules.service import default_engine
from childfirst.store.database import Database
from childfirst.store.models import Event

PEOPLE = int(os.environ.get("CHILDFIRST_BENCH_RULES_PEOPLE", "100000"))
YEARS = int(os.environ.get("CHILDFIRST_BENCH_RULES_YEARS", "5"))
RUNS = int(os.environ.get("CHILDFIRST_BENCH_RULES_RUNS", "2"))
# An SQLite store already imported (for example, 10 million events built once): judged in place.
STORE = os.environ.get("CHILDFIRST_BENCH_RULES_STORE", "")
# Records per import batch while building a store; a larger batch writes the (hash-keyed) index
# pages fewer times, at the cost of the batch's memory (about 5 GiB per million records).
BATCH_LINES = int(os.environ.get("CHILDFIRST_BENCH_RULES_BATCH", "250000"))
ONLINE_SAMPLES = 300


def _import_in_batches(db: Database, sources: list[Path], root: Path) -> None:
    """Import each source in batches of BATCH_LINES records, so the import's memory stays flat.
    A source lists places, people and relationships before the events that refer to them, and a
    later batch finds what it refers to in the store."""
    for source in sources:
        with source.open("rb") as lines:
            for number in itertools.count():
                batch = list(itertools.islice(lines, BATCH_LINES))
                if not batch:
                    break
                part = root / f"{source.stem}.{number:04d}.jsonl"
                part.write_bytes(b"".join(batch))
                summary = import_files(db, [part])
                part.unlink()
                print(
                    f"  imported {source.name} part {number}: {summary.records:,} records in "
                    f"{summary.seconds:,.0f} s",
                    flush=True,
                )


def _tree(pid: int) -> list[int]:
    """The process and all its descendants, as /proc lists them now."""
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found.extend(_tree(int(child)))
    except OSError:
        pass  # the process ended meanwhile
    return found


def _high_water_mib(pid: int) -> int:
    """The most memory the process has held resident since it started its program (VmHWM).
    Unlike the rusage figure, it leaves out the image of the bench process it was forked from."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _evaluate_apart(
    url: str, processes: int | None = None
) -> tuple[tuple[float, int, int], tuple[int, int]]:
    """``evaluate_store`` in a fresh process (with ``processes`` workers, else the default):
    ((seconds, concerns raised, events judged), (the largest peak resident size of that process
    or one of its workers, the sum of their peaks) in MiB), read from /proc while it runs."""
    code = (
        "import json, sys\n"
        "from childfirst.rules.service import evaluate_store\n"
        "from childfirst.store.database import Database\n"
        "r = evaluate_store(Database(sys.argv[1], migrate=False))\n"
        "print(json.dumps([r.seconds, r.raised, r.events]))\n"
    )
    env = dict(os.environ)
    if processes is not None:
        env["CHILDFIRST_WORKERS"] = str(processes)
    child = subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE, env=env)
    assert child.stdout is not None
    peaks: dict[int, int] = {}

    def watch() -> None:
        while child.poll() is None:
            for pid in _tree(child.pid):
                peaks[pid] = max(peaks.get(pid, 0), _high_water_mib(pid))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out = child.stdout.read()
    child.wait()
    watcher.join()
    if child.returncode != 0:
        raise SystemExit(f"the batch evaluation failed with exit code {child.returncode}")
    seconds, raised, judged = json.loads(out)
    return (float(seconds), int(raised), int(judged)), (max(peaks.values()), sum(peaks.values()))


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


def build_store(path: Path, people: int, work: Path) -> None:
    """Generate a synthetic area of ``people`` (seed 3) in ``work`` and import it into a new
    SQLite store at ``path``, in batches, without judging it."""
    from childfirst.synth import SynthConfig, generate

    generate(SynthConfig(people=people, years=YEARS, seed=3), work / "area")
    import_area(path, work / "area", work)
    shutil.rmtree(work / "area")


def import_area(path: Path, area: Path, work: Path) -> None:
    """Import the records of a generated area into a new SQLite store at ``path``, in batches."""
    db = Database(f"sqlite:///{path}")
    _import_in_batches(db, sorted((area / "records").glob("*.jsonl")), work)
    db.dispose()


def main(*, quick: bool = False) -> None:
    people = PEOPLE // 10 if quick else PEOPLE
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        runs_wanted = RUNS
        if STORE:
            loaded = Path(STORE)
            runs_wanted = 1
            print(f"\n== Rules engine (the store at {loaded.name}, judged in place) ==")
        else:
            print(f"\n== Rules engine (synthetic area: {people:,} people, {YEARS} years) ==")
            loaded = root / "loaded.db"
            build_store(loaded, people, root)
        connection = sqlite3.connect(loaded)
        events = connection.execute("select count(*) from events").fetchone()[0]
        connection.close()

        runs, scans, peaks = [], [], []
        for run in range(runs_wanted):
            path = root / f"batch{run}.db"
            if STORE:
                path = loaded  # a prepared store, often too large to copy: judged where it is
            elif runs_wanted == 1:
                loaded.rename(path)  # one run of a large store: no copy, disk is the limit
            else:
                shutil.copy(loaded, path)
            (seconds, raised, judged), peak = _evaluate_apart(f"sqlite:///{path}")
            runs.append(seconds)
            peaks.append(peak)
            scans.append(_plain_scan(path))
        alone = None
        if not STORE and runs_wanted > 1:  # how the work scales: the same store, one worker
            path = root / "alone.db"
            shutil.copy(loaded, path)
            (alone, _, _), _ = _evaluate_apart(f"sqlite:///{path}", processes=1)
            path.unlink()
        seconds, scan = statistics.median(runs), statistics.median(scans)
        print(
            f"  batch: {events:,} events ({judged:,} touching someone) in {seconds:.1f} s -> "
            f"{events / seconds:,.0f} events/s (target 50,000) with {workers()} worker processes; "
            f"{raised:,} concerns"
        )
        if alone is not None:
            print(
                f"  the same with one worker process: {alone:.1f} s -> {events / alone:,.0f} "
                f"events/s; {workers()} workers are {alone / seconds:.2f}x as fast"
            )
        print(
            f"  plain scan of the same events and links: {scan:.2f} s -> "
            f"{events / scan:,.0f} events/s; the evaluation takes {seconds / scan:.0f}x the scan"
        )
        print(
            f"  peak memory of the evaluation: {max(p[0] for p in peaks):,} MiB in its largest "
            f"process, at most {max(p[1] for p in peaks):,} MiB for the process and its workers "
            "together (the sum of their peaks; target under 8 GiB at 10M events)"
        )

        online = Database(f"sqlite:///{path if STORE else root / 'batch0.db'}", migrate=False)
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


if __name__ == "__main__":
    # python -m bench.bench_rules build PATH: build a store once (with the CHILDFIRST_BENCH_RULES_
    # PEOPLE and _YEARS above) for CHILDFIRST_BENCH_RULES_STORE; python -m bench.bench_rules import
    # PATH AREA: the same from an area already generated in AREA; with no arguments, run the bench.
    if sys.argv[1:2] in (["build"], ["import"]) and len(sys.argv) == 3 + (sys.argv[1] == "import"):
        target = Path(sys.argv[2]).resolve()
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            started = time.perf_counter()
            if sys.argv[1] == "build":
                build_store(target, PEOPLE, Path(work))
            else:
                import_area(target, Path(sys.argv[3]), Path(work))
            print(f"built {target.name} in {time.perf_counter() - started:,.0f} s")
    else:
        main()
