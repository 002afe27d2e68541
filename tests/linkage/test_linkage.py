"""Linking person records across agencies into master persons, on both backends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from childfirst.ingest.importer import import_files
from childfirst.linkage import decide, link_all, master_of, match_new, members, reverse_decision
from childfirst.linkage.index import review_queue, save_model
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import LinkageRun, MasterMembershipLog
from tests.factories import location, write_jsonl

AGENCIES = {
    "police": ("northmoor-police", "police", "niche"),
    "health": ("northmoor-health", "health", "systmone"),
    "csc": ("northmoor-csc", "childrens_social_care", "mosaic"),
    "schools": ("northmoor-schools", "education", "sims"),
}


def _person(
    where: str, sid: str, given: str, family: str, dob: str | None, sex: str, place: str,
    **fields: Any,
) -> dict[str, Any]:  # fmt: skip
    agency, kind, system = AGENCIES[where]
    record: dict[str, Any] = {
        "kind": "person",
        "source": {"agency": agency, "agency_kind": kind, "system": system, "id": sid},
        "name": {"given_name": given, "family_name": family},
        "sex": sex,
        "addresses": [{"location": place, "from_date": "2020-01-01"}],
        **fields,
    }
    if dob:
        record["date_of_birth"] = dob
    return record


FILLER_GIVEN = [
    "Ava",
    "Ruby",
    "Isla",
    "Grace",
    "Evie",
    "Poppy",
    "Freya",
    "Ivy",
    "Rosie",
    "Maya",
] * 3
FILLER_FAMILY = [f"Family{c}{d}" for c in "ABCDEF" for d in "XYZVW"]


def _places(where: str) -> list[dict[str, Any]]:
    agency, kind, system = AGENCIES[where]
    result = []
    for code, line in (("A1", "4 Mill Lane, Northmoor"), ("A2", "19 Park Way, Northmoor")):
        place = location(code, address=line, postcode="NM4 7QT" if code == "A1" else "NM9 2JL")
        place["source"] = {"agency": agency, "agency_kind": kind, "system": system, "id": code}
        result.append(place)
    return result


def rid(where: str, sid: str) -> str:
    agency, _, system = AGENCIES[where]
    return record_id("person", agency, system, sid)


def _import(db: Database, path: Path, records: list[dict[str, Any]]) -> None:
    import_files(db, [write_jsonl(path, records)])


@pytest.fixture
def linked(db: Database, tmp_path: Path, trained_model: dict[str, Any]) -> Database:
    """Records of a few people across agencies, linked with the trained model."""
    records = [*_places("police"), *_places("health"), *_places("csc"), *_places("schools")]
    records += [
        # Daniel Okafor, known to police as Danny.
        _person("health", "H1", "Daniel", "Okafor", "1990-04-07", "male", "A1"),
        _person("police", "P1", "Danny", "Okafor", "1990-04-07", "male", "A1"),
        # Day and month transposed by social care.
        _person("health", "H2", "Chloe", "Brennan", "2011-03-09", "female", "A2"),
        _person("csc", "C2", "Chloe", "Brennan", "2011-09-03", "female", "A2"),
        # Married and moved: the school knows her by her new name, with the old one as maiden.
        _person("health", "H3", "Rachel", "Dunmore", "1985-11-21", "female", "A1"),
        _person(
            "schools",
            "S3",
            "Rachel",
            "Adeyemi",
            "1985-11-21",
            "female",
            "A2",
            aliases=[{"family_name": "Dunmore", "kind": "maiden"}],
        ),
        # Two different John Smiths born the same year, living apart.
        _person("police", "P4", "John", "Smith", "1979-02-14", "male", "A1"),
        _person("health", "H5", "John", "Smith", "1979-08-30", "male", "A2"),
    ]
    # Other people of the area, so that names are as rare here as they are in a real index.
    for i, (given, family) in enumerate(zip(FILLER_GIVEN * 4, FILLER_FAMILY * 4, strict=True)):
        dob = f"{1950 + i % 60}-{1 + i % 12:02d}-{1 + i % 27:02d}"
        records.append(_person("health", f"F{i}", f"{given}{i}", family, dob, "female", "A2"))
    _import(db, tmp_path / "people.jsonl", records)
    save_model(db, trained_model, records=0)
    link_all(db)
    return db


def _same(db: Database, a: str, b: str) -> bool:
    masters = master_of(db, [a, b])
    return masters[a] == masters[b]


@pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlglot")
def test_nickname_transposed_birth_date_and_surname_change_link(linked: Database) -> None:
    assert _same(linked, rid("health", "H1"), rid("police", "P1"))
    assert _same(linked, rid("health", "H2"), rid("csc", "C2"))
    assert _same(linked, rid("health", "H3"), rid("schools", "S3"))


def test_two_john_smiths_born_the_same_year_stay_two_people(linked: Database) -> None:
    assert not _same(linked, rid("police", "P4"), rid("health", "H5"))


def test_a_master_lists_its_records_with_how_strongly_they_are_linked(linked: Database) -> None:
    master = master_of(linked, [rid("police", "P1")])[rid("police", "P1")]
    records = members(linked, master)
    assert {r["agency"] for r in records} == {"northmoor-health", "northmoor-police"}
    assert all(r["match_probability"] > 0.9 for r in records)


def _moves(db: Database, run_id: int) -> list[tuple[str, str | None, str]]:
    with db.session() as session:
        rows = session.execute(
            select(
                MasterMembershipLog.person_id,
                MasterMembershipLog.from_master,
                MasterMembershipLog.to_master,
            ).where(MasterMembershipLog.run_id == run_id)
        ).all()
    return [(str(p), f, str(t)) for p, f, t in rows]


def _latest_run(db: Database) -> LinkageRun:
    with db.session() as session:
        run = session.scalars(select(LinkageRun).order_by(LinkageRun.id.desc()).limit(1)).one()
    return run


def test_a_not_the_same_decision_splits_the_master_at_once_with_a_trace(
    linked: Database,
) -> None:
    danny, daniel = rid("police", "P1"), rid("health", "H1")
    before = master_of(linked, [danny])[danny]
    decision = decide(
        linked, danny, daniel, "not_same", who="analyst1", why="Different NHS numbers"
    )
    assert not _same(linked, danny, daniel)
    run = _latest_run(linked)
    assert (run.kind, run.moved) == ("decision", 1)
    ((moved, from_master, to_master),) = _moves(linked, run.id)
    assert moved in (danny, daniel)
    assert from_master == before
    assert to_master != before
    held = {r["person_id"]: r["decision_id"] for r in members(linked, to_master)}
    assert held[moved] == decision


def test_a_not_the_same_decision_survives_relinking_and_can_be_reversed(linked: Database) -> None:
    danny, daniel = rid("police", "P1"), rid("health", "H1")
    decision = decide(
        linked, danny, daniel, "not_same", who="analyst1", why="Different NHS numbers"
    )
    link_all(linked)
    assert not _same(linked, danny, daniel)
    link_all(linked)
    assert not _same(linked, danny, daniel)
    reverse_decision(linked, decision, who="analyst2", why="NHS number was mistyped")
    assert _same(linked, danny, daniel)  # at once, not only at the next run
    reversal = _latest_run(linked)
    assert (reversal.kind, reversal.moved) == ("decision", 1)
    summary = link_all(linked)
    assert _same(linked, danny, daniel)
    assert _moves(linked, summary.run_id) == []  # the batch agrees: nothing left to move
    with linked.session() as session:
        kinds = list(session.scalars(select(LinkageRun.kind).order_by(LinkageRun.id)))
    assert kinds == ["batch", "decision", "batch", "batch", "decision", "batch"]


def test_a_same_decision_links_what_the_model_would_not(linked: Database) -> None:
    john_a, john_b = rid("police", "P4"), rid("health", "H5")
    decision = decide(
        linked, john_a, john_b, "same", who="analyst1", why="Confirmed by the GP surgery"
    )
    assert _same(linked, john_a, john_b)  # at once
    master = master_of(linked, [john_a])[john_a]
    assert {r["decision_id"] for r in members(linked, master)} == {decision}
    link_all(linked)
    assert _same(linked, john_a, john_b)
    reverse_decision(linked, decision, who="analyst2", why="The surgery had two John Smiths")
    assert not _same(linked, john_a, john_b)


def test_a_decision_before_any_model_waits_for_the_first_run(db: Database, tmp_path: Path) -> None:
    records = [*_places("police"), *_places("health")]
    records += [
        _person("health", "H1", "Daniel", "Okafor", "1990-04-07", "male", "A1"),
        _person("police", "P1", "Danny", "Okafor", "1990-04-07", "male", "A1"),
    ]
    _import(db, tmp_path / "people.jsonl", records)
    decide(db, rid("police", "P1"), rid("health", "H1"), "same", who="analyst1", why="Same man")
    assert master_of(db, [rid("police", "P1")]) == {}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(LinkageRun)) == 0


def test_a_new_record_joins_its_person_at_once(linked: Database, tmp_path: Path) -> None:
    _import(
        linked,
        tmp_path / "new.jsonl",
        [_person("csc", "C9", "Dan", "Okafor", "1990-04-07", "male", "A1")],
    )
    (assignment,) = match_new(linked, [rid("csc", "C9")])
    assert not assignment.new_master
    assert _same(linked, rid("csc", "C9"), rid("health", "H1"))


def test_a_new_stranger_gets_a_master_of_their_own(linked: Database, tmp_path: Path) -> None:
    _import(
        linked,
        tmp_path / "new.jsonl",
        [_person("csc", "C8", "Priya", "Raman", "2014-12-01", "female", "A2")],
    )
    (assignment,) = match_new(linked, [rid("csc", "C8")])
    assert assignment.new_master
    assert master_of(linked, [rid("csc", "C8")])[rid("csc", "C8")] == assignment.master_id


def test_unsure_pairs_wait_for_review_side_by_side(linked: Database, tmp_path: Path) -> None:
    # Same name, birth date one digit apart, different address: neither sure nor unlikely.
    _import(
        linked,
        tmp_path / "new.jsonl",
        [_person("csc", "C7", "Chloe", "Brennan", "2011-03-08", "female", "A1")],
    )
    match_new(linked, [rid("csc", "C7")])
    queue = review_queue(linked)
    assert queue, "expected the doubtful pair in the review queue"
    item = queue[0]
    assert {item["left"]["family_name"], item["right"]["family_name"]} == {"Brennan"}
    assert set(item["evidence"]) == {"given_name", "surname", "dob", "postcode", "sex"}
    assert item["evidence"]["dob"]["match_weight"] < item["evidence"]["surname"]["match_weight"]


def test_two_new_records_of_one_new_person_join_each_other(
    linked: Database, tmp_path: Path
) -> None:
    _import(
        linked,
        tmp_path / "new.jsonl",
        [
            _person("csc", "C6", "Priya", "Raman", "2014-12-01", "female", "A2"),
            _person("schools", "S6", "Priya", "Raman", "2014-12-01", "female", "A2"),
        ],
    )
    assignments = match_new(linked, [rid("csc", "C6"), rid("schools", "S6")])
    assert sum(a.new_master for a in assignments) == 1
    assert _same(linked, rid("csc", "C6"), rid("schools", "S6"))
