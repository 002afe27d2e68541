"""The scheduled judging of waits: consecutive runs cover time without gaps or repeats."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from childfirst.ingest.importer import import_files
from childfirst.rules.schedule import WaitSchedule
from childfirst.rules.service import evaluate_events
from childfirst.store.database import Database
from tests.factories import write_jsonl
from tests.rules.test_service import concerns, drug_warrant, family

WARRANT_AT = datetime(2025, 6, 2, 10, 0)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_runs_pick_up_each_wait_once_when_it_runs_out(db: Database, tmp_path: Path) -> None:
    records = [*family(), drug_warrant("2025-06-02T10:00:00+00:00")]
    summary = import_files(db, [write_jsonl(tmp_path / "a.jsonl", records)])
    clock = Clock(WARRANT_AT + timedelta(minutes=5))
    evaluate_events(db, summary.events_touched, clock=clock.now)
    schedule = WaitSchedule(db, timedelta(hours=1), now=clock)

    assert schedule.run_once().raised == 0  # the wait has just begun
    clock.now = WARRANT_AT + timedelta(hours=71)
    assert schedule.run_once().raised == 0
    clock.now = WARRANT_AT + timedelta(hours=73)
    assert schedule.run_once().raised == 1
    assert "referrals.parental-substance-misuse" in concerns(db)
    clock.now = WARRANT_AT + timedelta(hours=74)
    later = schedule.run_once()
    assert later.events == 0  # the next period starts after the wait ran out
    assert schedule.since == clock.now


def test_the_background_thread_runs_at_once_and_stops(db: Database, tmp_path: Path) -> None:
    records = [*family(), drug_warrant("2025-06-02T10:00:00+00:00")]
    summary = import_files(db, [write_jsonl(tmp_path / "a.jsonl", records)])
    evaluate_events(db, summary.events_touched, clock=WARRANT_AT)
    clock = Clock(WARRANT_AT + timedelta(days=4))
    schedule = WaitSchedule(db, timedelta(hours=1), now=clock)
    schedule.start()
    schedule.stop()  # the first run happens before the thread waits for its next turn
    assert "referrals.parental-substance-misuse" in concerns(db)
    assert schedule.since == clock.now


def test_the_interval_must_be_positive(db: Database) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        WaitSchedule(db, timedelta(0))


def test_a_scheduled_run_finishes_what_a_recording_left_marked(
    db: Database, tmp_path: Path
) -> None:
    """A recording whose request died after writing is judged at the schedule's next turn,
    without waiting for an import or a restart."""
    from tests.rules.test_pending import APPROPRIATE_ADULT, imported_unjudged, marked, raised

    imported_unjudged(db, tmp_path)
    WaitSchedule(db, timedelta(hours=1)).run_once()
    assert APPROPRIATE_ADULT in raised(db)
    assert marked(db) == 0
