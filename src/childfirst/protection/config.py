"""The force's retention schedule: groups of records by seriousness, each with its review period.

The defaults follow the review groups of the College of Policing's Authorised Professional Practice
on the management of police information (review, retention and disposal): certain public protection
matters kept until the person would be 100 and reviewed every 10 years; other sexual, violent or
serious matters reviewed after 10 years; everything else after 6. A child's record is kept at least
until the child would be 25. A force replaces them with its own schedule in a TOML file named by
``CHILDFIRST_PROTECTION_CONFIG``, for example::

    [retention.groups.public_protection]
    label = "Certain public protection matters"
    event_types = ["sexual_offence", "order"]
    roles = ["suspect", "subject"]
    review_years = 10
    keep_until_age = 100

    [retention.groups.other]
    label = "Everything else"
    review_years = 6

A person is in every group whose test they meet (linked to an event of one of ``event_types`` in
one of ``roles``; or, with ``child = true``, linked to any event while under 18; a group with no
test takes everyone) and is due for review on the latest date any of those groups gives.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from childfirst.domain.vocab import EventType, LinkRole
from childfirst.errors import ConfigurationError

CONFIG_VARIABLE = "CHILDFIRST_PROTECTION_CONFIG"


@dataclass(frozen=True)
class RetentionGroup:
    name: str
    label: str
    review_years: int
    keep_until_age: int | None = None
    event_types: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    child: bool = False

    @property
    def takes_everyone(self) -> bool:
        return not (self.event_types or self.roles or self.child)

    def describe(self) -> str:
        kept = f", kept at least until age {self.keep_until_age}" if self.keep_until_age else ""
        return f"{self.label}: reviewed every {self.review_years} years{kept}"


DEFAULT_GROUPS: tuple[RetentionGroup, ...] = (
    RetentionGroup(
        "public_protection",
        "Certain public protection matters (MoPI group 1)",
        review_years=10,
        keep_until_age=100,
        event_types=frozenset({EventType.SEXUAL_OFFENCE.value, EventType.ORDER.value}),
        roles=frozenset({LinkRole.SUSPECT.value, LinkRole.SUBJECT.value}),
    ),
    RetentionGroup(
        "serious",
        "Other sexual, violent or serious matters (MoPI group 2)",
        review_years=10,
        event_types=frozenset(
            {
                EventType.DOMESTIC_ABUSE.value,
                EventType.VIOLENCE.value,
                EventType.SEXUAL_OFFENCE.value,
                EventType.DRUGS.value,
            }
        ),
        roles=frozenset({LinkRole.SUSPECT.value, LinkRole.DETAINEE.value}),
    ),
    RetentionGroup(
        "child_protection",
        "Child protection: anyone recorded while a child",
        review_years=6,
        keep_until_age=25,
        child=True,
    ),
    RetentionGroup("other", "All other matters (MoPI group 3)", review_years=6),
)


@dataclass(frozen=True)
class Schedule:
    groups: tuple[RetentionGroup, ...] = DEFAULT_GROUPS

    def group(self, name: str) -> RetentionGroup:
        for group in self.groups:
            if group.name == name:
                return group
        raise ConfigurationError(f"no retention group '{name}' in the schedule")


def _fail(path: Path, key: str, reason: str) -> ConfigurationError:
    return ConfigurationError(f"{path}: '{key}': {reason}")


def _whole(path: Path, key: str, value: Any, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 150:
        raise _fail(path, key, "must be a whole number of years from 1 to 150")
    return value


def _names(path: Path, key: str, values: Any, allowed: set[str]) -> frozenset[str]:
    if not isinstance(values, list) or any(v not in allowed for v in values):
        raise _fail(path, key, f"must be a list of: {', '.join(sorted(allowed))}")
    return frozenset(values)


def _group(path: Path, name: str, section: Any) -> RetentionGroup:
    where = f"retention.groups.{name}"
    if not isinstance(section, dict):
        raise _fail(path, where, "must be a table")
    known = {"label", "review_years", "keep_until_age", "event_types", "roles", "child"}
    unknown = sorted(set(section) - known)
    if unknown:
        raise _fail(path, f"{where}.{unknown[0]}", "unknown setting")
    review = _whole(path, f"{where}.review_years", section.get("review_years"))
    assert review is not None
    child = section.get("child", False)
    if not isinstance(child, bool):
        raise _fail(path, f"{where}.child", "must be true or false")
    return RetentionGroup(
        name,
        str(section.get("label", name)),
        review_years=review,
        keep_until_age=_whole(
            path, f"{where}.keep_until_age", section.get("keep_until_age"), optional=True
        ),
        event_types=_names(
            path,
            f"{where}.event_types",
            section.get("event_types", []),
            {t.value for t in EventType},
        ),
        roles=_names(path, f"{where}.roles", section.get("roles", []), {r.value for r in LinkRole}),
        child=child,
    )


def load_schedule(path: Path | None = None) -> Schedule:
    """The schedule in ``path`` (or the file the environment names), else the defaults."""
    if path is None:
        named = os.environ.get(CONFIG_VARIABLE)
        if not named:
            return Schedule()
        path = Path(named)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: no such data protection configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"retention"})
    if unknown:
        raise _fail(path, unknown[0], "unknown section (use [retention.groups.NAME])")
    groups = data.get("retention", {}).get("groups", {})
    if not groups:
        raise _fail(path, "retention.groups", "name at least one group")
    parsed = tuple(_group(path, name, section) for name, section in groups.items())
    if not any(group.takes_everyone for group in parsed):
        raise _fail(path, "retention.groups", "one group must have no test, to take everyone")
    return Schedule(parsed)
