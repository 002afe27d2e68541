"""Two people changing the same thing at the same moment, through the API: completing an action,
assigning it, closing a concern, deciding a linkage pair. Each pair of requests is released at once
from two threads, each with its own signed-in client (on PostgreSQL, two connections really
writing at once). Exactly one wins; the other is told 409, with who changed the record, when, and
how it stands now; no note, reason or assignment is lost, and nothing is a server error."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.store.access import AuditEntry
from childfirst.store.models import Action, Concern, ConcernLog
from childfirst.store.sharing import Notification
from tests.web.area import ST_CUTHBERTS, Area
from tests.web.conftest import CHILD, PATTERN, Browser, SignIn, World
from tests.web.test_partner import _notification, area, recorded  # noqa: F401 (fixtures)
from tests.web.test_review_queue import pair_id  # noqa: F401 (a fixture)

PAIRS = 20
PEOPLE = (Role.PUBLIC_PROTECTION, Role.SUPERVISOR)
REVIEWERS = (Role.ANALYST, Role.SUPERVISOR)
NAMES = {role: f"demo.{role.value}" for role in (*PEOPLE, *REVIEWERS)}
OTHERS = [NAMES[role] for role in reversed(PEOPLE)]  # each assigns to the other
STANDS = {"same": "decided: the same person", "not_same": "decided: not the same person"}


def _items(world: World, count: int) -> list[tuple[int, int]]:
    """``count`` open concerns about the girl, each with one open action: (concern, action)."""
    now = datetime(2026, 1, 5, 9, 0)
    made = []
    with world.db.session(write=True) as session:
        for n in range(count):
            concern = Concern(
                rule_id=PATTERN,
                child_id=CHILD,
                key=f"race-{n}",
                severity="high",
                status="open",
                explanation="The girl lives with repeated domestic abuse.",
                learning=[],
                first_event_at=now,
                last_event_at=now,
                raised_at=now,
                updated_at=now,
                updated_by="childfirst rules engine",
            )
            session.add(concern)
            session.flush()
            action = Action(
                concern_id=concern.id,
                title="Refer to children's social care",
                owner_role="public_protection",
                due_at=now + timedelta(days=1),
                due_rule="within a day",
                status="open",
            )
            session.add(action)
            session.flush()
            made.append((concern.id, action.id))
    return made


def _race(calls: list[tuple[Browser, str, dict[str, Any]]], form: bool = False) -> list[Any]:
    """Send the requests (JSON, or the page's form) from threads of their own, released
    together; their responses."""
    barrier = threading.Barrier(len(calls))
    responses: list[Any] = [None] * len(calls)

    def send(i: int, browser: Browser, path: str, body: dict[str, Any]) -> None:
        barrier.wait()
        responses[i] = browser.post_form(path, body) if form else browser.post_json(path, body)

    threads = [threading.Thread(target=send, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def _one_wins(
    responses: list[Any],
    seen: int,
    status: str,
    roles: tuple[Role, ...] = PEOPLE,
    steps: int = 1,
) -> tuple[int, dict[str, Any]]:
    """Exactly one 200 and one 409 naming the winner; returns (the winner's index, its body)."""
    codes = [r.status_code for r in responses]
    assert sorted(codes) == [200, 409], [r.text for r in responses]
    winner = codes.index(200)
    loser = responses[1 - winner].json()
    assert loser["title"] == "Changed by someone else"
    assert (loser["expected_version"], loser["current_version"]) == (seen, seen + steps)
    assert loser["changed_by"] == NAMES[roles[winner]]
    assert loser["current_status"] == status
    assert loser["changed_at"]
    assert f"was changed by {NAMES[roles[winner]]}" in loser["detail"]
    return winner, responses[winner].json()


def _log(world: World, what: str) -> Counter[int]:
    with world.db.session() as session:
        return Counter(
            session.scalars(select(ConcernLog.concern_id).where(ConcernLog.what == what))
        )


def _audited(world: World, what: str) -> Counter[str]:
    with world.db.session() as session:
        return Counter(
            session.scalars(select(AuditEntry.target_id).where(AuditEntry.action == what))
        )


@pytest.fixture
def people(signed_in: SignIn) -> list[Browser]:
    return [signed_in(role) for role in PEOPLE]


def test_of_two_completing_one_action_one_wins_and_no_note_is_lost(
    world: World, people: list[Browser]
) -> None:
    items = _items(world, PAIRS)
    winners = {}
    for round_, (concern_id, action_id) in enumerate(items):
        seen = [p.client.get(f"/api/v1/concerns/{concern_id}").json() for p in people]
        versions = {a["version"] for v in seen for a in v["actions"] if a["id"] == action_id}
        assert versions == {1}
        notes = [f"Round {round_}: referral made by {NAMES[role]}" for role in PEOPLE]
        responses = _race(
            [
                (p, f"/api/v1/actions/{action_id}/complete", {"note": note, "expected_version": 1})
                for p, note in zip(people, notes, strict=True)
            ]
        )
        winner, body = _one_wins(responses, 1, "done")
        assert (body["note"], body["done_by"]) == (notes[winner], NAMES[PEOPLE[winner]])
        winners[action_id] = notes[winner]
    with world.db.session() as session:
        stored = {
            a.id: a.note
            for a in session.scalars(select(Action).where(Action.id.in_(list(winners))))
        }
    assert stored == winners  # every acknowledged note is the one kept
    done = _log(world, "action done")
    assert all(done[concern_id] == 1 for concern_id, _ in items)
    audited = _audited(world, "completed action")
    assert all(audited[str(action_id)] == 1 for _, action_id in items)


def test_of_two_assigning_one_action_one_wins(world: World, people: list[Browser]) -> None:
    items = _items(world, PAIRS)
    winners = {}
    for concern_id, action_id in items:
        seen = people[0].client.get(f"/api/v1/concerns/{concern_id}").json()
        assert [a["version"] for a in seen["actions"]] == [1]
        # Each gives it to the other, so that neither is merely repeating what is there.
        responses = _race(
            [
                (p, f"/api/v1/actions/{action_id}/assign", {"assignee": to, "expected_version": 1})
                for p, to in zip(people, OTHERS, strict=True)
            ]
        )
        winner, body = _one_wins(responses, 1, "open")
        assert body["assigned_to"] == OTHERS[winner]
        winners[action_id] = body["assigned_to"]
    with world.db.session() as session:
        stored = dict(
            session.execute(
                select(Action.id, Action.assigned_to).where(Action.id.in_(list(winners)))
            ).all()
        )
    assert stored == winners
    assigned = _log(world, "action assigned")
    assert all(assigned[concern_id] == 1 for concern_id, _ in items)


def test_of_two_closing_one_concern_one_wins_and_no_reason_is_lost(
    world: World, people: list[Browser]
) -> None:
    items = _items(world, PAIRS)
    winners = {}
    for round_, (concern_id, _) in enumerate(items):
        seen = people[1].client.get(f"/api/v1/concerns/{concern_id}").json()["version"]
        reasons = [f"Round {round_}: plan agreed, said {NAMES[role]}" for role in PEOPLE]
        responses = _race(
            [
                (p, f"/api/v1/concerns/{concern_id}/close", {"reason": r, "expected_version": seen})
                for p, r in zip(people, reasons, strict=True)
            ]
        )
        winner, body = _one_wins(responses, seen, "closed")
        assert (body["closed_reason"], body["closed_by"]) == (
            reasons[winner],
            NAMES[PEOPLE[winner]],
        )
        winners[concern_id] = reasons[winner]
    with world.db.session() as session:
        stored = dict(
            session.execute(
                select(Concern.id, Concern.closed_reason).where(Concern.id.in_(list(winners)))
            ).all()
        )
    assert stored == winners
    closed = _log(world, "closed")
    assert all(closed[concern_id] == 1 for concern_id in winners)
    audited = _audited(world, "closed concern")
    assert all(audited[str(concern_id)] == 1 for concern_id in winners)


def test_of_two_deciding_one_linkage_pair_one_wins(
    world: World,
    pair_id: int,  # noqa: F811
    signed_in: SignIn,
) -> None:
    people = [signed_in(role) for role in REVIEWERS]
    path = f"/api/v1/linkage/review/{pair_id}"
    kept = []
    for round_ in range(PAIRS):
        seen = people[0].client.get(path).json()["version"]
        words = ["same", "not_same"] if round_ % 2 else ["not_same", "same"]
        responses = _race(
            [
                (
                    p,
                    f"{path}/decision",
                    {"decision": d, "reason": f"{round_} {d}", "expected_version": seen},
                )
                for p, d in zip(people, words, strict=True)
            ]
        )
        # The winner's decision, and (after the first round) the one it replaced.
        steps = 1 if round_ == 0 else 2
        codes = [r.status_code for r in responses]
        winner = codes.index(200) if 200 in codes else 0  # (else _one_wins says what happened)
        _one_wins(responses, seen, STANDS[words[winner]], REVIEWERS, steps)
        kept.append(f"{round_} {words[winner]}")
    decisions = people[0].client.get(path).json()["decisions"]
    assert [d["reason"] for d in reversed(decisions)] == kept  # one decision a round, in order
    assert sum(d["reversed_at"] is None for d in decisions) == 1  # and only the last stands


def test_two_at_one_school_acknowledging_at_once_acknowledge_it_once(
    area: Area,  # noqa: F811
    recorded: dict[tuple[str, str], Any],  # noqa: F811
) -> None:
    """Acknowledging is the same whoever does it, so it needs no version: the second of two at
    once is told of the first's acknowledgement rather than writing its own over it."""
    people = [area.browser(name, Role.SCHOOL, ST_CUTHBERTS) for name in ("dsl.one", "dsl.two")]
    notification_id = _notification(recorded, "mp_kayleigh")["id"]
    path = f"/api/v1/notifications/{notification_id}/acknowledge"
    for round_ in range(PAIRS):
        with area.db.session(write=True) as session:  # sent again, as if new
            notification = session.get(Notification, notification_id)
            assert notification is not None
            notification.acknowledged_by = notification.acknowledged_at = notification.note = None
        notes = [f"Round {round_}: key adult told by {who}" for who in ("one", "two")]
        responses = _race([(p, path, {"note": n}) for p, n in zip(people, notes, strict=True)])
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        answers = [(r.json()["acknowledged_by"], r.json()["note"]) for r in responses]
        assert answers[0] == answers[1]  # both are told of the one acknowledgement kept
        assert answers[0] in {("dsl.one", notes[0]), ("dsl.two", notes[1])}
    with area.db.session() as session:
        logged = session.scalars(
            select(ConcernLog.id).where(ConcernLog.what == "partner acknowledged")
        ).all()
        audited = session.scalars(
            select(AuditEntry.seq).where(AuditEntry.action == "acknowledged notification")
        ).all()
    assert (len(logged), len(audited)) == (PAIRS, PAIRS)  # once a round, never twice


def test_of_two_closing_one_concern_through_the_page_the_loser_sees_what_happened(
    world: World, people: list[Browser]
) -> None:
    items = _items(world, 5)
    for round_, (concern_id, _) in enumerate(items):
        page = f"/concerns/{concern_id}"
        forms = [p.client.get(page).text for p in people]
        assert all('<input type="hidden" name="version" value="1">' in f for f in forms)
        reasons = [f"Round {round_}: closed by {NAMES[role]}" for role in PEOPLE]
        answers = _race(
            [
                (p, f"{page}/close", {"reason": r, "version": "1"})
                for p, r in zip(people, reasons, strict=True)
            ],
            form=True,
        )
        codes = [a.status_code for a in answers]
        assert sorted(codes) == [303, 409], codes
        winner = codes.index(303)
        refused = answers[1 - winner].text
        assert f"was changed by {NAMES[PEOPLE[winner]]}" in refused  # shown on the page
        assert "is closed" in refused
        assert reasons[winner] in refused  # the concern as it now stands, with the reason kept
