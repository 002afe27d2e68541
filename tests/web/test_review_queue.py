"""The linkage review queue: pairs side by side with their evidence, decisions recorded, audited
and withdrawn with a trace."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.store.access import AuditEntry
from childfirst.store.identity import record_id
from childfirst.store.models import LinkageDecision, LinkageReviewPair, LinkageRun
from tests.factories import person, source, write_jsonl
from tests.web.conftest import CHILD, SignIn, World

CSC = "northmoor-csc"
CSC_CHILD = record_id("person", CSC, "liquidlogic", "C-88")
EVIDENCE = {
    "given_name": {"level": "Exact match on given_name", "match_weight": 6.2},
    "surname": {"level": "Jaro-Winkler distance of surname >= 0.92", "match_weight": 2.1},
    "dob": {"level": "Day and month transposed", "match_weight": 1.4},
    "postcode": {"level": "All other comparisons", "match_weight": -3.5},
}


@pytest.fixture
def pair_id(world: World, tmp_path: Path) -> int:
    """Children's social care's record of a girl the model thinks may be the police's Kayleigh."""
    record = person("C-88", "Kayleigh", "Welsh", date_of_birth="2016-06-30")
    record["source"] = {**source("C-88", CSC, "childrens_social_care"), "system": "liquidlogic"}
    import_files(world.db, [write_jsonl(tmp_path / "csc.jsonl", [record])])
    with world.db.session(write=True) as session:
        run = LinkageRun(
            kind="batch",
            started_at=datetime(2026, 1, 5),
            link_threshold=0.9,
            review_threshold=0.3,
        )
        session.add(run)
        session.flush()
        a, b = sorted((CHILD, CSC_CHILD))
        pair = LinkageReviewPair(
            run_id=run.id,
            record_a=a,
            record_b=b,
            match_probability=0.71,
            match_weight=1.3,
            evidence=EVIDENCE,
            status="open",
        )
        session.add(pair)
        session.flush()
        return pair.id


def test_the_queue_lists_the_pair_for_analysts(pair_id: int, signed_in: SignIn) -> None:
    page = signed_in(Role.ANALYST).client.get("/linkage/review")
    assert page.status_code == 200
    assert f'href="/linkage/review/{pair_id}"' in page.text
    assert "Kayleigh Welsh" in page.text
    assert "71%" in page.text
    assert 'href="/linkage/review" aria-current="page"' in page.text


def test_the_pair_page_shows_both_records_and_the_evidence_both_ways(
    world: World, pair_id: int, signed_in: SignIn
) -> None:
    page = signed_in(Role.ANALYST).client.get(f"/linkage/review/{pair_id}").text
    assert "Kayleigh Walsh" in page
    assert "Kayleigh Welsh" in page
    assert "12 Mill Lane" in page  # the police record's address
    assert "For, +6.20" in page
    assert "Against, -3.50" in page
    evidence = page[page.index('id="evidence"') :]
    # Largest weight first, whichever way it points.
    assert evidence.index("Given name") < evidence.index("Postcode") < evidence.index("Family name")
    assert '<label for="reason">Reason</label>' in page
    assert '<label for="decision-same">The same person</label>' in page
    with world.db.session() as session:
        viewed = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "viewed linkage pair")
        ).one()
    assert viewed.child_id in {CHILD, CSC_CHILD}  # filed under the child the pair is about


def test_a_decision_is_recorded_audited_and_withdrawn_with_a_trace(
    world: World, pair_id: int, signed_in: SignIn
) -> None:
    analyst = signed_in(Role.ANALYST)
    path = f"/linkage/review/{pair_id}"
    assert '<input type="hidden" name="version" value="1">' in analyst.client.get(path).text
    refused = analyst.post_form(
        f"{path}/decide", {"decision": "same", "reason": " ", "version": "1"}
    )
    assert refused.status_code == 422
    assert "Give the reason for the decision." in refused.text

    done = analyst.post_form(
        f"{path}/decide", {"decision": "same", "reason": "Same school", "version": "1"}
    )
    assert done.status_code == 303
    page = analyst.client.get(path).text
    assert "Decided: the same person" in page
    with world.db.session() as session:
        pair = session.get(LinkageReviewPair, pair_id)
        assert pair is not None
        assert pair.status == "decided"

    stale = analyst.post_form(
        f"{path}/decide", {"decision": "not_same", "reason": "No", "version": "1"}
    )
    assert stale.status_code == 409  # a form read before the decision
    assert "was changed by demo.analyst" in stale.text
    withdrawn = analyst.post_form(
        f"{path}/withdraw", {"reason": "Wrong school record", "version": "2"}
    )
    assert withdrawn.status_code == 303
    page = analyst.client.get(path).text
    assert "Withdrawn by demo.analyst" in page
    assert "Wrong school record" in page
    again = {"reason": "again", "version": "3"}
    assert analyst.post_form(f"{path}/withdraw", again).status_code == 409

    with world.db.session() as session:
        decisions = session.scalars(select(LinkageDecision)).all()
        actions = [
            (e.action, e.why)
            for e in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.target_kind == "linkage_decision")
                .order_by(AuditEntry.seq)
            )
        ]
    assert [(d.decision, d.reversed_by) for d in decisions] == [("same", "demo.analyst")]
    assert actions == [
        ("decided linkage: the same person", "Same school"),
        ("withdrew linkage decision", "Wrong school record"),
    ]


def test_the_api_decides_and_a_later_decision_replaces_the_earlier(
    world: World, pair_id: int, signed_in: SignIn
) -> None:
    supervisor = signed_in(Role.SUPERVISOR)
    queue = supervisor.client.get("/api/v1/linkage/review").json()
    assert [item["id"] for item in queue["items"]] == [pair_id]
    pair = supervisor.client.get(f"/api/v1/linkage/review/{pair_id}").json()
    assert {e["comparison"]: e["direction"] for e in pair["evidence"]}["postcode"] == "against"

    assert pair["version"] == 1
    decision = f"/api/v1/linkage/review/{pair_id}/decision"
    first = supervisor.post_json(
        decision, {"decision": "same", "reason": "GP match", "expected_version": 1}
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = supervisor.post_json(
        decision, {"decision": "not_same", "reason": "Seen before", "expected_version": 1}
    )
    assert stale.status_code == 409
    problem = stale.json()
    assert (problem["current_version"], problem["changed_by"]) == (2, "demo.supervisor")
    assert problem["current_status"] == "decided: the same person"
    assert f"linkage pair {pair_id} was changed by demo.supervisor" in problem["detail"]
    second = supervisor.post_json(
        decision, {"decision": "not_same", "reason": "Different mothers", "expected_version": 2}
    ).json()
    assert second["active_decision"]["decision"] == "not_same"
    assert [d["reversed_at"] is None for d in second["decisions"]] == [True, False]

    assert second["version"] == 4  # a decision made, and the one before it replaced
    bad = supervisor.post_json(
        decision, {"decision": "maybe", "reason": "x", "expected_version": 4}
    )
    assert bad.status_code == 422
    unversioned = supervisor.post_json(decision, {"decision": "same", "reason": "GP"})
    assert unversioned.status_code == 422
    assert "expected_version" in unversioned.json()["detail"]
    nul = supervisor.post_json(
        decision, {"decision": "same", "reason": "GP\x00", "expected_version": 4}
    )
    assert nul.status_code == 200
    assert nul.json()["active_decision"]["reason"] == "GP"
    missing = supervisor.client.get("/api/v1/linkage/review/999999")
    assert missing.status_code == 404


def test_only_analysts_and_supervisors_review(pair_id: int, signed_in: SignIn) -> None:
    officer = signed_in(Role.PUBLIC_PROTECTION)
    assert officer.client.get("/linkage/review").status_code == 403
    assert officer.client.get(f"/api/v1/linkage/review/{pair_id}").status_code == 403
    assert signed_in(Role.HEALTH).client.get("/linkage/review").status_code == 404
