"""The retention review: who is due under the schedule, and decisions to retain or erase, audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from childfirst.errors import ConfigurationError, InvalidValueError
from childfirst.protection.config import CONFIG_VARIABLE, load_schedule
from childfirst.protection.retention import decide, due_for_review
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
    with pytest.raises(InvalidValueError, match=r"until age 25 \(2042-06-30\)"):
        decide(family.db, SUPERVISOR, GIRL, "erase", "asked to", today=date(2031, 6, 1))
    with family.db.session() as session:
        assert session.scalars(select(Erasure)).first() is None
        assert session.scalars(select(RetentionDecision)).first() is None


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
