"""Giving an action to a person and recording it as done, against a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from childfirst.domain.clock import utcnow
from childfirst.errors import InvalidValueError, NotFoundError
from childfirst.ingest.importer import import_files
from childfirst.rules.actions import assign_action, complete_action, eligible_accounts
from childfirst.rules.concerns import ConcernStateError
from childfirst.rules.service import evaluate_events
from childfirst.store.access import Account
from childfirst.store.database import Database
from childfirst.store.models import Action, Concern, ConcernLog
from tests.factories import household_and_detainee, write_jsonl

ENCOMPASS = "domestic-abuse.operation-encompass"
DETAINEE = "custody.child-detainee"
ACCOUNTS = [
    ("pp.ahmed", "Sana Ahmed", "public_protection", True),
    ("pp.left", "Former Officer", "public_protection", False),
    ("sgt.okafor", "Sergeant Okafor", "supervisor", True),
    ("cust.reid", "Custody Reid", "custody_officer", True),
]


@pytest.fixture
def store(db: Database, tmp_path: Path) -> Database:
    """The household's concerns and actions, and a few accounts to give actions to."""
    summary = import_files(db, [write_jsonl(tmp_path / "h.jsonl", household_and_detainee())])
    evaluate_events(db, summary.events_touched)
    with db.session(write=True) as session:
        session.add_all(
            Account(
                username=username,
                display_name=name,
                role=role,
                password_hash="not used",
                active=active,
                created_at=utcnow(),
            )
            for username, name, role, active in ACCOUNTS
        )
    return db


def _action(db: Database, rule_id: str) -> int:
    with db.session() as session:
        found = session.scalar(
            select(Action.id)
            .join(Concern, Concern.id == Action.concern_id)
            .where(Concern.rule_id == rule_id)
            .order_by(Action.id)
            .limit(1)
        )
    assert found is not None
    return found


def _log(db: Database, action_id: int) -> list[tuple[str, str, str | None]]:
    with db.session() as session:
        action = session.get(Action, action_id)
        assert action is not None
        rows = session.scalars(
            select(ConcernLog)
            .where(ConcernLog.concern_id == action.concern_id)
            .order_by(ConcernLog.id)
        )
        return [(r.who, r.what, r.why) for r in rows if r.what.startswith("action")]


def test_an_action_is_given_to_an_officer_of_its_role_or_a_supervisor(store: Database) -> None:
    action_id = _action(store, ENCOMPASS)
    with store.session(write=True) as session:
        action = session.get(Action, action_id)
        assert action is not None
        names = [a.username for a in eligible_accounts(session, action.owner_role)]
        assert names == ["pp.ahmed", "sgt.okafor"]  # by display name; not the inactive account
        assign_action(session, action_id, "sgt.okafor", "pp.ahmed")
    with store.session(write=True) as session:
        assign_action(session, action_id, "sgt.okafor", " sgt.okafor ")
    with store.session() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert (action.assigned_to, action.status) == ("sgt.okafor", "open")
    title = action.title
    assert _log(store, action_id) == [
        ("sgt.okafor", "action assigned", f"{title}: assigned to pp.ahmed"),
        ("sgt.okafor", "action assigned", f"{title}: assigned to sgt.okafor"),
    ]


@pytest.mark.parametrize(
    ("assignee", "words"),
    [
        ("nobody.here", "no active account 'nobody.here'"),
        ("pp.left", "no active account 'pp.left'"),
        ("cust.reid", "cust.reid has the custody officer role"),
    ],
)
def test_an_action_is_not_given_to_anyone_else(store: Database, assignee: str, words: str) -> None:
    action_id = _action(store, ENCOMPASS)
    with store.session(write=True) as session, pytest.raises(InvalidValueError, match=words):
        assign_action(session, action_id, "sgt.okafor", assignee)
    with store.session() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert action.assigned_to is None
    assert _log(store, action_id) == []


def test_completing_needs_a_note_and_happens_once(store: Database) -> None:
    action_id = _action(store, DETAINEE)
    with store.session(write=True) as session:
        for blank in ("", "   \n"):
            with pytest.raises(InvalidValueError, match="without a note"):
                complete_action(session, action_id, "cust.reid", blank)
    with store.session(write=True) as session:
        complete_action(session, action_id, "cust.reid", "  Appropriate adult (mother) present  ")
    with store.session(write=True) as session:
        with pytest.raises(ConcernStateError, match="is done"):
            complete_action(session, action_id, "sgt.okafor", "Again")
        with pytest.raises(ConcernStateError, match="only an open action can be assigned"):
            assign_action(session, action_id, "sgt.okafor", "cust.reid")
    with store.session() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert (action.status, action.done_by, action.note) == (
            "done",
            "cust.reid",
            "Appropriate adult (mother) present",
        )
        assert action.done_at is not None
    assert _log(store, action_id) == [
        ("cust.reid", "action done", f"{action.title}: Appropriate adult (mother) present")
    ]


def test_a_cancelled_action_cannot_be_completed(store: Database) -> None:
    action_id = _action(store, DETAINEE)
    with store.session(write=True) as session:
        action = session.get(Action, action_id)
        assert action is not None
        action.status = "cancelled"
    with (
        store.session(write=True) as session,
        pytest.raises(ConcernStateError, match="is cancelled"),
    ):
        complete_action(session, action_id, "cust.reid", "Done after all")


def test_an_unknown_action_is_not_found_and_nothing_is_deleted(store: Database) -> None:
    with store.session() as session:
        before = session.scalar(select(func.count()).select_from(Action))
    with store.session(write=True) as session:
        with pytest.raises(NotFoundError):
            assign_action(session, 999_999, "sgt.okafor", "pp.ahmed")
        with pytest.raises(NotFoundError):
            complete_action(session, 999_999, "sgt.okafor", "Done")
        complete_action(session, _action(store, ENCOMPASS), "pp.ahmed", "School told by phone")
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == before
