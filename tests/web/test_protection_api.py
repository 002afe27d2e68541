"""Data protection through the API and the child's page: who may do what, and what each sees."""

from __future__ import annotations

from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.store.access import AuditEntry
from childfirst.store.identity import record_id
from childfirst.store.models import Concern, Person
from childfirst.web import audit
from tests.factories import AGENCY, person
from tests.web.conftest import CHILD, TEEN, SignIn, World

MOTHER = record_id("person", AGENCY, "niche", "P2")
PARTNER = record_id("person", AGENCY, "niche", "P3")


def test_an_administrator_exports_what_is_held_about_a_child_and_nobody_else(
    world: World, signed_in: SignIn
) -> None:
    admin = signed_in(Role.ADMINISTRATOR)
    answer = admin.client.get(f"/api/v1/protection/subject-access/{CHILD}")
    assert answer.status_code == 200
    text = answer.text
    assert "Kayleigh" in text
    assert "2016-06-30" in text
    for other in ("Donna", "Dean", "Cole", "1988-02-11", "1985-09-09"):
        assert other not in text, other
    explanations = " ".join(c["explanation"] for c in answer.json()["concerns"])
    assert "another adult (lives at the same address)" in explanations
    supervisor = signed_in(Role.SUPERVISOR)
    assert supervisor.client.get(f"/api/v1/protection/subject-access/{CHILD}").status_code == 403


def test_a_supervisor_lists_who_is_due_and_records_a_decision(
    world: World, signed_in: SignIn
) -> None:
    supervisor = signed_in(Role.SUPERVISOR)
    due = supervisor.client.get("/api/v1/protection/due", params={"today": "2045-01-01"})
    assert due.status_code == 200
    assert CHILD in {row["person"] for row in due.json()}
    made = supervisor.post_json(
        "/api/v1/protection/decisions",
        {"person": MOTHER, "decision": "retain", "reason": "partner still a risk"},
    )
    assert made.status_code == 200, made.text
    assert made.json()["decision"] == "retain"
    assert made.json()["next_review_on"] is not None
    officer = signed_in(Role.PUBLIC_PROTECTION)
    assert officer.client.get("/api/v1/protection/due").status_code == 403


def test_a_restricted_child_is_opened_only_for_a_named_purpose_with_the_notice(
    world: World, signed_in: SignIn
) -> None:
    admin = signed_in(Role.ADMINISTRATOR)
    placed = admin.post_json(
        "/api/v1/protection/restrictions",
        {"person": TEEN, "reason": "accuracy contested", "purposes": ["accuracy"]},
    )
    assert placed.status_code == 200, placed.text
    officer = signed_in(Role.PUBLIC_PROTECTION)
    refused = officer.client.get(f"/api/v1/children/{TEEN}")
    assert refused.status_code == 403
    assert "restricted" in refused.json()["detail"]
    page = officer.client.get(f"/children/{TEEN}", params={"purpose": "accuracy"})
    assert page.status_code == 200
    assert "Processing of this person&#39;s records is restricted" in page.text
    found = officer.client.get(
        "/api/v1/search/people", params={"name": "Jordan Hale", "why": "checking"}
    )
    assert found.json()["hits"] == []
    # Other children are opened as before.
    assert officer.client.get(f"/api/v1/children/{CHILD}").status_code == 200

    lifted = admin.post_json(
        "/api/v1/protection/restrictions/lift", {"person": TEEN, "reason": "corrected"}
    )
    assert lifted.status_code == 200
    assert officer.client.get(f"/api/v1/children/{TEEN}").status_code == 200
    with world.db.session() as session:
        uses = list(
            session.scalars(select(AuditEntry.why).where(AuditEntry.action == "restriction.use"))
        )
    assert uses == ["for accuracy: checking the accuracy the person contests"]


def test_an_administrator_erases_a_person_and_the_child_page_shows_an_erased_person(
    world: World, signed_in: SignIn
) -> None:
    admin = signed_in(Role.ADMINISTRATOR)
    erased = admin.post_json(
        "/api/v1/protection/erasures", {"person": PARTNER, "reason": "acquitted"}
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["erased"] == [PARTNER]
    officer = signed_in(Role.PUBLIC_PROTECTION)
    page = officer.client.get(f"/children/{CHILD}")
    assert page.status_code == 200
    assert "Dean" not in page.text
    assert "Cole" not in page.text
    assert (
        signed_in(Role.SUPERVISOR)
        .post_json("/api/v1/protection/erasures", {"person": MOTHER, "reason": "x"})
        .status_code
        == 403
    )


def test_a_restricted_adult_is_shown_as_restricted_on_a_childs_page(
    world: World, signed_in: SignIn
) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    assert "Donna Walsh" in officer.client.get(f"/children/{CHILD}").text
    admin = signed_in(Role.ADMINISTRATOR)
    placed = admin.post_json(
        "/api/v1/protection/restrictions",
        {"person": MOTHER, "reason": "held as evidence", "purposes": ["evidence"]},
    )
    assert placed.status_code == 200
    page = officer.client.get(f"/children/{CHILD}")
    assert page.status_code == 200
    assert "[restricted person]" in page.text
    network = officer.client.get(f"/api/v1/children/{CHILD}").json()["network"]
    names = {p["name"] for p in network}
    assert "[restricted person]" in names
    assert "Donna Walsh" not in names


def test_an_erased_person_sent_again_through_the_api_is_skipped_with_a_warning(
    world: World, signed_in: SignIn
) -> None:
    admin = signed_in(Role.ADMINISTRATOR)
    assert (
        admin.post_json(
            "/api/v1/protection/erasures", {"person": PARTNER, "reason": "acquitted"}
        ).status_code
        == 200
    )
    officer = signed_in(Role.PUBLIC_PROTECTION)
    again = officer.post_json(
        "/api/v1/records",
        {"records": [person("P3", "Dean", "Cole", date_of_birth="1985-09-09", sex="male")]},
    )
    assert again.status_code == 200, again.text
    assert again.json()["created"] == 0
    assert again.json()["changed"] == 0
    assert "person northmoor-police/niche/P3 was erased" in again.json()["warnings"][0]
    with world.db.session() as session:
        row = session.get(Person, PARTNER)
    assert row is not None
    assert row.given_name is None


def test_a_supervisor_cannot_erase_someone_not_due_for_review(
    world: World, signed_in: SignIn
) -> None:
    supervisor = signed_in(Role.SUPERVISOR)
    due = supervisor.client.get("/api/v1/protection/due").json()
    assert PARTNER not in {row["person"] for row in due}
    refused = supervisor.post_json(
        "/api/v1/protection/decisions",
        {"person": PARTNER, "decision": "erase", "reason": "tidy up"},
    )
    assert refused.status_code == 422, refused.text
    assert "not due for review until" in refused.json()["detail"]
    with world.db.session() as session:
        row = session.get(Person, PARTNER)
    assert row is not None
    assert row.given_name == "Dean"
    assert "Dean Cole" in signed_in(Role.PUBLIC_PROTECTION).client.get(f"/children/{CHILD}").text


def test_data_protection_work_on_a_child_is_listed_on_who_has_looked_at_her(
    world: World, signed_in: SignIn
) -> None:
    admin = signed_in(Role.ADMINISTRATOR)
    assert admin.client.get(f"/api/v1/protection/subject-access/{CHILD}").status_code == 200
    placed = admin.post_json(
        "/api/v1/protection/restrictions",
        {"person": CHILD, "reason": "accuracy contested", "purposes": ["accuracy"]},
    )
    assert placed.status_code == 200, placed.text
    lifted = admin.post_json(
        "/api/v1/protection/restrictions/lift", {"person": CHILD, "reason": "corrected"}
    )
    assert lifted.status_code == 200, lifted.text
    supervisor = signed_in(Role.SUPERVISOR)
    due = supervisor.client.get("/api/v1/protection/due", params={"today": "2045-01-01"})
    assert CHILD in {row["person"] for row in due.json()}
    page = supervisor.client.get(f"/children/{CHILD}/audit").text
    for action in (
        "subject_access.export",
        "restriction.place",
        "restriction.lift",
        "retention.list_due",
    ):
        assert action in page, action
    assert "demo.administrator" in page


def test_an_erasure_is_listed_on_who_has_looked_at_the_erased_person(
    world: World, signed_in: SignIn
) -> None:
    admin = signed_in(Role.ADMINISTRATOR)
    erased = admin.post_json("/api/v1/protection/erasures", {"person": MOTHER, "reason": "x"})
    assert erased.status_code == 200, erased.text
    with world.db.session() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "erasure.erase")
        ).one()
    assert entry.child_id == MOTHER
    assert MOTHER in audit.people_of(entry)


def test_a_restricted_childs_name_is_kept_out_of_queues_and_concerns(
    world: World, signed_in: SignIn
) -> None:
    """Restriction reaches beyond the child's own page: lists name them "[restricted person]"
    and a concern about them, whose explanation names them, is refused like their record."""
    officer = signed_in(Role.SUPERVISOR)
    with world.db.session() as session:
        concern = session.scalars(select(Concern).order_by(Concern.id)).first()
        assert concern is not None
    opened = officer.client.get(f"/api/v1/concerns/{concern.id}")
    assert opened.status_code == 200
    given = opened.json()["child_name"]
    assert given
    assert given != "[restricted person]"
    assert given in officer.client.get("/api/v1/queue").text
    admin = signed_in(Role.ADMINISTRATOR)
    placed = admin.post_json(
        "/api/v1/protection/restrictions",
        {"person": concern.child_id, "reason": "accuracy contested", "purposes": ["accuracy"]},
    )
    assert placed.status_code == 200, placed.text
    refused = officer.client.get(f"/api/v1/concerns/{concern.id}")
    assert refused.status_code == 403
    assert "restricted" in refused.json()["detail"]
    assert officer.client.get(f"/concerns/{concern.id}").status_code == 403
    queue = officer.client.get("/api/v1/queue").text
    assert "[restricted person]" in queue
    assert given not in queue
