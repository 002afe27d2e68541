"""Replacing what identifies a person in free text: their names and date of birth.

A ``Redactor`` is built from the phrases that name one or more people, each with what to put in
its place ("[erased person]", "a parent"); it replaces whole words only, ignoring case, the longest
phrase first, in plain text and in every text value of a record's JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from childfirst.domain.names import full_name

TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr")
# Parts of a record's JSON that are structure, not words: never rewritten.
STRUCTURE = frozenset({"kind", "source", "links", "location", "event_type", "addresses"})


def date_forms(day: date) -> list[str]:
    """How a date of birth is written in free text: 2012-06-30, 30/06/2012, 30/6/2012, 30.06.2012."""
    return [
        day.isoformat(),
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
    ]


def address_phrases(address: str) -> list[str]:
    """An address as written in free text: in full, and its first line ("7 Quarry Row")."""
    first = address.split(",")[0].strip()
    phrases = [address.strip()]
    if first != phrases[0] and any(c.isdigit() for c in first) and len(first.split()) >= 2:
        phrases.append(first)
    return phrases


def person_phrases(
    given: str | None,
    middle: str | None,
    family: str | None,
    aliases: Iterable[Mapping[str, Any]] = (),
    date_of_birth: date | None = None,
    *,
    family_alone: bool = False,
) -> list[str]:
    """The phrases that name one person: full names, given names, a title with the family name
    and the date of birth. The family name alone only with ``family_alone``: it usually names the
    person's children and relatives as well."""
    names = [(given, middle, family)]
    names.extend(
        (a.get("given_name"), a.get("middle_names"), a.get("family_name")) for a in aliases
    )
    phrases: list[str] = []
    for first, middles, last in names:
        if first and last:
            phrases.append(full_name(first, last))
            if middles:
                phrases.append(full_name(first, last, middles))
        if first:
            phrases.append(first)
        if middles:
            phrases.extend(middles.split())
        if last:
            phrases.extend(f"{title} {last}" for title in TITLES)
            if family_alone:
                phrases.append(last)
    if date_of_birth is not None:
        phrases.extend(date_forms(date_of_birth))
    return [p for p in dict.fromkeys(p.strip() for p in phrases) if len(p) >= 2]


@dataclass
class Redactor:
    """Replaces each phrase with its replacement, whole words only, ignoring case."""

    replacements: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def add(self, phrases: Iterable[str], replacement: str) -> None:
        for phrase in phrases:
            self.replacements.setdefault(phrase.casefold(), replacement)
        self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.replacements:
            ordered = sorted(self.replacements, key=len, reverse=True)
            alternatives = "|".join(re.escape(p) for p in ordered)
            self._pattern = re.compile(rf"(?<![\w/.-])(?:{alternatives})(?![\w/-]|\.\d)", re.I)
        return self._pattern

    def text(self, value: str) -> str:
        pattern = self.pattern
        if pattern is None:
            return value
        return pattern.sub(
            lambda m: self.replacements.get(m.group(0).casefold(), "[redacted]"), value
        )

    def maybe(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)

    def json(self, value: Any) -> Any:
        """``value`` with every text inside it redacted, except the parts that are structure."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {k: v if k in STRUCTURE else self.json(v) for k, v in value.items()}
        return value
