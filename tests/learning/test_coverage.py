"""Every piece of learning is put into practice somewhere, or said to lie outside software."""

from __future__ import annotations

from childfirst.learning import CATALOGUE, entry
from childfirst.learning.coverage import CAPABILITIES, coverage
from childfirst.rules.registry import RULES


def test_every_entry_is_covered_or_explained() -> None:
    missing = [c.entry.id for c in coverage() if not c.covered and not c.entry.outside_software]
    assert missing == [], f"not covered by any rule or capability, and not explained: {missing}"


def test_rules_and_capabilities_cite_only_real_entries() -> None:
    cited = [i for r in RULES for i in r.learning] + [i for c in CAPABILITIES for i in c.learning]
    for entry_id in cited:
        assert entry(entry_id).id == entry_id


def test_every_rule_serves_some_learning_and_has_a_description() -> None:
    for rule in RULES:
        assert rule.learning, rule.id
        assert len(rule.description.split()) >= 15, rule.id
    assert len({r.id for r in RULES}) == len(RULES)
    assert len(CATALOGUE) > 60
