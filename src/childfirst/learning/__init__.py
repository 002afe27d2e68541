"""The learning from case reviews, as data: key issues, learning points and references."""

from __future__ import annotations

from childfirst.learning.catalogue import (
    CATALOGUE,
    EntryKind,
    LearningEntry,
    Theme,
    by_theme,
    entry,
)

__all__ = ["CATALOGUE", "EntryKind", "LearningEntry", "Theme", "by_theme", "entry"]
