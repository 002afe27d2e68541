from __future__ import annotations

from childfirst.domain.vocab import EventType as T
from childfirst.domain.vocab import RelationshipType as R
from childfirst.rules.library import voice
from childfirst.rules.library.voice import CHILD_CALL_DISMISSED, PARENT_ACCOUNT_ACCEPTED
from childfirst.rules.model import Severity

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("C", "Noah Price", 9, sex="male")
    b.person("M", "Lisa Price", 35)
    b.tie("M", R.PARENT, "C")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(voice.RULES)


def test_child_999_call_put_down_to_messing_about() -> None:
    b = _world()
    call = b.event(
        T.CALL_999,
        [("caller", "C")],
        summary="Child called, line went dead. Mother says he was Messing About with the phone.",
    )
    [finding] = b.run(CHILD_CALL_DISMISSED, "C", call)
    assert finding.key == f"event:{call.id}"
    assert finding.evidence == (call.id,)
    assert '"Messing About"' in finding.explanation
    assert "Noah Price (aged 9)" in finding.explanation


def test_child_101_call_closed_with_no_further_action() -> None:
    b = _world()
    call = b.event(T.CALL_101, [("caller", "C")], outcome="No further action")
    assert len(b.run(CHILD_CALL_DISMISSED, "C", call)) == 1


def test_adult_call_or_a_child_call_taken_seriously_is_not_raised() -> None:
    b = _world()
    adult = b.event(T.CALL_999, [("caller", "M")], summary="Prank call by a neighbour's child.")
    assert b.run(CHILD_CALL_DISMISSED, "C", adult) == []
    serious = b.event(T.CALL_999, [("caller", "C")], summary="Child says dad is hitting mum.")
    assert b.run(CHILD_CALL_DISMISSED, "C", serious) == []


def test_parent_explanation_accepted_without_the_child() -> None:
    b = _world()
    injury = b.event(
        T.VIOLENCE,
        [("victim", "C"), ("suspect", "M")],
        summary="Bruise to cheek. Lisa Price says the child fell off his bike.",
    )
    [finding] = b.run(PARENT_ACCOUNT_ACCEPTED, "C", injury)
    assert finding.key == f"event:{injury.id}"
    assert '"Lisa Price says the child fell off his bike"' in finding.explanation
    assert finding.severity is Severity.HIGH


def test_parent_words_in_a_welfare_check() -> None:
    b = _world()
    check = b.event(
        T.WELFARE_CHECK,
        [("subject", "C")],
        summary="Father explained the shouting was the television.",
        details={"children_spoken_to": False},
    )
    [finding] = b.run(PARENT_ACCOUNT_ACCEPTED, "C", check)
    assert '"Father explained the shouting was the television"' in finding.explanation
    assert finding.severity is None


def test_child_spoken_to_or_no_parent_account_is_not_raised() -> None:
    b = _world()
    spoken = b.event(
        T.DOMESTIC_ABUSE,
        [("present", "C")],
        summary="Mother states it was a verbal argument.",
        details={"children_spoken_to": True},
    )
    assert b.run(PARENT_ACCOUNT_ACCEPTED, "C", spoken) == []
    silent = b.event(T.DOMESTIC_ABUSE, [("present", "C")], summary="Argument over money.")
    assert b.run(PARENT_ACCOUNT_ACCEPTED, "C", silent) == []
    victim = b.event(
        T.DOMESTIC_ABUSE, [("present", "C")], summary="Lisa Price reports he pushed her."
    )
    assert b.run(PARENT_ACCOUNT_ACCEPTED, "C", victim) == []


def test_baby_too_young_to_give_an_account_is_left_to_the_seen_check() -> None:
    b = _world()
    b.person("B", "Baby Price", 1)
    incident = b.event(T.DOMESTIC_ABUSE, [("present", "B")], summary="Mother says all is fine.")
    assert b.run(PARENT_ACCOUNT_ACCEPTED, "B", incident) == []


def test_an_adults_name_counts_only_as_a_whole_word() -> None:
    b = _world()
    inside = b.event(
        T.DOMESTIC_ABUSE,
        [("present", "C")],
        summary="Lisa Prices says it was only a row.",  # not Lisa Price
    )
    assert b.run(PARENT_ACCOUNT_ACCEPTED, "C", inside) == []
    later = b.event(
        T.DOMESTIC_ABUSE,
        [("present", "C")],
        summary="Spoke to LISA PRICESON. Then lisa price says it was nothing.",
    )
    [finding] = b.run(PARENT_ACCOUNT_ACCEPTED, "C", later)
    assert '"lisa price says it was nothing"' in finding.explanation


def test_an_account_is_found_where_lower_casing_changes_the_text_s_length() -> None:
    b = _world()
    incident = b.event(
        T.DOMESTIC_ABUSE,
        [("present", "C")],
        summary="Officer İnce attended. Lisa Price says it was only a row.",
    )
    [finding] = b.run(PARENT_ACCOUNT_ACCEPTED, "C", incident)
    assert '"Lisa Price says it was only a row"' in finding.explanation
