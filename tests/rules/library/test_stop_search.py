from __future__ import annotations

import inspect

from childfirst.domain.vocab import EventType as T
from childfirst.rules.library import stop_search
from childfirst.rules.library.stop_search import GROUNDS_MISSING, YOUNG_CHILD_SEARCHED
from childfirst.rules.model import Severity

from .builders import Builder, assert_cites_catalogue


def _world() -> Builder:
    b = Builder()
    b.person("Y", "Leon Boyd", 12, sex="male")
    b.person("O", "Reece Boyd", 16, sex="male")
    b.person("A", "Adult Boyd", 30, sex="male")
    return b


def test_cites_catalogue() -> None:
    assert_cites_catalogue(stop_search.RULES)


def test_rules_never_read_ethnicity() -> None:
    code = inspect.getsource(stop_search).lower()
    assert "ethnic" not in code
    assert "ethnic" not in " ".join(r.description.lower() for r in stop_search.RULES)


def test_search_with_no_grounds_is_raised_and_stricter_when_young() -> None:
    b = _world()
    young = b.event(T.STOP_AND_SEARCH, [("subject", "Y")])
    [finding] = b.run(GROUNDS_MISSING, "Y", young)
    assert finding.key == f"event:{young.id}"
    assert finding.evidence == (young.id,)
    assert "no grounds for the search are recorded" in finding.explanation
    assert finding.severity is Severity.HIGH
    older = b.event(T.STOP_AND_SEARCH, [("subject", "O")], details={"grounds": " "})
    [finding] = b.run(GROUNDS_MISSING, "O", older)
    assert finding.severity is None
    [finding] = b.run(GROUNDS_MISSING, "O", older, young_age=17)
    assert finding.severity is Severity.HIGH


def test_search_with_grounds_or_of_an_adult_is_not_raised() -> None:
    b = _world()
    grounded = b.event(
        T.STOP_AND_SEARCH, [("subject", "O")], details={"grounds": "smell of cannabis"}
    )
    assert b.run(GROUNDS_MISSING, "O", grounded) == []
    adult = b.event(T.STOP_AND_SEARCH, [("subject", "A")])
    assert b.run(GROUNDS_MISSING, "A", adult) == []


def test_young_child_searched_is_reviewed_but_not_an_older_child() -> None:
    b = _world()
    young = b.event(T.STOP_AND_SEARCH, [("subject", "Y")], summary="Searched for a knife.")
    [finding] = b.run(YOUNG_CHILD_SEARCHED, "Y", young)
    assert "Leon Boyd, aged 12" in finding.explanation
    older = b.event(T.STOP_AND_SEARCH, [("subject", "O")], summary="Searched for a knife.")
    assert b.run(YOUNG_CHILD_SEARCHED, "O", older) == []
