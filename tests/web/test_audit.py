"""The audit log: every view of a child's record and every change, in a chain that shows tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from childfirst.audit.keys import current_key
from childfirst.audit.seals import keyed_hash
from childfirst.domain.roles import Role
from childfirst.store.access import AuditEntry
from childfirst.web import audit
from tests.audit.tamper import delete_entries, tampering
from tests.web.conftest import CHILD, PATTERN, SignIn, World


def _entries(world: World) -> list[tuple[str, str, str, str | None]]:
    with world.db.session() as session:
        return [
            (e.who, e.action, e.target_kind, e.why)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        ]


def test_views_and_changes_are_written_to_the_log(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    concern = world.concerns[PATTERN]
    officer.client.get(f"/children/{CHILD}")
    officer.client.get(f"/api/v1/concerns/{concern}")
    officer.post_json(
        f"/api/v1/concerns/{concern}/close", {"reason": "Plan in place", "expected_version": 1}
    )
    who = "demo.public_protection"
    assert _entries(world) == [
        (who, "viewed child", "child", None),
        (who, "viewed concern", "concern", None),
        (who, "closed concern", "concern", "Plan in place"),
    ]
    assert audit.verify_database(world.db) == []


def test_a_refused_change_leaves_no_entry(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    officer.post_json(
        f"/api/v1/concerns/{world.concerns[PATTERN]}/acknowledge", {"expected_version": 42}
    )
    assert _entries(world) == []


def test_supervisors_see_who_has_looked_at_a_child(world: World, signed_in: SignIn) -> None:
    signed_in(Role.PUBLIC_PROTECTION).client.get(f"/children/{CHILD}")
    signed_in(Role.RESPONSE_OFFICER).client.get(f"/concerns/{world.concerns[PATTERN]}")
    page = signed_in(Role.SUPERVISOR).client.get(f"/children/{CHILD}/audit")
    assert page.status_code == 200
    assert "demo.public_protection" in page.text
    assert "demo.response_officer" in page.text
    assert (
        signed_in(Role.PUBLIC_PROTECTION).client.get(f"/children/{CHILD}/audit").status_code == 403
    )


def _three_views(world: World, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    for _ in range(3):
        officer.client.get(f"/api/v1/children/{CHILD}")
    assert audit.verify_database(world.db) == []


def test_an_edited_entry_is_detected(world: World, signed_in: SignIn) -> None:
    _three_views(world, signed_in)
    with tampering(world.db) as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(who="someone.else"))
    assert audit.verify_database(world.db) == ["entry 2 was changed after it was written"]


def test_an_edit_resealed_with_the_key_still_breaks_the_next_link(
    world: World, signed_in: SignIn
) -> None:
    _three_views(world, signed_in)
    with tampering(world.db) as session:
        entry = session.get(AuditEntry, 2)
        assert entry is not None
        entry.who = "someone.else"
        entry.hash = keyed_hash(current_key(), entry)
    assert audit.verify_database(world.db) == ["entry 3 does not follow the entry before it"]


def test_a_deleted_entry_is_detected(world: World, signed_in: SignIn) -> None:
    _three_views(world, signed_in)
    with tampering(world.db) as session:
        delete_entries(session, AuditEntry.seq == 2)
    problems = audit.verify_database(world.db)
    assert "entry 2 is missing: deleted from the log" in problems
    assert "entry 3 does not follow the entry before it" in problems


def test_entries_removed_from_the_end_are_detected_by_the_signed_head(
    world: World, signed_in: SignIn
) -> None:
    _three_views(world, signed_in)
    with tampering(world.db) as session:
        delete_entries(session, AuditEntry.seq == 3)
    assert audit.verify_database(world.db) == [
        "the log ends at entry 2 but its signed head is entry 3: entries were removed from the end"
    ]


def test_the_database_refuses_to_change_or_delete_an_entry(world: World, signed_in: SignIn) -> None:
    _three_views(world, signed_in)
    for change in (delete(AuditEntry), update(AuditEntry).values(who="someone.else")):
        refused = pytest.raises(DBAPIError, match="audit entries cannot be changed or deleted")
        with refused, world.db.session(write=True) as session:
            session.execute(change)
    assert audit.verify_database(world.db) == []
