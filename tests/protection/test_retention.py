"""The retention review: who is due under the schedule, and decisions to retain or erase, audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from childfirst.audit.chain import people_of
from childfirst.errors import ConcurrentEditError, ConfigurationError, InvalidValueError
from childfirst.protection.config import CONFIG_VARIABLE, load_schedule
from childfirst.protection.retention import NotDueForReviewError, decide, due_for_review
from childfirst.store.access import AuditEntry
from childfirst.store.models import Person
from childfirst.store.protection import Erasure, RetentionDecision
from childfirst.web.audit import Actor
from tests.protection.conftest import GIRL, MOTHER, PARTNER, Family

SUPERVISOR = Actor("sgt.okafor", "supervisor")


def due_on(family: Family, day: date) -> dict[str, date]:
    due = due_for_review(family.db, SUPERVISOR, today=day)
    assert due.total == len(due.people)
    return {r.person_key: r.due_on for r in due.people}


def test_each_person_is_due_when_their_group_says(family: Family) -> None:
    # The mother (victim, adult): 6 years after the last incident. The partner (suspect of
    # domestic abuse): 10 years. The girl: not before she would be 25.
    assert due_on(family, date(2031, 3, 1)) == {}
    assert due_on(family, date(2031, 3, 2)) == {MOTHER: date(2031, 3, 2)}
    assert due_on(family, date(2035, 3, 2)) == {MOTHER: date(2031, 3, 2), PARTNER: date(2035, 3, 2)}
    later = due_on(family, date(2042, 7, 1))
    assert later[GIRL] == date(2042, 6, 30)


def test_listing_who_is_due_is_audited_with_the_people_listed(family: Family) -> None:
    shown = due_for_review(family.db, SUPERVISOR, today=date(2035, 6, 1), limit=1)
    assert (len(shown.people), shown.total) == (1, 2)
    with family.db.session() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "retention.list_due")
        ).one()
    assert entry.who == "sgt.okafor"
    assert entry.why == f"1 of 2 due: {MOTHER}"  # the longest overdue, the one listed
    assert people_of(entry) == [MOTHER]  # so it shows on her "who has looked" page


def test_a_decision_to_retain_sets_the_next_review_and_is_audited(family: Family) -> None:
    made = decide(
        family.db,
        SUPERVISOR,
        MOTHER,
        "retain",
        "the partner is still a risk to her",
        today=date(2031, 6, 1),
    )
    assert (made.group, made.next_review_on) == ("other", date(2037, 6, 1))
    assert MOTHER not in due_on(family, date(2036, 1, 1))
    assert MOTHER in due_on(family, date(2037, 6, 1))
    with family.db.session() as session:
        row = session.scalars(select(RetentionDecision)).one()
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "retention.retain")
        ).one()
    assert (row.decided_by, row.reason) == ("sgt.okafor", "the partner is still a risk to her")
    assert entry.target_id == MOTHER
    assert (entry.child_id, people_of(entry)) == (MOTHER, [MOTHER])
    assert "the partner is still a risk" in (entry.why or "")


def test_a_decision_to_erase_erases_under_the_decision(family: Family) -> None:
    made = decide(
        family.db,
        SUPERVISOR,
        PARTNER,
        "erase",
        "no further policing purpose",
        today=date(2035, 6, 1),
    )
    assert made.erased == [PARTNER]
    with family.db.session() as session:
        tombstone = session.scalars(select(Erasure)).one()
        person = session.get(Person, PARTNER)
    assert tombstone.decision_id == made.id
    assert person is not None
    assert person.given_name is None
    assert PARTNER not in due_on(family, date(2050, 1, 1))


def test_a_child_record_is_not_erased_before_the_schedule_allows(family: Family) -> None:
    with pytest.raises(NotDueForReviewError, match=r"not due for review until 2042-06-30"):
        decide(family.db, SUPERVISOR, GIRL, "erase", "asked to", today=date(2031, 6, 1))
    with family.db.session() as session:
        assert session.scalars(select(Erasure)).first() is None
        assert session.scalars(select(RetentionDecision)).first() is None


def test_a_review_erases_nobody_who_is_not_due(family: Family) -> None:
    # The partner (a domestic abuse suspect) is due in March 2035, not in 2031.
    assert PARTNER not in due_on(family, date(2031, 6, 1))
    with pytest.raises(NotDueForReviewError, match=r"not due for review until 2035-03-02"):
        decide(family.db, SUPERVISOR, PARTNER, "erase", "tidy up", today=date(2031, 6, 1))
    with family.db.session() as session:
        assert session.scalars(select(Erasure)).first() is None
        assert session.scalars(select(RetentionDecision)).first() is None
        person = session.get(Person, PARTNER)
        assert person is not None
        assert person.given_name == "Dean"


def test_erasing_after_a_colleague_decided_to_retain_is_a_conflict(family: Family) -> None:
    day = date(2035, 6, 1)  # both the mother and the partner are due
    kept = decide(family.db, SUPERVISOR, PARTNER, "retain", "new intelligence", today=day)
    # Someone who loaded the list before that decision (and so saw none) tries to erase him.
    with pytest.raises(ConcurrentEditError, match=r"changed by sgt\.okafor") as refused:
        decide(family.db, Actor("sgt.price", "supervisor"), PARTNER, "erase", "due", today=day)
    assert refused.value.actual == kept.id
    # Having seen the decision, he is not due again until it says.
    with pytest.raises(NotDueForReviewError):
        decide(family.db, SUPERVISOR, PARTNER, "erase", "due", last_seen=kept.id, today=day)
    with family.db.session() as session:
        assert session.scalars(select(Erasure)).first() is None
        assert [d.decision for d in session.scalars(select(RetentionDecision))] == ["retain"]
        person = session.get(Person, PARTNER)
        assert person is not None
        assert person.given_name == "Dean"


def test_a_decision_needs_a_reason_and_a_known_kind(family: Family) -> None:
    with pytest.raises(InvalidValueError, match="needs a reason"):
        decide(family.db, SUPERVISOR, MOTHER, "retain", " ")
    with pytest.raises(InvalidValueError, match="'retain' or 'erase'"):
        decide(family.db, SUPERVISOR, MOTHER, "archive", "why not")


def test_a_force_schedule_replaces_the_defaults(
    family: Family, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "protection.toml"
    config.write_text(
        '[retention.groups.violence]\nlabel = "Violence"\nevent_types = ["domestic_abuse"]\n'
        'roles = ["suspect"]\nreview_years = 3\n\n'
        '[retention.groups.everyone]\nlabel = "Everyone else"\nreview_years = 12\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(CONFIG_VARIABLE, str(config))
    assert [g.name for g in load_schedule().groups] == ["violence", "everyone"]
    # The partner is in both groups: the later date holds.
    assert due_on(family, date(2037, 3, 2)) == {
        MOTHER: date(2037, 3, 2),
        PARTNER: date(2037, 3, 2),
        GIRL: date(2037, 3, 2),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[retention.groups.a]\nreview_years = 0\n", "whole number of years"),
        ("[retention.groups.a]\nreview_years = 6\nroles = ['boss']\n", "must be a list of"),
        ("[retention.groups.a]\nreview_years = 6\nchild = true\n", "one group must have no test"),
        ("[retention.groups.a]\nreview_years = 6\ncolour = 'red'\n", "unknown setting"),
        ("[calendar]\n", "unknown section"),
    ],
)
def test_a_wrong_schedule_is_refused_naming_the_key(
    tmp_path: Path, text: str, message: str
) -> None:
    config = tmp_path / "protection.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message):
        load_schedule(config)
