"""The audit log cannot be cut short or rewritten unnoticed, on both databases.

Each test changes the log as someone who can change every row of the database but does not hold the
audit key, and checks that ``verify`` says what was done in words an operator can act on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from childfirst.audit import chain
from childfirst.audit.checkpoints import Checkpoint, checkpoint_database, read_checkpoint
from childfirst.audit.keys import KEY_VARIABLE, AuditKey
from childfirst.audit.verify import verify_database
from childfirst.errors import ConfigurationError
from childfirst.store.access import AuditCheckpoint, AuditEntry, AuditHead, AuditPerson
from childfirst.store.database import Database
from tests.audit.tamper import delete_entries, entries, rebuild_without, tampering, write


def test_an_untouched_log_is_intact_and_its_head_follows_every_entry(db: Database) -> None:
    write(db, "a.supervisor", 5)
    assert verify_database(db) == []
    with db.session() as session:
        head = session.get(AuditHead, 1)
        assert head is not None
        assert (head.seq, head.hash) == (5, entries(db)[-1].hash)


def test_deleting_the_last_entry_is_detected(db: Database) -> None:
    write(db, "a.supervisor", 5)
    with tampering(db) as session:
        delete_entries(session, AuditEntry.seq == 5)
    assert verify_database(db) == [
        "the log ends at entry 4 but its signed head is entry 5: entries were removed from the end"
    ]


def test_deleting_the_last_50_entries_is_detected(db: Database) -> None:
    write(db, "a.supervisor", 60)
    with tampering(db) as session:
        delete_entries(session, AuditEntry.seq > 10)
    assert verify_database(db) == [
        "the log ends at entry 10 but its signed head is entry 60: "
        "entries were removed from the end"
    ]


def test_deleting_every_entry_is_detected(db: Database) -> None:
    write(db, "a.supervisor", 3)
    checkpoint_database(db)
    with tampering(db) as session:
        delete_entries(session)
    assert verify_database(db) == [
        "the log ends at entry 0 but its signed head is entry 3: every entry was removed",
        "the log ends at entry 0 but the latest stored checkpoint records entry 3: "
        "every entry was removed",
    ]


def test_an_exported_checkpoint_finds_a_log_emptied_with_its_head_and_checkpoints(
    db: Database, tmp_path: Path
) -> None:
    write(db, "a.supervisor", 3)
    exported = tmp_path / "checkpoint.json"
    checkpoint_database(db, exported)
    kept = read_checkpoint(exported)
    with tampering(db) as session:
        delete_entries(session)
        session.execute(delete(AuditCheckpoint))
        session.execute(delete(AuditHead))
    assert verify_database(db) == []  # nothing left in the database to compare with
    assert verify_database(db, kept) == [
        "the log ends at entry 0 but the checkpoint given records entry 3: every entry was removed"
    ]


def test_a_head_put_back_to_an_earlier_entry_is_detected(db: Database) -> None:
    write(db, "a.supervisor", 4)
    third = entries(db)[2]
    with tampering(db) as session:
        delete_entries(session, AuditEntry.seq == 4)
        session.execute(update(AuditHead).values(seq=3, hash=third.hash))
    assert verify_database(db) == ["the log's head was changed: its signature does not match"]


def test_one_users_entries_removed_and_the_chain_rebuilt_without_the_key_are_detected(
    db: Database,
) -> None:
    for who in ("a.supervisor", "nosy.officer", "a.supervisor", "nosy.officer"):
        write(db, who, 2)
    rebuild_without(db, "nosy.officer")  # sealed again with the plain hash
    problems = verify_database(db)
    assert problems[:4] == [f"entry {seq} was changed after it was written" for seq in (1, 2, 3, 4)]
    assert "the log's head was changed: its signature does not match" in problems


def test_a_chain_rebuilt_with_a_key_of_the_forgers_own_is_detected(db: Database) -> None:
    write(db, "a.supervisor", 2)
    write(db, "nosy.officer", 2)
    rebuild_without(db, "nosy.officer", AuditKey(b"a-key-the-forger-made-up-for-the-job"))
    assert verify_database(db) == [
        "the log is sealed with another audit key (key "
        + AuditKey(b"a-key-the-forger-made-up-for-the-job").id
        + ") than the one configured (key "
        + AuditKey(b"development-only-audit-key-do-not-use-in-production").id
        + "): set CHILDFIRST_AUDIT_KEY to the key the log was written with"
    ]


def test_a_removed_entry_is_still_found_against_an_exported_checkpoint_after_a_rebuild(
    db: Database, tmp_path: Path
) -> None:
    write(db, "a.supervisor", 2)
    write(db, "nosy.officer", 1)
    exported = tmp_path / "checkpoint.json"
    checkpoint_database(db, exported)
    rebuild_without(db, "nosy.officer")
    assert (
        "the log ends at entry 2 but the checkpoint given records entry 3: "
        "entries were removed from the end"
    ) in verify_database(db, read_checkpoint(exported))


def test_a_checkpoint_is_stored_every_so_many_entries(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chain, "CHECKPOINT_EVERY", 4)
    write(db, "a.supervisor", 9)
    with db.session() as session:
        stored = [c.seq for c in session.scalars(select(AuditCheckpoint).order_by("id"))]
    assert stored == [4, 8]
    with tampering(db) as session:
        delete_entries(session, AuditEntry.seq >= 8)
        session.execute(delete(AuditHead))
    assert verify_database(db) == [
        "the log's signed head is missing: it was deleted",
        "the log ends at entry 7 but the latest stored checkpoint records entry 8: "
        "entries were removed from the end",
    ]


def test_an_altered_checkpoint_or_one_under_another_key_is_refused(
    db: Database, tmp_path: Path
) -> None:
    write(db, "a.supervisor", 2)
    exported = tmp_path / "checkpoint.json"
    found = checkpoint_database(db, exported)
    moved = Checkpoint(1, entries(db)[0].hash, found.at, 1, found.key_id, found.signature)
    assert verify_database(db, moved) == [
        "the checkpoint given was changed: its signature does not match"
    ]
    other = AuditKey(b"another-key-of-at-least-32-characters!")
    foreign = Checkpoint(2, found.hash, found.at, 1, other.id, found.signature)
    assert verify_database(db, foreign) == [
        f"the checkpoint given was signed with another audit key (key {other.id})"
    ]
    assert read_checkpoint(exported) == found


def test_the_people_a_list_named_cannot_be_taken_out_of_who_has_seen_them(db: Database) -> None:
    with db.session(write=True) as session:
        chain.record(
            session,
            chain.Actor("a.supervisor", "supervisor"),
            "viewed work queue",
            "list",
            "work queue",
            people=["per_b", "per_a", "per_b"],
        )
    assert entries(db)[0].people == '["per_a","per_b"]'
    with db.session() as session:
        assert [e.seq for e in chain.about_child(session, {"per_b"})] == [1]
    with tampering(db) as session:
        session.execute(delete(AuditPerson).where(AuditPerson.person_id == "per_b"))
    assert verify_database(db) == ["the people entry 1 names are not those filed under it"]


def test_the_key_comes_from_the_environment_and_a_log_checks_only_under_its_own(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_VARIABLE, "the-force-audit-key-kept-in-its-secret-store")
    write(db, "a.supervisor", 2)
    assert verify_database(db) == []
    monkeypatch.setenv(KEY_VARIABLE, "a-different-key-than-the-log-was-written-with")
    (problem,) = verify_database(db)
    assert problem.startswith("the log is sealed with another audit key")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 2


def test_an_entry_is_never_sealed_with_a_key_other_than_the_logs(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_VARIABLE, "the-force-audit-key-kept-in-its-secret-store")
    write(db, "a.supervisor", 2)
    monkeypatch.delenv(KEY_VARIABLE)  # a command run without the key: the development key
    with pytest.raises(ConfigurationError, match="sealed with another audit key"):
        write(db, "an.operator", 1)
    monkeypatch.setenv(KEY_VARIABLE, "the-force-audit-key-kept-in-its-secret-store")
    assert [e.who for e in entries(db)] == ["a.supervisor", "a.supervisor"]
    assert verify_database(db) == []
