"""Judging the store part by part, in worker processes, finds exactly what judging it whole finds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from childfirst.ingest.importer import import_files
from childfirst.rules.batch import evaluate_in_parts
from childfirst.rules.concerns import record
from childfirst.rules.engine import Outcome
from childfirst.rules.loader import load_all, load_part
from childfirst.rules.parts import partition
from childfirst.rules.service import default_engine
from childfirst.store.database import Database
from childfirst.synth import SynthConfig, generate
from tests.rules.test_online_batch import snapshot

Key = tuple[str, str, str, str]


def _key(outcome: Outcome) -> Key:
    return (outcome.rule.id, outcome.child.key, outcome.event.id, outcome.finding.key)


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("area")
    generate(SynthConfig(people=1500, years=2, seed=5), folder)
    return sorted((folder / "records").glob("*.jsonl"))


@pytest.mark.slow
def test_parts_cover_every_event_that_touches_someone_exactly_once(
    db: Database, area: list[Path]
) -> None:
    import_files(db, area)
    with db.session() as session:
        whole = load_all(session)
        parts = partition(session, part_links=400)
    assert len(parts) > 5
    people = Counter(p for part in parts for p in part.people)
    assert max(people.values()) == 1
    # Every event linked to someone lands with that person's part, and with no other part.
    part_of = {p: i for i, part in enumerate(parts) for p in part.people}
    linked = [e for e in whole.events.values() if e.links]
    assert linked
    with db.session() as session:
        loaded = [load_part(session, part.people, part.unlinked_events) for part in parts]
    homes: Counter[str] = Counter(eid for history in loaded for eid in history.events)
    assert all(homes[e.id] == 1 for e in linked)
    assert len(part_of) == len(people)


@pytest.mark.slow
@pytest.mark.parametrize("processes", [1, 2])
def test_part_by_part_finds_what_the_whole_store_finds(
    db: Database, area: list[Path], tmp_path: Path, processes: int
) -> None:
    import_files(db, area)
    engine = default_engine()
    with db.session() as session:
        expected = Counter(_key(o) for o in engine.run(load_all(session)))
    assert len(expected) > 100

    judged, findings, raised, _ = evaluate_in_parts(db, engine, processes=processes, part_links=400)

    with db.session() as session:
        whole = load_all(session)
    linked = sum(1 for e in whole.events.values() if e.links)
    assert linked <= judged <= len(whole.events)
    assert findings == sum(expected.values())
    assert raised > 50
    concerns = snapshot(db)
    # The same concerns as storing the whole store's findings in one go, in a second store.
    other = Database(f"sqlite:///{tmp_path / 'whole.db'}")
    import_files(other, area)
    with other.session(write=True) as session:
        record(session, list(engine.run(load_all(session))), engine.calendar)
    assert snapshot(other) == concerns
    other.dispose()
