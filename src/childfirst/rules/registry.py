"""Every rule the engine runs, gathered from the library modules."""

from __future__ import annotations

from childfirst.errors import NotFoundError
from childfirst.rules.library import (
    children_first,
    custody,
    disclosure,
    domestic_abuse,
    exploitation,
    harmful_sexual_behaviour,
    hidden_adults,
    interviewing,
    looked_after,
    missing,
    orders,
    partnership,
    perpetrators,
    recording,
    referrals,
    stop_search,
    voice,
)
from childfirst.rules.model import Rule

RULES: tuple[Rule, ...] = (
    *children_first.RULES,
    *domestic_abuse.RULES,
    *missing.RULES,
    *exploitation.RULES,
    *looked_after.RULES,
    *hidden_adults.RULES,
    *voice.RULES,
    *perpetrators.RULES,
    *disclosure.RULES,
    *interviewing.RULES,
    *recording.RULES,
    *referrals.RULES,
    *harmful_sexual_behaviour.RULES,
    *custody.RULES,
    *orders.RULES,
    *stop_search.RULES,
    *partnership.RULES,
)


def rule(rule_id: str) -> Rule:
    for candidate in RULES:
        if candidate.id == rule_id:
            return candidate
    raise NotFoundError(f"no rule '{rule_id}'")
