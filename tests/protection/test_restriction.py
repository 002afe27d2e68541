"""Restriction of processing: the person is out of the rules and search, shown only for a named
purpose, audited, and back in everything once the restriction is lifted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from childfirst.errors import InvalidValueError, NotFoundError
from childfirst.ingest.importer import import_files
from childfirst.protection.restricted import RESTRICTED_NAME, RESTRICTED_NOTE
from childfirst.protection.restriction import RestrictedError, lift, restrict, use_restricted
from childfirst.rules.service import evaluate_events, evaluate_store
from childfirst.search.events import EventsQuery, search_events
from childfirst.search.people import PeopleQuery, search_people
from childfirst.store.access import AuditEntry
from childfirst.store.models import Concern
from childfirst.web.audit import Actor
from tests.factories import event, write_jsonl
from tests.protection.conftest import GIRL, PARTNER, PARTNER_SOURCE_ID, Family

DPO = Actor("dpo.hughes", "administrator")
TODAY = date(2026, 1, 10)


def concerns_about_the_girl(family: Family) -> set[str]:
    with family.db.session() as session:
        return set(session.scalars(select(Concern.rule_id).where(Concern.child_id == GIRL)))


def test_a_restricted_child_raises_no_concern_until_it_is_lifted(family: Family) -> None:
    restrict(family.db, DPO, GIRL, "accuracy of the record contested", ["accuracy"])
    evaluate_store(family.db)
    assert concerns_about_the_girl(family) == set()

    lift(family.db, DPO, GIRL, "the record was checked and is accurate")
    evaluate_store(family.db)
    assert "domestic-abuse.cumulative-pattern" in concerns_about_the_girl(family)


def test_a_restricted_person_is_left_out_of_search_and_the_search_says_so(
    family: Family,
) -> None:
    found = search_people(family.db, PeopleQuery(name="Dean Cole"), today=TODAY)
    assert [hit.records[0].person_id for hit in found.hits] == [PARTNER]

    restrict(family.db, DPO, PARTNER, "held as evidence only", ["evidence"])
    found = search_people(family.db, PeopleQuery(name="Dean Cole"), today=TODAY)
    assert found.hits == []
    assert RESTRICTED_NOTE in found.understood
    events = search_events(family.db, EventsQuery(reference="NM/25/E1"), today=TODAY)
    names = {p.name for hit in events.hits for p in hit.people}
    assert RESTRICTED_NAME in names
    assert "Dean Cole" not in names
    assert "Donna Walsh" in names

    lift(family.db, DPO, PARTNER, "proceedings concluded")
    found = search_people(family.db, PeopleQuery(name="Dean Cole"), today=TODAY)
    assert [hit.records[0].person_id for hit in found.hits] == [PARTNER]


def test_a_restricted_record_is_used_only_for_a_named_purpose_and_that_is_audited(
    family: Family,
) -> None:
    restrict(family.db, DPO, PARTNER, "held as evidence only", ["evidence"])
    with family.db.session(write=True) as session:
        with pytest.raises(RestrictedError, match="only for evidence"):
            use_restricted(session, DPO, [PARTNER], None)
        with pytest.raises(RestrictedError):
            use_restricted(session, DPO, [PARTNER], "legal_claims")
        allowed = use_restricted(session, DPO, [PARTNER], "evidence")
        assert use_restricted(session, DPO, [GIRL], None) is None
    assert allowed is not None
    assert "may be used only for: evidence" in allowed.notice
    with family.db.session() as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.target_id == PARTNER)
                .order_by(AuditEntry.seq)
            )
        )
    assert actions == ["restriction.place", "restriction.use"]


def test_placing_and_lifting_need_reasons_and_are_audited(family: Family) -> None:
    with pytest.raises(InvalidValueError, match="needs a reason"):
        restrict(family.db, DPO, PARTNER, "", ["evidence"])
    with pytest.raises(InvalidValueError, match="no such purpose 'curiosity'"):
        restrict(family.db, DPO, PARTNER, "because", ["curiosity"])
    with pytest.raises(NotFoundError):
        lift(family.db, DPO, PARTNER, "never restricted")
    restrict(family.db, DPO, PARTNER, "held as evidence only", ["evidence"])
    with pytest.raises(InvalidValueError, match="already restricted"):
        restrict(family.db, DPO, PARTNER, "again", ["evidence"])
    lifted = lift(family.db, DPO, PARTNER, "proceedings concluded")
    assert lifted.restricted_by == "dpo.hughes"
    with family.db.session() as session:
        whys = list(
            session.scalars(
                select(AuditEntry.why)
                .where(AuditEntry.action.in_(["restriction.place", "restriction.lift"]))
                .order_by(AuditEntry.seq)
            )
        )
    assert len(whys) == 2
    assert "held as evidence only" in (whys[0] or "")
    assert "proceedings concluded" in (whys[1] or "")


def test_a_new_incident_judged_as_it_arrives_raises_nothing_about_a_restricted_child(
    family: Family, tmp_path: Path
) -> None:
    restrict(family.db, DPO, GIRL, "held as evidence only", ["evidence"])
    third = event(
        "E3",
        occurred_at="2025-04-12T22:15:00",
        links=[
            {"role": "victim", "person": "P2"},
            {"role": "suspect", "person": PARTNER_SOURCE_ID},
            {"role": "present", "person": "P1"},
        ],
        details={"children_present": True},
    )
    summary = import_files(family.db, [write_jsonl(tmp_path / "three.jsonl", [third])])
    evaluate_events(family.db, summary.events_touched)
    assert concerns_about_the_girl(family) == set()

    lift(family.db, DPO, GIRL, "proceedings concluded")
    evaluate_events(family.db, summary.events_touched)
    assert "domestic-abuse.operation-encompass" in concerns_about_the_girl(family)
