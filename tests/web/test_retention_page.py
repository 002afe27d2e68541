"""The retention review page: supervisors see who is due and record decisions; others cannot."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.store.identity import record_id
from childfirst.store.models import Person
from childfirst.store.protection import RetentionDecision
from tests.factories import AGENCY, event, location, person, write_jsonl
from tests.web.conftest import SignIn, World

OLD = record_id("person", AGENCY, "niche", "P70")


def an_old_case(world: World, tmp_path: Path) -> None:
    """A man last seen by the police in 2012, long due for review; and a woman as old."""
    import_files(
        world.db,
        [
            write_jsonl(
                tmp_path / "old.jsonl",
                [
                    location("L70", address="4 Tannery Yard, Northmoor", postcode="NM3 2CD"),
                    person("P70", "Gareth", "Pryce", date_of_birth="1970-04-02", sex="male"),
                    person("P71", "Sian", "Pryce", date_of_birth="1972-08-19", sex="female"),
                    event(
                        "E70",
                        event_type="theft",
                        occurred_at="2012-05-01T10:00:00",
                        location="L70",
                        details={},
                        links=[
                            {"role": "suspect", "person": "P70"},
                            {"role": "victim", "person": "P71"},
                        ],
                    ),
                ],
            )
        ],
    )


def test_a_supervisor_retains_one_person_and_erases_another(
    world: World, signed_in: SignIn, tmp_path: Path
) -> None:
    an_old_case(world, tmp_path)
    supervisor = signed_in(Role.SUPERVISOR)
    page = supervisor.client.get("/protection/review")
    assert page.status_code == 200
    assert "Gareth Pryce" in page.text
    assert "Sian Pryce" in page.text
    assert 'href="/protection/review"' in page.text  # in the navigation
    assert 'name="last_decision"' in page.text  # each decision says which it followed

    missing = supervisor.post_form(
        "/protection/review", {"person": OLD, "decision": "retain", "reason": " "}
    )
    assert missing.status_code == 422
    assert "Give the reason" in missing.text

    kept = supervisor.post_form(
        "/protection/review",
        {"person": OLD, "decision": "retain", "reason": "linked to an open investigation"},
    )
    assert kept.status_code == 303
    after = supervisor.client.get(kept.headers["location"])
    assert "The decision is recorded." in after.text
    assert "Gareth Pryce" not in after.text

    victim = re.search(r'name="person" value="(per_[0-9a-f]+)"', after.text)
    assert victim is not None
    erased = supervisor.post_form(
        "/protection/review",
        {"person": victim.group(1), "decision": "erase", "reason": "no policing purpose"},
    )
    assert erased.status_code == 303
    assert "Sian Pryce" not in supervisor.client.get("/protection/review").text
    with world.db.session() as session:
        decisions = list(session.scalars(select(RetentionDecision.decision)))
        gone = session.get(Person, victim.group(1))
    assert sorted(decisions) == ["erase", "retain"]
    assert gone is not None
    assert gone.given_name is None


def test_an_erasure_made_after_a_colleague_retained_the_person_is_refused_as_a_conflict(
    world: World, signed_in: SignIn, tmp_path: Path
) -> None:
    an_old_case(world, tmp_path)
    first, second = signed_in(Role.SUPERVISOR), signed_in(Role.ADMINISTRATOR)
    listed = {row["person"]: row for row in second.client.get("/api/v1/protection/due").json()}
    assert listed[OLD]["last_decision"] is None
    kept = first.post_json(
        "/api/v1/protection/decisions",
        {"person": OLD, "decision": "retain", "reason": "open investigation"},
    )
    assert kept.status_code == 200, kept.text
    # The second reviewer still has the list from before: his erasure is refused.
    stale = second.post_json(
        "/api/v1/protection/decisions",
        {"person": OLD, "decision": "erase", "reason": "no purpose", "last_decision": None},
    )
    assert stale.status_code == 409, stale.text
    assert stale.json()["current_version"] == kept.json()["id"]
    page = second.post_form(
        "/protection/review", {"person": OLD, "decision": "erase", "reason": "no purpose"}
    )
    assert page.status_code == 409
    assert "Reload the record" in page.text
    with world.db.session() as session:
        decisions = list(session.scalars(select(RetentionDecision.decision)))
        row = session.get(Person, OLD)
    assert decisions == ["retain"]
    assert row is not None
    assert row.given_name == "Gareth"


def test_only_supervisors_and_administrators_review_retention(
    world: World, signed_in: SignIn
) -> None:
    assert signed_in(Role.ADMINISTRATOR).client.get("/protection/review").status_code == 200
    officer = signed_in(Role.PUBLIC_PROTECTION)
    assert officer.client.get("/protection/review").status_code == 403
    assert 'href="/protection/review"' not in officer.client.get("/catalogue").text
