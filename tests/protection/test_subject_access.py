"""Subject access: the person's own data is all there; nobody else's name, date of birth, address
or source id is, whoever asks."""

from __future__ import annotations

import orjson
from sqlalchemy import select

from childfirst.protection.subject_access import export, to_html
from childfirst.rules.service import evaluate_store
from childfirst.store.access import AuditEntry
from childfirst.web.audit import Actor, record
from tests.protection.conftest import GIRL, MOTHER, PARTNER_HOME, PARTNER_MARKS, Family

DPO = Actor("dpo.hughes", "administrator")
GIRL_MARKS = ("Kayleigh", "2017-06-30", "30/06/2017")
MOTHER_MARKS = ("Donna", "1988-02-11")


def text_of(data: dict[str, object]) -> str:
    return orjson.dumps(data).decode()


def test_the_mothers_export_holds_her_data_and_nobody_elses(family: Family) -> None:
    data = export(family.db, DPO, MOTHER)
    text = text_of(data)
    for mark in MOTHER_MARKS:
        assert mark in text
    for mark in (*PARTNER_MARKS, *GIRL_MARKS, "Quarry Row"):
        assert mark.casefold() not in text.casefold(), mark
    events = data["events"]
    assert isinstance(events, list)
    assert len(events) == 2
    first = events[0]
    assert first["your_part"] == ["victim"]
    assert first["others"] == ["a child (present)", "a partner (suspect)"]
    assert first["summary"].startswith(
        "Donna Walsh said a partner (born a partner) hit her; a child was upstairs. a partner left "
        "before officers arrived; a partner is known at another address."
    )
    assert "12 Mill Lane, Northmoor" in text  # her own address
    assert {r["relationship"] for r in data["relationships"]} == {
        "you are parent of a child",
        "a partner is your partner",
    }


def test_the_childs_export_has_her_concerns_and_who_looked_by_role_only(
    family: Family,
) -> None:
    evaluate_store(family.db)
    with family.db.session(write=True) as session:
        record(
            session, Actor("pc.ashworth", "public_protection"), "view", "child", GIRL, child_id=GIRL
        )
    data = export(family.db, DPO, GIRL)
    text = text_of(data)
    assert "Kayleigh" in text
    assert "2017-06-30" in text
    for mark in (*PARTNER_MARKS, *MOTHER_MARKS, PARTNER_HOME, "pc.ashworth"):
        assert mark.casefold() not in text.casefold(), mark
    rules = {c["rule"] for c in data["concerns"]}
    assert "domestic-abuse.cumulative-pattern" in rules
    assert {"by_role": "public protection", "what": "view"}.items() <= data["viewed"][0].items()
    page = to_html(data)
    assert "What we hold about you" in page
    assert "Kayleigh" in page
    assert "Donna" not in page


def test_making_an_export_is_audited(family: Family) -> None:
    export(family.db, DPO, MOTHER, why="request received 2 December")
    with family.db.session() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "subject_access.export")
        ).one()
    assert (entry.who, entry.target_id, entry.why) == (
        "dpo.hughes",
        MOTHER,
        "request received 2 December",
    )
