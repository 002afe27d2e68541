"""Protected characteristics are never risk inputs: the rules are not even given them."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import childfirst.rules
from childfirst.rules import loader
from childfirst.rules.case import EventView, PersonView
from childfirst.rules.registry import RULES

PROTECTED = ("ethnic", "religion", "race", "disab", "sexual_orientation", "gender_reassign")


def test_the_views_rules_read_carry_no_protected_characteristic() -> None:
    for view in (PersonView, EventView):
        names = {f.name for f in dataclasses.fields(view)}
        assert not {n for n in names for word in PROTECTED if word in n}, view


def test_the_loader_never_selects_ethnicity() -> None:
    selected = {column.key for column in loader.PERSON_COLUMNS}
    assert "ethnicity" not in selected
    assert selected == {"id", "given_name", "family_name", "date_of_birth", "dob_precision", "sex"}


def test_no_rule_code_mentions_a_protected_characteristic() -> None:
    package = Path(inspect.getfile(childfirst.rules)).parent
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        for word in PROTECTED:
            # "race" would match words like "trace"; look for it as a word
            hits = [line for line in text.splitlines() if f" {word}" in line or f"_{word}" in line]
            assert not hits, f"{path.name} mentions '{word}': {hits[:2]}"
    assert len(RULES) >= 4
