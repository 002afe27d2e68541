"""Person records an import wrote and nobody matched yet (the process stopped first) are matched by
whoever comes next, so the concerns come out as an uninterrupted import would have raised them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from childfirst.ingest.importer import import_files
from childfirst.ingest.recording import record_batch
from childfirst.linkage import master_of
from childfirst.linkage.index import save_model
from childfirst.linkage.pending import match_marked, relink
from childfirst.rules.service import evaluate_pending, evaluate_store, follow_people
from childfirst.store.database import Database
from childfirst.store.models import Concern, ConcernEvidence
from childfirst.store.pending import PERSON, count
from tests.factories import write_jsonl
from tests.linkage.test_concerns_follow import EPISODES, _episodes, _event_ids
from tests.linkage.test_linkage import FILLER_FAMILY, FILLER_GIVEN, _person, _places, rid

REPEAT = "missing.repeat-episodes"


def _known_to_health(db: Database, tmp_path: Path, trained_model: dict[str, Any]) -> None:
    """Health knows Chloe Brennan (born 2011) and 120 others, all linked into the index."""
    records = [*_places("health"), *_places("csc")]
    records.append(_person("health", "H2", "Chloe", "Brennan", "2011-03-09", "female", "A2"))
    for i, (given, family) in enumerate(zip(FILLER_GIVEN * 4, FILLER_FAMILY * 4, strict=True)):
        dob = f"{1950 + i % 60}-{1 + i % 12:02d}-{1 + i % 27:02d}"
        records.append(_person("health", f"F{i}", f"{given}{i}", family, dob, "female", "A2"))
    import_files(db, [write_jsonl(tmp_path / "people.jsonl", records)])
    save_model(db, trained_model, records=0)
    relink(db)
    assert _marked_people(db) == 0  # linking placed every record


def _chloe() -> dict[str, Any]:
    return _person("health", "H2", "Chloe", "Brennan", "2011-03-09", "female", "A2")


def _social_care_batch() -> list[dict[str, Any]]:
    """Social care's Chloe Brennan (day and month transposed) and every missing episode."""
    episodes = [e for (where, sid), days in EPISODES.items() for e in _episodes(where, sid, days)]
    return [_person("csc", "C2", "Chloe", "Brennan", "2011-09-03", "female", "A2"), *episodes]


def _marked_people(db: Database) -> int:
    with db.session() as session:
        return count(session, PERSON)


def _repeat_concerns(db: Database) -> list[set[str]]:
    """The evidence of each repeat-missing concern."""
    with db.session() as session:
        return [
            set(
                session.scalars(
                    select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == c)
                )
            )
            for c in session.scalars(select(Concern.id).where(Concern.rule_id == REPEAT))
        ]


def test_people_an_import_left_unmatched_are_matched_before_the_rules_judge(
    db: Database, tmp_path: Path, trained_model: dict[str, Any]
) -> None:
    _known_to_health(db, tmp_path, trained_model)
    import_files(db, [write_jsonl(tmp_path / "csc.jsonl", _social_care_batch())])
    assert _marked_people(db) == 1  # written; then the process died

    matched = match_marked(db)
    assert matched.marked == 1
    assert matched.indexed
    assert (
        master_of(db, [rid("csc", "C2")])[rid("csc", "C2")]
        == (master_of(db, [rid("health", "H2")])[rid("health", "H2")])
    )
    assert _marked_people(db) == 0
    follow_people(db)
    evaluate_pending(db)
    # One child, five episodes across two agencies: one concern resting on all of them.
    assert _repeat_concerns(db) == [_event_ids("health", "H2") | _event_ids("csc", "C2")]
    assert match_marked(db).marked == 0  # nothing left to match


def test_a_batch_sent_again_after_its_request_died_matches_its_people(
    db: Database, tmp_path: Path, trained_model: dict[str, Any]
) -> None:
    _known_to_health(db, tmp_path, trained_model)
    batch = _social_care_batch()
    import_files(db, [write_jsonl(tmp_path / "csc.jsonl", batch)])  # written; then it died

    again = record_batch(db, batch, by="sw.ahmed")
    assert again.summary.total_created == 0
    assert again.matched_people == 1
    assert _repeat_concerns(db) == [_event_ids("health", "H2") | _event_ids("csc", "C2")]
    assert _marked_people(db) == 0


def test_without_an_index_the_marks_go_and_linking_places_everyone(
    db: Database, tmp_path: Path
) -> None:
    records = [*_places("health"), *_places("csc")]
    records.append(_person("health", "H2", "Chloe", "Brennan", "2011-03-09", "female", "A2"))
    import_files(db, [write_jsonl(tmp_path / "health.jsonl", records)])
    import_files(db, [write_jsonl(tmp_path / "csc.jsonl", _social_care_batch())])
    matched = match_marked(db)
    assert (matched.marked, matched.indexed, matched.assigned) == (2, False, [])
    assert _marked_people(db) == 0


def test_judging_every_event_leaves_people_marked_to_be_matched(
    db: Database, tmp_path: Path
) -> None:
    import_files(db, [write_jsonl(tmp_path / "a.jsonl", [*_places("health"), _chloe()])])
    evaluate_store(db)
    assert _marked_people(db) == 1
