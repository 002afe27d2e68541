"""Web pages as a practitioner waits for them: the child profile of a child with 500 events
(target p95 under 200 ms) and the work queue of a team with 50 open concerns (target p95 under
150 ms).

The store is a synthetic force area with, added to it, one child whose record holds 500 events
across the years (with her mother and the mother's partner in many of them) and 50 children each
with an open concern and its actions for public protection. Requests go through the whole
application (sign-in cookie, permission guard, CSRF, templates, the audit entry every profile view
writes) with Starlette's test client, one at a time after a warm-up.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Action, Concern
from childfirst.web.app import create_app
from childfirst.web.demo import demo_username, ensure_demo_accounts
from childfirst.web.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PEOPLE = int(os.environ.get("CHILDFIRST_BENCH_WEB_PEOPLE", "20000"))
AGENCY = "bench-police"
SOURCE = {"agency": AGENCY, "agency_kind": "police", "system": "niche"}
PROFILE_EVENTS = 500
QUEUE_CONCERNS = 50
REQUESTS = 200
WARM_UP = 20
EVENT_TYPES = (
    "domestic_abuse",
    "missing_reported",
    "missing_returned",
    "concern_for_child",
    "welfare_check",
    "antisocial_behaviour",
    "stop_and_search",
    "call_101",
)


def _source(sid: str) -> dict[str, str]:
    return {**SOURCE, "id": sid}


def _records() -> list[dict[str, Any]]:
    home = [{"location": "L1", "from_date": "2015-01-01"}]
    records: list[dict[str, Any]] = [
        {
            "kind": "location",
            "source": _source("L1"),
            "address": "3 Bench Row, Northmoor",
            "postcode": "NM9 9ZZ",
            "force_area": "northmoor",
            "jurisdiction": "england_and_wales",
        }
    ]

    def person(sid: str, given: str, family: str, born: str, **extra: Any) -> None:
        records.append(
            {
                "kind": "person",
                "source": _source(sid),
                "name": {"given_name": given, "family_name": family},
                "date_of_birth": born,
                "sex": extra.pop("sex", "female"),
                **extra,
            }
        )

    person("C1", "Amber", "Lowe", "2011-05-04", addresses=home)
    person("M1", "Tina", "Lowe", "1985-02-02", addresses=home)
    person("D1", "Craig", "Nash", "1982-08-08", sex="male", addresses=home)
    records.append(
        {
            "kind": "relationship",
            "source": _source("R1"),
            "person": "M1",
            "other": "C1",
            "relationship_type": "parent",
        }
    )
    records.append(
        {
            "kind": "relationship",
            "source": _source("R2"),
            "person": "D1",
            "other": "M1",
            "relationship_type": "partner",
        }
    )
    start = datetime(2021, 11, 1, 18, 0)
    for n in range(PROFILE_EVENTS):
        links = [{"role": "subject", "person": "C1"}]
        if n % 3 == 0:
            links.append({"role": "parent_or_carer", "person": "M1"})
        if n % 5 == 0:
            links.append({"role": "suspect", "person": "D1"})
        records.append(
            {
                "kind": "event",
                "source": _source(f"E{n}"),
                "event_type": EVENT_TYPES[n % len(EVENT_TYPES)],
                "occurred_at": (start + timedelta(days=3 * n, hours=n % 7)).isoformat(),
                "location": "L1",
                "reference": f"BP/{n:05d}",
                "summary": f"Event {n} about Amber Lowe at home; officers attended and spoke to her.",
                "links": links,
                "details": {},
            }
        )
    for n in range(QUEUE_CONCERNS):
        person(f"Q{n}", f"Child{n}", "Queue", "2014-01-01")
    return records


def _concerns(db: Database) -> None:
    """An open concern for each of 50 children, with two actions each for public protection."""
    now = datetime(2026, 10, 1)
    with db.session(write=True) as session:
        for n in range(QUEUE_CONCERNS):
            concern = Concern(
                rule_id="domestic-abuse.cumulative-pattern",
                child_id=record_id("person", AGENCY, "niche", f"Q{n}"),
                key="pattern",
                severity="high",
                status="open",
                explanation="Bench concern",
                learning=[],
                first_event_at=now - timedelta(days=n),
                last_event_at=now - timedelta(days=n),
                raised_at=now,
                updated_at=now,
            )
            session.add(concern)
            session.flush()
            for hours in (24, 72):
                session.add(
                    Action(
                        concern_id=concern.id,
                        title="Review the child's record",
                        owner_role=Role.PUBLIC_PROTECTION.value,
                        due_at=now - timedelta(days=n) + timedelta(hours=hours),
                        due_rule=f"within {hours} hours",
                        status="open",
                    )
                )


def _timed(get: Callable[[], int]) -> tuple[float, float]:
    for _ in range(WARM_UP):
        assert get() == 200
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        status = get()
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main(*, quick: bool = False) -> None:
    from childfirst.synth import SynthConfig, generate

    people = PEOPLE // 10 if quick else PEOPLE
    print(f"\n== Web pages (synthetic area: {people:,} people, SQLite, one client) ==")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(SynthConfig(people=people, years=5, seed=5), root / "area")
        bench_file = root / "bench.jsonl"
        bench_file.write_bytes(b"\n".join(orjson.dumps(r) for r in _records()) + b"\n")
        db = Database(f"sqlite:///{root / 'web.db'}")
        import_files(db, [*sorted((root / "area" / "records").glob("*.jsonl")), bench_file])
        _concerns(db)
        passwords = {role: password for _, password, role in ensure_demo_accounts(db)}
        settings = Settings(database_url=db.url, secret_key="b" * 40, development=True)
        app = create_app(settings, db)
        child = record_id("person", AGENCY, "niche", "C1")
        with TestClient(app, follow_redirects=False) as client:
            form = client.get("/sign-in").text
            token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            signed = client.post(
                "/sign-in",
                data={
                    "username": demo_username(Role.PUBLIC_PROTECTION),
                    "password": passwords[Role.PUBLIC_PROTECTION],
                    "csrf_token": token,
                },
            )
            assert signed.status_code == 303, signed.text
            page = client.get(f"/children/{child}").text
            assert f"{PROFILE_EVENTS} events" in page, "the child should have 500 events"
            median, p95 = _timed(lambda: client.get(f"/children/{child}").status_code)
            print(
                f"  child profile, {PROFILE_EVENTS} events: median {median:.0f} ms, "
                f"p95 {p95:.0f} ms over {REQUESTS} requests (target p95 under 200 ms)"
            )
            queue = client.get("/queue").text
            assert queue.count('class="tag tag-high"') >= QUEUE_CONCERNS * 2
            median, p95 = _timed(lambda: client.get("/queue").status_code)
            print(
                f"  work queue, {QUEUE_CONCERNS} open concerns ({QUEUE_CONCERNS * 2} actions): "
                f"median {median:.0f} ms, p95 {p95:.0f} ms over {REQUESTS} requests "
                "(target p95 under 150 ms)"
            )
        db.dispose()


if __name__ == "__main__":
    main(quick=True)
