"""Two people changing the same thing at the same moment, through the API, while incidents keep
arriving: the second half of the concurrency benchmark (``bench_concurrency``), run against the
same server and store once the recording load is over.

Two sessions, the demo public protection officer's and the demo supervisor's, each read a
concern (its version, and its actions' versions) and then send their change at the same moment,
for ``PAIRS`` concerns each of: both completing the same action (with different notes), both
assigning it (each to the other), both closing the concern (with different reasons). Meanwhile a
few clients go on recording incidents, so the rules add evidence to the same concerns and may get
there first. Each answer is counted: 200 (a win), 409 (refused: changed by someone else, or by the
rules), anything else an error. Afterwards the store is read directly:

- a *lost update* is a race with more than one 200, or whose stored note, assignee or reason is
  not the winner's, or whose concern log does not hold exactly the winners' changes;
- an *acknowledged write lost* is a 200 whose change is not in the store.

Target: no error, no lost update, no acknowledged write lost.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern, ConcernLog
from childfirst.web.auth import CSRF_HEADER
from childfirst.web.demo import demo_username

PAIRS = 20
RECORDING_SECONDS = 15  # how long incidents keep arriving once the races start
PEOPLE = (Role.PUBLIC_PROTECTION, Role.SUPERVISOR)
KINDS = ("complete", "assign", "close")

# Signs ``http`` in as the username with the password; returns the session's CSRF token.
SignIn = Callable[[httpx.AsyncClient, str, str], Awaitable[str]]


@dataclass
class Race:
    kind: str
    concern_id: int
    action_id: int | None
    texts: tuple[str, str]  # what each person sends: a note, an assignee or a reason
    codes: list[int] = field(default_factory=list)

    @property
    def winner(self) -> int | None:
        return self.codes.index(200) if self.codes.count(200) == 1 else None


@dataclass
class Result:
    races: int = 0
    won: int = 0
    refused: int = 0  # races nobody won: the rules changed the concern before either person
    errors: Counter[str] = field(default_factory=Counter)
    lost: int = 0
    unstored: int = 0
    samples: list[str] = field(default_factory=list)


def _targets(db: Database) -> list[tuple[int, int]]:
    """Open concerns with an open public protection action: (concern, action), oldest first."""
    with db.session() as session:
        rows = session.execute(
            select(Concern.id, Action.id)
            .join(Action, Action.concern_id == Concern.id)
            .where(
                Concern.status == "open",
                Action.status == "open",
                Action.owner_role == Role.PUBLIC_PROTECTION.value,
                Action.assigned_to.is_(None),
            )
            .order_by(Concern.id, Action.id)
        ).all()
    chosen: dict[int, int] = {}
    for concern_id, action_id in rows:
        chosen.setdefault(concern_id, action_id)
    return list(chosen.items())


def _races(targets: list[tuple[int, int]]) -> list[Race]:
    names = [demo_username(role) for role in PEOPLE]
    races = []
    for n, (concern_id, action_id) in enumerate(targets[: PAIRS * len(KINDS)]):
        kind = KINDS[n % len(KINDS)]
        if kind == "complete":
            texts = (f"Race {n}: school told by {names[0]}", f"Race {n}: school told by {names[1]}")
        elif kind == "assign":
            texts = (names[1], names[0])
        else:
            texts = (f"Race {n}: plan agreed ({names[0]})", f"Race {n}: plan agreed ({names[1]})")
        races.append(Race(kind, concern_id, action_id if kind != "close" else None, texts))
    return races


async def _run_one(race: Race, people: list[tuple[httpx.AsyncClient, str]], result: Result) -> None:
    seen = []
    for http, _ in people:  # each person reads the concern, as the page would show it
        concern = (await http.get(f"/api/v1/concerns/{race.concern_id}")).json()
        if race.kind == "close":
            seen.append(concern["version"])
        else:
            seen.append(next(a["version"] for a in concern["actions"] if a["id"] == race.action_id))
    calls = []
    for (http, csrf), text, version in zip(people, race.texts, seen, strict=True):
        if race.kind == "close":
            path, body = f"/api/v1/concerns/{race.concern_id}/close", {"reason": text}
        elif race.kind == "complete":
            path, body = f"/api/v1/actions/{race.action_id}/complete", {"note": text}
        else:
            path, body = f"/api/v1/actions/{race.action_id}/assign", {"assignee": text}
        calls.append(
            http.post(path, json={**body, "expected_version": version}, headers={CSRF_HEADER: csrf})
        )
    answers = await asyncio.gather(*calls, return_exceptions=True)
    result.races += 1
    for answer in answers:
        if isinstance(answer, BaseException):
            result.errors[type(answer).__name__] += 1
            race.codes.append(0)
            continue
        race.codes.append(answer.status_code)
        if answer.status_code not in (200, 409):
            result.errors[str(answer.status_code)] += 1
            if len(result.samples) < 5:
                result.samples.append(f"{race.kind} {answer.status_code}: {answer.text[:300]}")
    if race.codes.count(200) == 1:
        result.won += 1
    elif race.codes == [409, 409]:
        result.refused += 1


def _check(db: Database, races: list[Race], result: Result) -> None:
    """Count the lost updates and the acknowledged writes not in the store."""
    what = {"complete": "action done", "assign": "action assigned", "close": "closed"}
    with db.session() as session:
        for race in races:
            wins = race.codes.count(200)
            people = [demo_username(role) for role in PEOPLE]
            logged = [
                (who, why or "")
                for who, why in session.execute(
                    select(ConcernLog.who, ConcernLog.why).where(
                        ConcernLog.concern_id == race.concern_id,
                        ConcernLog.what == what[race.kind],
                        ConcernLog.who.in_(people),
                    )
                )
            ]
            if race.kind == "close":
                concern = session.get(Concern, race.concern_id)
                stored = concern.closed_reason if concern else None
            else:
                action = session.get(Action, race.action_id)
                stored = (
                    (action.note if race.kind == "complete" else action.assigned_to)
                    if action
                    else None
                )
            winner = race.winner
            expected = race.texts[winner] if winner is not None else None
            if wins > 1 or stored != expected or len(logged) != wins:
                result.lost += 1
                if len(result.samples) < 5:
                    result.samples.append(f"lost update: {race} stored {stored!r}, log {logged}")
            if expected is not None and (
                stored != expected or not any(expected in why for _, why in logged)
            ):
                result.unstored += 1


async def run(
    base: str,
    db: Database,
    passwords: dict[Role, str],
    sign_in: SignIn,
    background: Callable[[float], Awaitable[Any]],
) -> Result:
    """Race the pairs against the server at ``base`` while ``background`` records incidents
    (until the moment it is given); returns what happened."""
    result = Result()
    races = _races(_targets(db))
    clients = [httpx.AsyncClient(base_url=base, timeout=120.0) for _ in PEOPLE]
    try:
        people = [
            (http, await sign_in(http, demo_username(role), passwords[role]))
            for http, role in zip(clients, PEOPLE, strict=True)
        ]
        recording = asyncio.ensure_future(background(time.monotonic() + RECORDING_SECONDS))
        try:
            for race in races:
                await _run_one(race, people, result)
        finally:
            await recording  # it stops by itself: every request it sent is answered
    finally:
        for http in clients:
            await http.aclose()
    _check(db, races, result)
    return result
