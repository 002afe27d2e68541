"""Concerns follow their child when linkage finds two records are one person, or one is two."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.ingest.importer import import_files
from childfirst.linkage.clustering import cluster
from childfirst.linkage.index import write_clusters
from childfirst.rules.concerns import close
from childfirst.rules.identity import follow_linkage
from childfirst.rules.service import evaluate_events, evaluate_store
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import (
    Action,
    Concern,
    ConcernEvidence,
    ConcernLog,
    LinkageDecision,
    LinkageRun,
    MasterMembership,
    MasterPerson,
)
from tests.factories import event, location, person, source, write_jsonl


def health(record: dict[str, Any], rid: str) -> dict[str, Any]:
    record["source"] = {**source(rid), "agency": "northmoor-health", "agency_kind": "health"}
    return record


def test_two_records_of_one_child_become_one_concern(db: Database, tmp_path: Path) -> None:
    # The same 15-year-old is reported missing to the police and attends A&E on return, and each
    # agency holds its own record of her; both records see repeat episodes.
    records: list[dict[str, Any]] = [location(), person("P1", date_of_birth="2010-05-05")]
    records += [
        event(
            f"M{n}",
            event_type="missing_reported",
            occurred_at=f"2025-0{n}-10T22:00:00",
            links=[{"role": "subject", "person": "P1"}],
            details={},
        )
        for n in (1, 2, 3)
    ]
    summary = import_files(db, [write_jsonl(tmp_path / "a.jsonl", records)])
    evaluate_events(db, summary.events_touched)
    police = record_id("person", "northmoor-police", "niche", "P1")
    with db.session() as session:
        before = session.scalars(select(Concern).where(Concern.child_id == police)).all()
    assert {c.rule_id for c in before} >= {"missing.repeat-episodes"}

    now = utcnow()
    with db.session(write=True) as session:
        run = LinkageRun(kind="batch", started_at=now, link_threshold=0.9, review_threshold=0.3)
        session.add(run)
        session.flush()
        session.add(MasterPerson(id="mp_test_child", created_at=now, created_by_run=run.id))
        session.flush()
        session.execute(
            insert(MasterMembership),
            [
                {
                    "person_id": police,
                    "master_id": "mp_test_child",
                    "run_id": run.id,
                    "assigned_at": now,
                }
            ],
        )
        moved, merged = follow_linkage(session)
    assert moved == len(before)
    assert merged == 0
    with db.session() as session:
        after = session.scalars(select(Concern)).all()
        log = session.scalars(select(ConcernLog.what).where(ConcernLog.what == "moved")).all()
    assert {c.child_id for c in after} == {"mp_test_child"}
    assert len(log) == len(before)


def test_duplicate_concerns_merge_and_keep_their_history(db: Database, tmp_path: Path) -> None:
    police_child = person("P1", date_of_birth="2010-05-05")
    health_child = health(person("H1", date_of_birth="2010-05-05"), "H1")
    episodes = []
    for who, agency in (("P1", "northmoor-police"), ("H1", "northmoor-health")):
        for n in (1, 2, 3):
            e = event(
                f"{who}M{n}",
                event_type="missing_reported",
                occurred_at=f"2025-0{n}-1{n}T22:00:00",
                location=None,
                links=[{"role": "subject", "person": who}],
                details={},
            )
            if agency == "northmoor-health":
                e = health(e, f"{who}M{n}")
            episodes.append(e)
    summary = import_files(
        db, [write_jsonl(tmp_path / "a.jsonl", [police_child, health_child, *episodes])]
    )
    evaluate_events(db, summary.events_touched)
    ids = [
        record_id("person", "northmoor-police", "niche", "P1"),
        record_id("person", "northmoor-health", "niche", "H1"),
    ]
    now = utcnow()
    with db.session(write=True) as session:
        run = LinkageRun(kind="batch", started_at=now, link_threshold=0.9, review_threshold=0.3)
        session.add(run)
        session.flush()
        session.add(MasterPerson(id="mp_test_child", created_at=now, created_by_run=run.id))
        session.flush()
        session.execute(
            insert(MasterMembership),
            [
                {"person_id": i, "master_id": "mp_test_child", "run_id": run.id, "assigned_at": now}
                for i in ids
            ],
        )
        follow_linkage(session)
    with db.session() as session:
        repeat = session.scalars(
            select(Concern).where(Concern.rule_id == "missing.repeat-episodes")
        ).all()
        open_actions = session.scalars(
            select(Action).where(
                Action.status == "open", Action.concern_id.in_([c.id for c in repeat])
            )
        ).all()
    statuses = sorted(c.status for c in repeat)
    assert statuses == ["merged", "open"]
    merged = next(c for c in repeat if c.status == "merged")
    kept = next(c for c in repeat if c.status == "open")
    assert kept.child_id == "mp_test_child"
    assert merged.closed_reason is not None
    assert str(kept.id) in merged.closed_reason
    assert {a.concern_id for a in open_actions} == {kept.id}


# When linkage splits a master person, the concerns about the old master are split by evidence.

POLICE = ("person", "northmoor-police", "niche")


def police(sid: str) -> str:
    return record_id(*POLICE, sid)


def missing(who: str, days: list[str]) -> list[dict[str, Any]]:
    return [
        event(
            f"{who}M{n}",
            event_type="missing_reported",
            occurred_at=f"{day}T22:00:00",
            links=[{"role": "subject", "person": who}],
            details={},
        )
        for n, day in enumerate(days)
    ]


def linked_area(
    db: Database, tmp_path: Path, people: list[str], episodes: dict[str, list[str]]
) -> None:
    """Police records of girls of the same name and birthday, wrongly linked as one, and their
    missing episodes judged by the rules as one child's."""
    records: list[dict[str, Any]] = [location()]
    records += [person(p, "Kayleigh", "Walsh", date_of_birth="2011-04-02") for p in people]
    for who, days in episodes.items():
        records += missing(who, days)
    summary = import_files(db, [write_jsonl(tmp_path / "area.jsonl", records)])
    ids = [police(p) for p in people]
    with db.session(write=True) as session:
        run = _run(session, "batch")
        edges = [(a, b, 0.95) for a, b in itertools.pairwise(ids)]
        write_clusters(session, run, cluster(ids, edges, threshold=0.9), {})
    evaluate_events(db, summary.events_touched)


def _run(session: Session, kind: str) -> int:
    run = LinkageRun(kind=kind, started_at=utcnow(), link_threshold=0.9, review_threshold=0.3)
    session.add(run)
    session.flush()
    return run.id


def decide_apart(db: Database, people: list[str], a: str, b: str) -> tuple[int, tuple[int, int]]:
    """A clerical "not the same person" decision on two records, taking effect as the decision
    path does: the master's records re-clustered under it in a decision run, then concerns
    following. Returns the decision and what following linkage did."""
    ids = [police(p) for p in people]
    first, second = sorted((police(a), police(b)))
    with db.session(write=True) as session:
        decision = LinkageDecision(
            record_a=first,
            record_b=second,
            decision="not_same",
            decided_by="analyst1",
            decided_at=utcnow(),
            reason="Two girls: different schools and mothers",
        )
        session.add(decision)
        session.flush()
        run = _run(session, "decision")
        edges = [(x, y, 0.95) for x, y in itertools.pairwise(ids)]
        clusters = cluster(ids, edges, threshold=0.9, not_same=[(first, second)])
        write_clusters(session, run, clusters, {(first, second): decision.id}, scope=ids)
        session.execute(
            update(MasterMembership)
            .where(MasterMembership.person_id.in_([first, second]))
            .values(decision_id=decision.id)
        )
        followed = follow_linkage(session)
        return decision.id, followed


def masters(db: Database) -> dict[str, str]:
    with db.session() as session:
        rows = session.execute(select(MasterMembership.person_id, MasterMembership.master_id))
        return {str(p): str(m) for p, m in rows}


def evidence(db: Database, concern_id: int) -> set[str]:
    with db.session() as session:
        rows = session.scalars(
            select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == concern_id)
        )
        return set(rows)


def events_of(*ids: str) -> set[str]:
    return {record_id("event", "northmoor-police", "niche", i) for i in ids}


def repeat_concerns(db: Database) -> list[Concern]:
    with db.session() as session:
        rows = session.scalars(
            select(Concern).where(Concern.rule_id == "missing.repeat-episodes").order_by(Concern.id)
        )
        return list(rows)


def log_of(db: Database, concern_id: int) -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.execute(
            select(ConcernLog.what, ConcernLog.why)
            .where(ConcernLog.concern_id == concern_id)
            .order_by(ConcernLog.id)
        )
        return [(str(what), str(why)) for what, why in rows]


def snapshot(db: Database) -> dict[str, Any]:
    """Everything about concerns that following linkage could change."""
    with db.session() as session:
        return {
            "concerns": session.execute(
                select(Concern.id, Concern.child_id, Concern.status, Concern.version)
            ).all(),
            "evidence": set(
                session.execute(select(ConcernEvidence.concern_id, ConcernEvidence.event_id))
            ),
            "actions": session.execute(select(Action.id, Action.concern_id, Action.status)).all(),
            "log": session.scalar(select(func.count()).select_from(ConcernLog)),
        }


TWO_GIRLS = ["P1", "P2"]
EPISODES = {
    "P1": ["2025-01-10", "2025-02-10", "2025-03-10"],
    "P2": ["2025-03-20", "2025-04-10"],
}


def test_a_decision_splitting_a_master_splits_its_concern_by_evidence(
    db: Database, tmp_path: Path
) -> None:
    # Two girls' records were linked as one child reported missing five times; the first girl
    # went missing three times, the second twice, most recently.
    linked_area(db, tmp_path, TWO_GIRLS, EPISODES)
    (before,) = repeat_concerns(db)
    assert evidence(db, before.id) == events_of("P1M0", "P1M1", "P1M2", "P2M0", "P2M1")
    decision, (moved, merged) = decide_apart(db, TWO_GIRLS, "P1", "P2")
    assert (moved, merged) == (1, 0)
    now = masters(db)
    assert now[police("P1")] != now[police("P2")]
    kept, part = repeat_concerns(db)
    # The concern stays with the girl whose episode is the most recent; the other girl has her
    # own concern of the same rule and key, holding her own episodes only.
    assert kept.id == before.id
    assert kept.child_id == now[police("P2")]
    assert evidence(db, kept.id) == events_of("P2M0", "P2M1")
    assert (part.child_id, part.rule_id, part.key) == (
        now[police("P1")],
        kept.rule_id,
        kept.key,
    )
    assert part.status == "open"
    assert evidence(db, part.id) == events_of("P1M0", "P1M1", "P1M2")
    assert (part.first_event_at.date().isoformat(), part.last_event_at.date().isoformat()) == (
        "2025-01-10",
        "2025-03-10",
    )
    split = [why for what, why in log_of(db, kept.id) if what == "split"]
    assert len(split) == 1
    assert f"decision {decision}" in split[0]
    assert f"concern {part.id}" in split[0]
    (split_from,) = [why for what, why in log_of(db, part.id) if what == "split from"]
    assert f"split from concern {kept.id}" in split_from
    assert f"decision {decision}" in split_from
    assert police("P1") in split_from
    with db.session() as session:
        actions = session.execute(
            select(Action.concern_id, Action.title, Action.status).order_by(Action.id)
        ).all()
    titles = {c: sorted(t for i, t, _ in actions if i == c) for c in (kept.id, part.id)}
    assert titles[part.id] == titles[kept.id] != []  # the other girl needs the same actions
    assert {s for _, _, s in actions} == {"open"}


def test_a_concern_whose_evidence_is_all_on_one_side_moves_wholly(
    db: Database, tmp_path: Path
) -> None:
    # P2 and P3 are one girl known twice, P1 another girl: only P1 has been missing.
    people = ["P1", "P2", "P3"]
    linked_area(db, tmp_path, people, {"P1": EPISODES["P1"]})
    (before,) = repeat_concerns(db)
    old_master = before.child_id
    count = len(_all_concerns(db))
    decision, (moved, merged) = decide_apart(db, people, "P1", "P2")
    assert (moved, merged) == (1, 0)
    now = masters(db)
    assert now[police("P2")] == now[police("P3")] == old_master  # the larger part keeps the id
    (after,) = repeat_concerns(db)
    assert after.id == before.id
    assert after.child_id == now[police("P1")] != old_master
    assert evidence(db, after.id) == events_of("P1M0", "P1M1", "P1M2")
    (why,) = [why for what, why in log_of(db, after.id) if what == "moved"]
    assert f"decision {decision}" in why
    assert old_master in why
    assert len(_all_concerns(db)) == count  # nothing was split off


def _all_concerns(db: Database) -> list[int]:
    with db.session() as session:
        return list(session.scalars(select(Concern.id)))


def test_a_closed_concern_stays_closed_on_both_sides_with_its_reason(
    db: Database, tmp_path: Path
) -> None:
    linked_area(db, tmp_path, TWO_GIRLS, EPISODES)
    (concern,) = repeat_concerns(db)
    reason = "Strategy discussion held; safety plan agreed with the family and the school"
    with db.session(write=True) as session:
        close(session, concern.id, by="sgt.ahmed", reason=reason)
    decide_apart(db, TWO_GIRLS, "P1", "P2")
    kept, part = repeat_concerns(db)
    for side in (kept, part):
        assert side.status == "closed"
        assert (side.closed_by, side.closed_reason) == ("sgt.ahmed", reason)
    carried = [why for what, why in log_of(db, part.id) if what == "closed"]
    assert len(carried) == 1
    assert f"concern {kept.id}" in carried[0]
    assert "split" in carried[0]
    assert reason in carried[0]


def test_following_linkage_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    linked_area(db, tmp_path, TWO_GIRLS, EPISODES)
    decide_apart(db, TWO_GIRLS, "P1", "P2")
    after = snapshot(db)
    with db.session(write=True) as session:
        assert follow_linkage(session) == (0, 0)
    assert snapshot(db) == after
    # The rules, judging the store again, agree: neither girl's episodes join the other's concern.
    evaluate_store(db)
    kept, part = repeat_concerns(db)
    assert evidence(db, kept.id) == events_of("P2M0", "P2M1")
    assert evidence(db, part.id) == events_of("P1M0", "P1M1", "P1M2")
    with db.session(write=True) as session:
        assert follow_linkage(session) == (0, 0)


def test_splitting_and_joining_again_deletes_nothing(db: Database, tmp_path: Path) -> None:
    linked_area(db, tmp_path, TWO_GIRLS, EPISODES)
    seen = [snapshot(db)]
    decision, _ = decide_apart(db, TWO_GIRLS, "P1", "P2")
    seen.append(snapshot(db))
    # The decision is withdrawn: the two records are one child again, and so are the concerns.
    ids = [police(p) for p in TWO_GIRLS]
    with db.session(write=True) as session:
        session.execute(
            update(LinkageDecision)
            .where(LinkageDecision.id == decision)
            .values(reversed_by="analyst2", reversed_at=utcnow(), reversed_reason="Mistyped")
        )
        run = _run(session, "decision")
        edges = [(ids[0], ids[1], 0.95)]
        write_clusters(session, run, cluster(ids, edges, threshold=0.9), {}, scope=ids)
        assert follow_linkage(session) == (0, 1)
    seen.append(snapshot(db))
    for earlier, later in itertools.pairwise(seen):
        assert {c[0] for c in earlier["concerns"]} <= {c[0] for c in later["concerns"]}
        assert later["log"] > earlier["log"]
        assert {a[0] for a in earlier["actions"]} <= {a[0] for a in later["actions"]}
        assert {e for _, e in earlier["evidence"]} <= {e for _, e in later["evidence"]}
    statuses = sorted(c.status for c in repeat_concerns(db))
    assert statuses == ["merged", "open"]
    (joined,) = [c for c in repeat_concerns(db) if c.status == "open"]
    assert evidence(db, joined.id) == events_of("P1M0", "P1M1", "P1M2", "P2M0", "P2M1")


def test_a_concern_whose_evidence_names_neither_side_stays_and_is_flagged(
    db: Database, tmp_path: Path
) -> None:
    # A concern about the linked child rests only on an incident of an adult (P9), which links
    # none of the child's records: after the split no one can tell which girl it is about.
    linked_area(db, tmp_path, TWO_GIRLS, {})
    records = [
        person("P9", "Lee", "Carver", date_of_birth="1980-01-01"),
        event("E9", links=[{"role": "suspect", "person": "P9"}]),
    ]
    import_files(db, [write_jsonl(tmp_path / "adult.jsonl", records)])
    master = masters(db)[police("P1")]
    now = utcnow()
    with db.session(write=True) as session:
        concern = Concern(
            rule_id="household.hidden-adult",
            child_id=master,
            key="adult-P9",
            severity="high",
            status="open",
            explanation="An adult with a history of violence is linked to the child's household.",
            learning=[],
            first_event_at=now,
            last_event_at=now,
            raised_at=now,
            updated_at=now,
        )
        session.add(concern)
        session.flush()
        session.add(
            ConcernEvidence(concern_id=concern.id, event_id=events_of("E9").pop(), added_at=now)
        )
        concern_id = concern.id
    decide_apart(db, TWO_GIRLS, "P1", "P2")
    with db.session() as session:
        after = session.get(Concern, concern_id)
        assert after is not None
        assert (after.child_id, after.status) == (master, "open")
    flags = [why for what, why in log_of(db, concern_id) if what == "needs review"]
    assert len(flags) == 1
    assert master in flags[0]
    with db.session(write=True) as session:
        follow_linkage(session)
    assert [w for w, _ in log_of(db, concern_id)].count("needs review") == 1
