"""The learning catalogue: case review learning and the standards that workflows apply.

Each entry is one point, in the project's own words, with a stable id that rules, concerns and case
review tags refer to. The types live in ``model``; the data lives in the ``entries_*`` modules.
"""

from __future__ import annotations

from childfirst.errors import NotFoundError
from childfirst.learning.entries_key_issues import KEY_ISSUES
from childfirst.learning.entries_learning import LEARNING_POINTS
from childfirst.learning.entries_references import REFERENCES
from childfirst.learning.model import EntryKind, LearningEntry, Theme

__all__ = ["CATALOGUE", "EntryKind", "LearningEntry", "Theme", "by_theme", "entry"]

CATALOGUE: tuple[LearningEntry, ...] = KEY_ISSUES + LEARNING_POINTS + REFERENCES

_BY_ID: dict[str, LearningEntry] = {e.id: e for e in CATALOGUE}


def entry(entry_id: str) -> LearningEntry:
    """The entry with this id; ``NotFoundError`` if there is none."""
    try:
        return _BY_ID[entry_id]
    except KeyError:
        raise NotFoundError(f"no learning entry with id {entry_id!r}") from None


def by_theme(theme: Theme) -> list[LearningEntry]:
    """The entries on one theme, in catalogue order."""
    return [e for e in CATALOGUE if e.theme is theme]
