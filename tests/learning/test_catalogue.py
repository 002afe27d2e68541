from __future__ import annotations

import dataclasses
import re

import pytest

from childfirst.errors import NotFoundError
from childfirst.learning import CATALOGUE, EntryKind, LearningEntry, Theme, by_theme, entry

_ID_PATTERN = {
    EntryKind.KEY_ISSUE: re.compile(r"KI-\d{2}\.\d"),
    EntryKind.LEARNING_POINT: re.compile(r"LP-\d{2}\.\d"),
    EntryKind.REFERENCE: re.compile(r"REF-[A-Z0-9]+(-[A-Z0-9]+)*"),
}

# Every id ever published. Ids are referred to by rules, concerns and case review tags, so an id
# may be added here but never removed, reused or renumbered.
_PUBLISHED_IDS = frozenset(
    [f"KI-01.{n}" for n in range(7)]
    + [f"KI-02.{n}" for n in range(1, 5)]
    + [f"KI-03.{n}" for n in range(4)]
    + [f"KI-04.{n}" for n in range(7)]
    + [f"KI-05.{n}" for n in range(1, 5)]
    + [f"KI-06.{n}" for n in range(1, 5)]
    + [f"KI-07.{n}" for n in range(1, 5)]
    + ["KI-08.1", "KI-09.1", "KI-09.2", "KI-09.3", "KI-10.1", "KI-10.2", "KI-10.3"]
    + [f"LP-01.{n}" for n in range(4)]
    + [f"LP-02.{n}" for n in range(3)]
    + [f"LP-03.{n}" for n in range(1, 4)]
    + ["LP-04.1", "LP-04.2", "LP-05.1", "LP-05.2", "LP-06.1", "LP-07.1", "LP-07.2"]
    + ["LP-08.0", "LP-09.0", "LP-10.0", "LP-10.1", "LP-10.2", "LP-10.3", "LP-11.0"]
    + [
        "REF-ENCOMPASS",
        "REF-RHI-72H",
        "REF-MARAC",
        "REF-PACE-CHILD",
        "REF-PACE-38-6",
        "REF-PNC-48H",
        "REF-CPIS",
        "REF-ORDERS-EW",
        "REF-ORDERS-NI",
        "REF-ORDERS-SCOT",
        "REF-DFE-MISSING-2014",
    ]
)

_JURISDICTIONS = ("England and Wales", "Northern Ireland", "Scotland")


def test_ids_are_unique() -> None:
    ids = [e.id for e in CATALOGUE]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda e: e.id)
def test_id_is_well_formed_for_its_kind(item: LearningEntry) -> None:
    assert _ID_PATTERN[item.kind].fullmatch(item.id)


def test_no_published_id_has_been_removed() -> None:
    assert {e.id for e in CATALOGUE} >= _PUBLISHED_IDS


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda e: e.id)
def test_entry_has_title_text_and_section(item: LearningEntry) -> None:
    for value in (item.title, item.text, item.section):
        assert value.strip() == value
        assert value
    assert item.text.endswith((".", '."'))


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda e: e.id)
def test_only_references_carry_a_source(item: LearningEntry) -> None:
    if item.kind is EntryKind.REFERENCE:
        assert item.source
    else:
        assert item.source is None


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda e: e.id)
def test_outside_software_is_one_sentence_when_set(item: LearningEntry) -> None:
    reason = item.outside_software
    if reason is None:
        return
    assert reason.endswith(".")
    assert ". " not in reason[:-1]


def test_most_entries_can_be_put_into_software() -> None:
    outside = [e for e in CATALOGUE if e.outside_software is not None]
    assert 0 < len(outside) < len(CATALOGUE) // 5
    assert all(e.kind is not EntryKind.REFERENCE for e in outside)


def test_every_theme_is_used() -> None:
    assert {e.theme for e in CATALOGUE} == set(Theme)


def test_every_kind_is_used_and_the_briefing_is_covered() -> None:
    counts = {kind: sum(e.kind is kind for e in CATALOGUE) for kind in EntryKind}
    assert counts[EntryKind.KEY_ISSUE] >= 38
    assert counts[EntryKind.LEARNING_POINT] >= 20
    assert counts[EntryKind.REFERENCE] >= 10


def test_entry_finds_by_id() -> None:
    found = entry("KI-09.2")
    assert found.kind is EntryKind.KEY_ISSUE
    assert found.theme is Theme.CUSTODY
    assert all(entry(e.id) is e for e in CATALOGUE)


@pytest.mark.parametrize("unknown", ["KI-99.9", "", "ki-09.2", " KI-09.2"])
def test_entry_raises_not_found_for_unknown_id(unknown: str) -> None:
    with pytest.raises(NotFoundError):
        entry(unknown)


def test_entries_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry("LP-01.0").title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("theme", list(Theme))
def test_by_theme_returns_that_theme_in_catalogue_order(theme: Theme) -> None:
    found = by_theme(theme)
    assert found
    assert all(e.theme is theme for e in found)
    assert found == [e for e in CATALOGUE if e in found]


def test_entries_on_orders_name_all_three_jurisdictions() -> None:
    for kind in (EntryKind.LEARNING_POINT, EntryKind.REFERENCE):
        on_orders = [e for e in CATALOGUE if e.kind is kind and " Order" in f"{e.title} {e.text}"]
        words = " ".join(f"{e.title} {e.text}" for e in on_orders)
        for jurisdiction in _JURISDICTIONS:
            assert jurisdiction in words, (kind, jurisdiction)


@pytest.mark.parametrize(
    ("entry_id", "jurisdiction"),
    [
        ("LP-10.1", "England and Wales"),
        ("LP-10.2", "Northern Ireland"),
        ("LP-10.3", "Scotland"),
        ("REF-ORDERS-EW", "England and Wales"),
        ("REF-ORDERS-NI", "Northern Ireland"),
        ("REF-ORDERS-SCOT", "Scotland"),
    ],
)
def test_each_order_entry_names_its_jurisdiction(entry_id: str, jurisdiction: str) -> None:
    assert jurisdiction in entry(entry_id).title


@pytest.mark.parametrize(
    ("entry_id", "needed"),
    [
        ("REF-ENCOMPASS", ("before the next school day", "7 November 2025")),
        ("REF-RHI-72H", ("72 hours",)),
        ("REF-PNC-48H", ("48 hours",)),
        ("REF-PACE-CHILD", ("under 18", "17-year-olds", "appropriate adult", "welfare")),
        ("REF-PACE-38-6", ("local authority accommodation",)),
        ("REF-MARAC", ("14 or more", "12 months")),
    ],
)
def test_references_state_their_standard(entry_id: str, needed: tuple[str, ...]) -> None:
    text = entry(entry_id).text
    for phrase in needed:
        assert phrase in text


def test_ethnicity_appears_only_as_a_monitoring_point() -> None:
    mentions = [e for e in CATALOGUE if re.search(r"\b(black|ethnic)", e.text, re.IGNORECASE)]
    assert mentions
    for e in mentions:
        assert "monitor" in e.text
        assert "never a risk input" in e.text
