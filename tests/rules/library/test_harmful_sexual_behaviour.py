from __future__ import annotations

from childfirst.domain.vocab import EventType as T
from childfirst.domain.vocab import RelationshipType as R
from childfirst.rules.library import harmful_sexual_behaviour
from childfirst.rules.library.harmful_sexual_behaviour import YOUNG_SUSPECT as RULE

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("Y", "Jake Frost", 15, sex="male")
    b.person("V", "Ava Moon", 12)
    b.person("S", "Poppy Frost", 8)
    b.person("A", "Adult Frost", 45, sex="male")
    b.tie("Y", R.SIBLING, "S")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(harmful_sexual_behaviour.RULES)


def test_young_suspect_raises_for_victim_sibling_and_themselves_without_prosecution() -> None:
    b = _world()
    offence = b.event(
        T.SEXUAL_OFFENCE,
        [("victim", "V"), ("suspect", "Y")],
        outcome="No further action: not in the public interest",
    )
    [victim] = b.run(RULE, "V", offence)
    assert victim.key == "young-suspect:Y"
    assert victim.evidence == (offence.id,)
    assert "Jake Frost (aged 15) is the suspect" in victim.explanation
    assert "Ava Moon (aged 12) is the victim" in victim.explanation
    [sister] = b.run(RULE, "S", offence)
    assert "lives with the young person" in sister.explanation
    [himself] = b.run(RULE, "Y", offence)
    assert "their own needs" in himself.explanation


def test_arrest_for_a_sexual_offence_counts() -> None:
    b = _world()
    arrest = b.event(T.ARREST, [("suspect", "Y")], details={"offence": "sexual assault of a child"})
    [finding] = b.run(RULE, "S", arrest)
    assert finding.key == "young-suspect:Y"


def test_adult_suspect_or_non_sexual_offence_is_not_raised() -> None:
    b = _world()
    adult = b.event(T.SEXUAL_OFFENCE, [("victim", "V"), ("suspect", "A")])
    assert b.run(RULE, "V", adult) == []
    theft = b.event(T.ARREST, [("suspect", "Y")], details={"offence": "shoplifting"})
    assert b.run(RULE, "S", theft) == []
