"""The history's shortcuts for rules: events that pass a test, and who could ever be near a child."""

from __future__ import annotations

from datetime import timedelta

from childfirst.domain.vocab import EventType, RelationshipType
from childfirst.rules.case import EventView, History, Spell
from childfirst.rules.library.hidden_adults import is_violent
from tests.rules.library.builders import START, Builder


def suspect_in(event: EventView, key: str) -> bool:
    return "suspect" in event.roles_of(key)


def test_marked_events_respect_the_window_and_the_event_in_hand() -> None:
    b = Builder()
    b.person("man", "Lee Grant", 40, "male")
    old = b.event(EventType.VIOLENCE, [("suspect", "man")], days=-400)
    recent = b.event(EventType.VIOLENCE, [("suspect", "man")], days=-10)
    b.event(EventType.VIOLENCE, [("victim", "man")], days=-5)  # a victim, not violent
    later = b.event(EventType.VIOLENCE, [("suspect", "man")], days=20)
    history = b.history
    assert history.marked("man", suspect_in, None, later.order) == [old, recent, later]
    assert history.marked("man", suspect_in, START - timedelta(days=30), later.order) == [
        recent,
        later,
    ]
    assert history.marked("man", suspect_in, None, recent.order) == [old, recent]
    assert history.marked("nobody", suspect_in, None, None) == []


def test_a_new_event_is_seen_by_the_next_question() -> None:
    b = Builder()
    b.person("man", "Lee Grant", 40, "male")
    first = b.event(EventType.VIOLENCE, [("suspect", "man")], days=-10)
    assert b.history.marked("man", suspect_in, None, None) == [first]
    second = b.event(EventType.VIOLENCE, [("suspect", "man")], days=-5)
    assert b.history.marked("man", suspect_in, None, None) == [first, second]


def test_near_covers_people_at_any_address_ties_and_their_partners() -> None:
    b = Builder()
    for key in ("child", "mum", "lodger", "mums_partner", "stranger"):
        b.person(key, key, 8 if key == "child" else 35)
    b.lives("child", "home")
    b.lives("lodger", "home")
    b.tie("mum", RelationshipType.PARENT, "child")
    b.tie("mum", RelationshipType.PARTNER, "mums_partner")
    assert b.history.near("child") == {"mum", "lodger", "mums_partner"}


def test_near_marked_rules_a_child_out_only_when_nobody_near_has_such_an_event() -> None:
    b = Builder()
    for key in ("child", "mum", "partner", "stranger"):
        b.person(key, key, 8 if key == "child" else 35)
    b.tie("mum", RelationshipType.PARENT, "child")
    b.tie("mum", RelationshipType.PARTNER, "partner")
    b.event(EventType.VIOLENCE, [("suspect", "stranger")], days=-3)
    trigger = b.event(EventType.CONCERN_FOR_CHILD, [("subject", "child")])
    case = b.case("child", trigger)
    assert not case.anyone_near_marked(is_violent)
    b.event(EventType.VIOLENCE, [("suspect", "partner")], days=-60)
    case = b.case("child", trigger)
    assert case.anyone_near_marked(is_violent)
    assert not case.anyone_near_marked(is_violent, within=timedelta(days=30))
    # Events after the one in hand are not seen.
    b.event(EventType.VIOLENCE, [("suspect", "mum")], days=5)
    assert not b.case("child", trigger).anyone_near_marked(is_violent, within=timedelta(days=30))


def test_events_added_together_read_as_if_added_one_by_one() -> None:
    b = Builder()
    b.person("man", "Lee Grant", 40, "male")
    b.person("woman", "Ann Grant", 38, "female")
    events = [
        b.event(EventType.VIOLENCE, [("suspect", "man"), ("victim", "woman")], days=-3),
        b.event(EventType.VIOLENCE, [("suspect", "man")], days=-30),  # out of order
        b.event(EventType.DOMESTIC_ABUSE, [("victim", "woman"), ("suspect", "man")], days=-1),
    ]
    together = History()
    together.add_events(events)
    assert together.events == b.history.events
    for key in ("man", "woman"):
        assert together.by_person[key] == b.history.by_person[key]
        assert [e.at for e in together.by_person[key]] == sorted(
            e.at for e in together.by_person[key]
        )
        assert together.marked(key, suspect_in, None, None) == b.history.marked(
            key, suspect_in, None, None
        )
    later = b.event(EventType.VIOLENCE, [("suspect", "man")], days=5)
    together.add_events([later])  # what was asked before is asked again, not remembered
    assert together.marked("man", suspect_in, None, None)[-1] == later


def test_spells_added_together_are_the_households_of_their_day() -> None:
    together = History()
    home = Spell("home", START.date() - timedelta(days=100), None)
    together.add_spells([("child", home), ("mum", home)])
    assert together.household("child", START.date()) == {"mum": "lives at the same address"}
    assert together.household("child", START.date() - timedelta(days=200)) == {}
    together.add_spells([("lodger", Spell("home", None, None))])  # the answer is not stale
    assert set(together.household("child", START.date())) == {"mum", "lodger"}
