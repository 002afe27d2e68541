"""Judging the rules' waits on a schedule, inside a long-running process (``childfirst serve``).

Each run judges the waits that ran out since the previous run (the first looks back a few days),
so consecutive runs cover time without gaps; a run that fails is tried again over the same period
at the next turn. Judging a wait twice adds nothing, so several processes may run schedules side by
side, and ``childfirst waits`` from the force's own scheduler does the same job.

Each run also finishes what a recording left marked as still to be matched or judged when its
request died before it got there (see ``childfirst.store.pending``), so such work waits at most
one interval, not until the next import or restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from childfirst.domain.clock import utcnow
from childfirst.rules.engine import Engine
from childfirst.rules.service import Evaluation, evaluate_pending, follow_people, judge_waits
from childfirst.store.database import Database

log = logging.getLogger(__name__)
FIRST_LOOK_BACK = timedelta(days=7)


class WaitSchedule:
    def __init__(
        self,
        db: Database,
        every: timedelta,
        engine: Engine | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        if every <= timedelta(0):
            raise ValueError("the schedule's interval must be positive")
        self.db, self.every, self.engine, self._now = db, every, engine, now
        self.since = now() - FIRST_LOOK_BACK
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> Evaluation:
        """Judge the waits that ran out since the last successful run, then finish any work
        left marked (people to match first, then events to judge)."""
        clock = self._now()
        result = judge_waits(self.db, self.since, clock, self.engine)
        self.since = clock
        self.finish_pending()
        return result

    def finish_pending(self) -> Evaluation:
        """Match the person records and judge the events still marked as to be worked on."""
        from childfirst.linkage.pending import match_marked

        if match_marked(self.db).assigned:
            follow_people(self.db)
        return evaluate_pending(self.db, self.engine)

    def _loop(self) -> None:
        while True:
            try:
                result = self.run_once()
                if result.raised or result.grown:
                    log.info("waits: %d concerns raised, %d grown", result.raised, result.grown)
            except Exception:  # keep serving; the next turn covers the same period again
                log.exception("judging the rules' waits failed")
            if self._stop.wait(self.every.total_seconds()):
                return

    def start(self) -> None:
        """Run now, then every interval, in a background thread until ``stop``."""
        self._thread = threading.Thread(target=self._loop, name="waits", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
