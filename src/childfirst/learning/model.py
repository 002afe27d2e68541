"""The types of the learning catalogue: themes, kinds of entry and the entry itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Theme(StrEnum):
    """What a learning entry is about; one theme per entry."""

    CHILDREN_FIRST = "children_first"
    CUMULATIVE_HARM = "cumulative_harm"
    DOMESTIC_ABUSE = "domestic_abuse"
    MISSING = "missing"
    EXPLOITATION = "exploitation"
    HIDDEN_ADULTS = "hidden_adults"
    VOICE_OF_THE_CHILD = "voice_of_the_child"
    DISCLOSURE = "disclosure"
    INTERVIEWING = "interviewing"
    RECORDING = "recording"
    INFORMATION_SHARING = "information_sharing"
    TERMINOLOGY = "terminology"
    CUSTODY = "custody"
    EVIDENCE_AND_PROTECTION = "evidence_and_protection"
    HARMFUL_SEXUAL_BEHAVIOUR = "harmful_sexual_behaviour"
    TRUST_AND_ENGAGEMENT = "trust_and_engagement"
    PERPETRATORS = "perpetrators"
    TRAUMA_AWARENESS = "trauma_awareness"


class EntryKind(StrEnum):
    """Where an entry comes from.

    ``KEY_ISSUE``: a failing that case reviews found. ``LEARNING_POINT``: what practice should do
    instead. ``REFERENCE``: a statutory duty, standard or order that workflows must apply.
    """

    KEY_ISSUE = "key_issue"
    LEARNING_POINT = "learning_point"
    REFERENCE = "reference"


@dataclass(frozen=True)
class LearningEntry:
    """One point of learning, written in the project's own words.

    ``id`` is stable: once published it is never reused or renumbered, because concerns, rules and
    case review tags refer to it. Key issues are ``KI-ss.n`` and learning points ``LP-ss.n``, where
    ``ss`` numbers the section of the case review learning and ``n`` the point within it (``0`` for
    a point made by the section as a whole); references are ``REF-`` followed by a short name.
    """

    id: str
    kind: EntryKind
    theme: Theme
    title: str
    text: str
    # For key issues and learning points, the section of the case review learning the entry comes
    # from; for references, the law or guidance in short.
    section: str
    # Set when the point cannot be met by software (training, culture, buildings, staffing): why.
    outside_software: str | None = None
    # For references: the statute or guidance, in full.
    source: str | None = None


def briefing_entry(kind: EntryKind) -> Callable[..., LearningEntry]:
    """A constructor for the briefing's entries of one kind, taking them in reading order:
    (id, section, theme, title, text, outside_software=None)."""

    def make(
        entry_id: str,
        section: str,
        theme: Theme,
        title: str,
        text: str,
        outside_software: str | None = None,
    ) -> LearningEntry:
        return LearningEntry(
            id=entry_id,
            kind=kind,
            theme=theme,
            title=title,
            text=text,
            section=section,
            outside_software=outside_software,
        )

    return make
