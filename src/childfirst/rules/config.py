"""A force's own settings for the rules: thresholds, windows and its school calendar.

The settings live in a TOML file named by ``CHILDFIRST_RULES_CONFIG``, for example::

    [calendar]
    jurisdiction = "england_and_wales"
    school_holidays = [["2026-02-16", "2026-02-20"], ["2026-03-30", "2026-04-10"]]

    [rules."missing.repeat-episodes"]
    episodes = 2
    window_days = 60

Every rule and parameter named must exist; a mistake is reported with the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from childfirst.domain.vocab import Jurisdiction
from childfirst.errors import ConfigurationError
from childfirst.rules.calendar import Calendar
from childfirst.rules.engine import Engine
from childfirst.rules.model import Rule

CONFIG_VARIABLE = "CHILDFIRST_RULES_CONFIG"


def _fail(path: Path, key: str, reason: str) -> ConfigurationError:
    return ConfigurationError(f"{path}: '{key}': {reason}")


def _calendar(path: Path, section: dict[str, Any]) -> Calendar:
    try:
        jurisdiction = Jurisdiction(section.get("jurisdiction", Jurisdiction.ENGLAND_AND_WALES))
    except ValueError:
        allowed = ", ".join(j.value for j in Jurisdiction)
        raise _fail(path, "calendar.jurisdiction", f"must be one of {allowed}") from None
    holidays = []
    for index, pair in enumerate(section.get("school_holidays", [])):
        try:
            start, end = (date.fromisoformat(str(d)) for d in pair)
        except (TypeError, ValueError):
            raise _fail(
                path, f"calendar.school_holidays[{index}]", "must be two dates, YYYY-MM-DD"
            ) from None
        if end < start:
            raise _fail(path, f"calendar.school_holidays[{index}]", "ends before it starts")
        holidays.append((start, end))
    return Calendar(jurisdiction, tuple(holidays))


def load_engine(rules: tuple[Rule, ...], path: Path | None = None) -> Engine:
    """An engine for ``rules`` with the settings in ``path`` (or the file the environment names)."""
    if path is None:
        named = os.environ.get(CONFIG_VARIABLE)
        if not named:
            return Engine(rules)
        path = Path(named)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: no such rules configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"calendar", "rules"}
    if unknown:
        raise _fail(path, sorted(unknown)[0], "unknown section (use [calendar] or [rules.ID])")
    by_id = {rule.id: rule for rule in rules}
    overrides: dict[str, dict[str, float]] = {}
    for rule_id, values in data.get("rules", {}).items():
        rule = by_id.get(rule_id)
        if rule is None:
            raise _fail(path, f"rules.{rule_id}", "no such rule (see docs/rules.md)")
        names = {p.name for p in rule.parameters}
        for name, value in values.items():
            if name not in names:
                raise _fail(path, f"rules.{rule_id}.{name}", "no such parameter for this rule")
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise _fail(path, f"rules.{rule_id}.{name}", "must be a number, 0 or more")
        overrides[rule_id] = {name: float(value) for name, value in values.items()}
    return Engine(rules, _calendar(path, data.get("calendar", {})), overrides)
