"""Every rule the engine runs, gathered from the library modules."""

from __future__ import annotations

from childfirst.errors import NotFoundError
from childfirst.rules.library import children_first, custody, domestic_abuse, missing
from childfirst.rules.model import Rule

RULES: tuple[Rule, ...] = (
    *children_first.RULES,
    *domestic_abuse.RULES,
    *missing.RULES,
    *custody.RULES,
)


def rule(rule_id: str) -> Rule:
    for candidate in RULES:
        if candidate.id == rule_id:
            return candidate
    raise NotFoundError(f"no rule '{rule_id}'")
