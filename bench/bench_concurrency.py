"""Fifty officers recording at once: 50 clients post domestic abuse incidents through the API for
60 seconds, on SQLite and on PostgreSQL, and every write the server acknowledged must be in the
store afterwards, exactly once. Target: no error, no acknowledged write missing.

The application is served by Uvicorn in its own process on a free loopback port, over a fresh
store (a SQLite file in WAL mode; a PostgreSQL database created for the run and dropped first)
holding a hundred households of a mother, her partner and her child. Each client signs in as the
demo response officer with its own session and CSRF token, then posts, as fast as the answers
come back, a new incident (its own source id) at a household drawn at random: the mother the
victim, the partner the suspect, the child present. Every incident goes the whole way: the guard,
validation, the all-or-nothing write, the rules judging the child's history, the audit entry.

A 201 naming the event is an acknowledged write; anything else (another status, a connection
error or a timeout) is an error. Afterwards the store is read directly: each acknowledged event
must be there once, at version 1, with its three links ("missing" counts those that are not);
"unacked" counts the benchmark's events in the store that were never acknowledged (a request that
failed after its write). ``CHILDFIRST_BENCH_CONCURRENCY_SECONDS`` sets the duration (60; 10 with
``--quick``), ``CHILDFIRST_BENCH_POSTGRES_URL`` the server's maintenance database
(``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); without a PostgreSQL server that half
is skipped with a message.

Then, against the same server and store, people race each other (``bench_races``): two sessions
complete, assign or close the same thing at the same moment, twenty pairs of each, while five more
clients record incidents; every race must have one winner at most and the other told 409, with no
error, no lost update and no acknowledged change missing from the store.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import re
import socket
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench import bench_races
from childfirst.domain.roles import Role
from childfirst.ingest.recording import record_batch
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Event, EventLink
from childfirst.web.auth import CSRF_HEADER
from childfirst.web.demo import DEMO_FORCE, demo_username, ensure_demo_accounts

CLIENTS = 50
RACE_RECORDERS = 5  # clients recording incidents while people race
HOUSEHOLDS = 100
AGENCY = DEMO_FORCE  # the force the demo accounts record for
SOURCE = {"agency": AGENCY, "agency_kind": "police", "system": "niche"}
SECRET = "bench-concurrency-secret-key-not-for-use-anywhere"
POSTGRES = os.environ.get(
    "CHILDFIRST_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_DATABASE = "childfirst_bench_concurrency"
REQUEST_TIMEOUT = 120.0
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
FIRST = datetime(2024, 1, 1, 18, 0)


def _source(sid: str) -> dict[str, str]:
    return {**SOURCE, "id": sid}


def _households() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for h in range(HOUSEHOLDS):
        home = [{"location": f"L{h}", "from_date": "2016-01-01"}]
        records.append(
            {
                "kind": "location",
                "source": _source(f"L{h}"),
                "address": f"{h + 1} Bench Street, Northmoor",
                "postcode": f"NM{h % 9 + 1} {h % 10}BX",
                "force_area": "northmoor",
                "jurisdiction": "england_and_wales",
            }
        )
        for sid, given, born, sex in (
            (f"M{h}", "Dawn", "1987-03-14", "female"),
            (f"D{h}", "Lee", "1984-11-02", "male"),
            (f"C{h}", "Ruby", f"2016-0{h % 9 + 1}-12", "female"),
        ):
            records.append(
                {
                    "kind": "person",
                    "source": _source(sid),
                    "name": {"given_name": given, "family_name": f"Bench{h}"},
                    "date_of_birth": born,
                    "sex": sex,
                    "addresses": home,
                }
            )
        for sid, person, other, kind in (
            (f"RP{h}", f"M{h}", f"C{h}", "parent"),
            (f"RQ{h}", f"D{h}", f"M{h}", "partner"),
        ):
            records.append(
                {
                    "kind": "relationship",
                    "source": _source(sid),
                    "person": person,
                    "other": other,
                    "relationship_type": kind,
                }
            )
    return records


def _incident(sid: str, household: int, rng: random.Random) -> dict[str, Any]:
    occurred = FIRST + timedelta(minutes=rng.randrange(600 * 24 * 60))
    return {
        "source": _source(sid),
        "event_type": "domestic_abuse",
        "occurred_at": occurred.isoformat(),
        "location": f"L{household}",
        "reference": f"NM/BC/{sid}",
        "summary": "Neighbours heard shouting; officers attended and spoke to the mother.",
        "details": {"children_present": True},
        "links": [
            {"role": "victim", "person": f"M{household}"},
            {"role": "suspect", "person": f"D{household}"},
            {"role": "present", "person": f"C{household}"},
        ],
    }


def _serve(url: str, port: int) -> None:
    """The application over the store at ``url``, served on ``port`` until terminated."""
    import uvicorn

    from childfirst.web.app import create_app
    from childfirst.web.settings import Settings

    settings = Settings(database_url=url, secret_key=SECRET, development=True)
    app = create_app(settings, Database(url, migrate=False))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _server(url: str) -> Iterator[str]:
    port = _free_port()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(url, port), name="bench-concurrency-server", daemon=True
    )
    process.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(f"{base}/sign-in", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if not process.is_alive() or time.monotonic() > deadline:
                raise SystemExit(f"the benchmark server on port {port} did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.join(30)
        if process.is_alive():
            process.kill()
            process.join()


@dataclass
class Tally:
    acknowledged: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {detail[:300]}")


async def _sign_in(
    http: httpx.AsyncClient, password: str, username: str = demo_username(Role.RESPONSE_OFFICER)
) -> str:
    """Sign ``http`` in (as the demo response officer unless told); returns the session's CSRF
    token."""
    form = CSRF_INPUT.search((await http.get("/sign-in")).text)
    assert form is not None
    signed = await http.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": form.group(1)},
    )
    if signed.status_code != 303:
        raise SystemExit(f"signing in failed with {signed.status_code}")
    page = CSRF_INPUT.search((await http.get("/catalogue")).text)
    assert page is not None
    return page.group(1)


async def _record(
    number: int, http: httpx.AsyncClient, csrf: str, stop_at: float, tally: Tally
) -> None:
    rng = random.Random(number)
    count = 0
    while time.monotonic() < stop_at:
        sid = f"BC{number:02d}-{count:06d}"
        count += 1
        expected = record_id("event", AGENCY, "niche", sid)
        body = _incident(sid, rng.randrange(HOUSEHOLDS), rng)
        started = time.perf_counter()
        try:
            answer = await http.post("/api/v1/events", json=body, headers={CSRF_HEADER: csrf})
        except httpx.HTTPError as exc:
            tally.error(type(exc).__name__, f"request {count} of client {number}: {exc!r}")
            await asyncio.sleep(0.1)
            continue
        tally.latencies.append((time.perf_counter() - started) * 1000)
        if answer.status_code == 201 and answer.json().get("events") == [expected]:
            tally.acknowledged.append(expected)
        else:
            tally.error(str(answer.status_code), answer.text)


async def _signed_in(base: str, password: str) -> tuple[httpx.Cookies, str]:
    """A new session of the demo response officer: its cookies and its CSRF token."""
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT) as http:
        csrf = await _sign_in(http, password)
        return http.cookies, csrf


async def _load(base: str, password: str, seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    sessions = [await _signed_in(base, password) for _ in range(CLIENTS)]
    # Each client records over a connection of its own opened now: one left idle while the
    # others signed in could be closed by the server (after 5 s) just as the client reused it.
    clients = [
        httpx.AsyncClient(
            base_url=base,
            cookies=cookies,
            timeout=REQUEST_TIMEOUT,
            limits=httpx.Limits(max_connections=1),
        )
        for cookies, _ in sessions
    ]
    try:
        started = time.monotonic()
        stop_at = started + seconds
        await asyncio.gather(
            *(
                _record(n, http, csrf, stop_at, tally)
                for n, (http, (_, csrf)) in enumerate(zip(clients, sessions, strict=True))
            )
        )
        elapsed = time.monotonic() - started
    finally:
        for http in clients:
            await http.aclose()
    return tally, elapsed


def _missing(db: Database, acknowledged: Sequence[str]) -> tuple[int, int]:
    """Acknowledged events not in the store exactly once (at version 1, with their three links),
    and the benchmark's events in the store that were never acknowledged."""
    wrong = 0
    for start in range(0, len(acknowledged), 500):
        chunk = acknowledged[start : start + 500]
        with db.session() as session:
            versions = dict(
                session.execute(select(Event.id, Event.version).where(Event.id.in_(chunk))).all()
            )
            links = dict(
                session.execute(
                    select(EventLink.event_id, func.count())
                    .where(EventLink.event_id.in_(chunk))
                    .group_by(EventLink.event_id)
                ).all()
            )
        wrong += sum(1 for e in chunk if versions.get(e) != 1 or links.get(e) != 3)
    with db.session() as session:
        stored = session.scalar(
            select(func.count()).select_from(Event).where(Event.reference.like("NM/BC/%"))
        )
    return wrong + len(acknowledged) - len(set(acknowledged)), int(stored or 0) - len(
        set(acknowledged)
    )


async def _race(
    base: str, db: Database, passwords: dict[Role, str], tally: Tally
) -> bench_races.Result:
    """The races of ``bench_races``, while a few more clients record incidents into ``tally``."""

    async def recording(stop_at: float) -> None:
        password = passwords[Role.RESPONSE_OFFICER]
        sessions = [await _signed_in(base, password) for _ in range(RACE_RECORDERS)]
        clients = [
            httpx.AsyncClient(base_url=base, cookies=cookies, timeout=REQUEST_TIMEOUT)
            for cookies, _ in sessions
        ]
        try:
            await asyncio.gather(
                *(
                    _record(CLIENTS + n, http, csrf, stop_at, tally)
                    for n, (http, (_, csrf)) in enumerate(zip(clients, sessions, strict=True))
                )
            )
        finally:
            for http in clients:
                await http.aclose()

    async def sign_in(http: httpx.AsyncClient, username: str, password: str) -> str:
        return await _sign_in(http, password, username)

    return await bench_races.run(base, db, passwords, sign_in, recording)


def _run(name: str, url: str, seconds: float, raced: list[str]) -> list[str]:
    """Seed the store at ``url``, load it for ``seconds``, race people's changes, and check it;
    returns the failures (and adds the races' line to ``raced``)."""
    db = Database(url)
    record_batch(db, _households(), by="bench")
    passwords = {role: password for _, password, role in ensure_demo_accounts(db)}
    db.dispose()
    racing = Tally()
    with _server(url) as base:
        tally, elapsed = asyncio.run(_load(base, passwords[Role.RESPONSE_OFFICER], seconds))
        db = Database(url, migrate=False)
        try:
            races = asyncio.run(_race(base, db, passwords, racing))
        finally:
            db.dispose()
    db = Database(url, migrate=False)
    try:
        missing, unacknowledged = _missing(db, tally.acknowledged + racing.acknowledged)
    finally:
        db.dispose()
    times = sorted(tally.latencies) or [0.0]
    requests = len(tally.latencies) + sum(
        n for kind, n in tally.errors.items() if not kind.isdigit()
    )
    errors = sum(tally.errors.values())
    print(
        f"{name:<10} {requests:>8,} {len(tally.acknowledged) / elapsed:>9.1f} "
        f"{statistics.median(times):>8.0f} {times[max(0, int(len(times) * 0.95) - 1)]:>8.0f} "
        f"{errors:>7} {missing:>8} {unacknowledged:>8}"
    )
    for sample in tally.samples:
        print(f"           {sample}")
    failures = []
    if errors:
        detail = ", ".join(f"{n} x {kind}" for kind, n in sorted(tally.errors.items()))
        failures.append(f"{name}: {errors} requests failed ({detail})")
    if missing:
        failures.append(f"{name}: {missing} acknowledged writes are not in the store exactly once")
    errors = sum(races.errors.values()) + sum(racing.errors.values())
    raced.append(
        f"{name:<10} {races.races:>6} {races.won:>7} {races.refused:>8} {errors:>7} "
        f"{races.lost:>6} {races.unstored:>10} {len(racing.acknowledged):>9}"
    )
    raced.extend(f"           {sample}" for sample in races.samples + racing.samples)
    if errors:
        detail = ", ".join(f"{n} x {k}" for k, n in sorted((races.errors + racing.errors).items()))
        failures.append(f"{name}: {errors} requests failed while racing ({detail})")
    if races.lost:
        failures.append(f"{name}: {races.lost} lost updates")
    if races.unstored:
        failures.append(f"{name}: {races.unstored} acknowledged changes are not in the store")
    return failures


def _postgres_url() -> str | None:
    """A fresh, empty PostgreSQL database for the run, or None when no server answers."""
    import psycopg

    admin = make_url(POSTGRES).set(drivername="postgresql")
    try:
        connection = psycopg.connect(
            admin.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
        )
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL    skipped: no server at {admin.host}:{admin.port} ({exc})")
        return None
    with connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    url = make_url(POSTGRES).set(drivername="postgresql+psycopg", database=POSTGRES_DATABASE)
    return url.render_as_string(hide_password=False)


def main(*, quick: bool = False) -> None:
    seconds = float(os.environ.get("CHILDFIRST_BENCH_CONCURRENCY_SECONDS", "10" if quick else "60"))
    print(
        f"\n== Concurrent recording ({CLIENTS} clients posting incidents through the API for "
        f"{seconds:g} s; {HOUSEHOLDS} households; server in its own process) =="
    )
    print(
        f"{'store':<10} {'requests':>8} {'writes/s':>9} {'median':>8} {'p95 ms':>8} "
        f"{'errors':>7} {'missing':>8} {'unacked':>8}"
    )
    failures: list[str] = []
    raced: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        failures += _run("SQLite", f"sqlite:///{Path(tmp) / 'concurrency.db'}", seconds, raced)
    url = _postgres_url()
    if url is not None:
        failures += _run("PostgreSQL", url, seconds, raced)
    print(
        f"\n== Racing changes (then, on the same store: {bench_races.PAIRS} pairs each of two "
        f"people completing, assigning and closing the same thing at once, while "
        f"{RACE_RECORDERS} clients record incidents) =="
    )
    print(
        f"{'store':<10} {'races':>6} {'one won':>7} {'none won':>8} {'errors':>7} "
        f"{'lost':>6} {'acked lost':>10} {'incidents':>9}"
    )
    print("\n".join(raced))
    if failures:
        raise SystemExit("concurrent recording failed: " + "; ".join(failures))
