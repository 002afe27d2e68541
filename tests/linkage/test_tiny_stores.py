"""Linking a store of a handful of people: too few to train a model on, so the model's cautious
priors score the pairs, the run says so, and the next link trains once there are enough records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from childfirst.ingest.importer import import_files
from childfirst.linkage import link_all, master_of
from childfirst.linkage.index import latest_model, review_queue
from childfirst.linkage.pending import match_marked
from childfirst.linkage.priors import MIN_RECORDS, PRIORS, PROBABILITY_TWO_RANDOM_RECORDS_MATCH
from childfirst.store.database import Database
from tests.factories import write_jsonl
from tests.linkage.test_linkage import _person, _places, rid
from tests.test_cli import childfirst

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlglot")

MOTHER = ("police", "P1", "Donna", "Walsh", "1988-02-11", "female", "A1")
GIRL = ("police", "P2", "Kayleigh", "Walsh", "2012-06-30", "female", "A1")
PARTNER = ("police", "P3", "Dean", "Cole", "1985-09-09", "male", "A1")
# Twin brothers: one surname, date of birth and home, two given names.
TWIN_A = ("police", "P4", "Tyler", "Walsh", "2015-03-03", "male", "A1")
TWIN_B = ("police", "P5", "Mason", "Walsh", "2015-03-03", "male", "A1")
# The girl as the school records her.
GIRL_AT_SCHOOL = ("schools", "S2", "Kayleigh", "Walsh", "2012-06-30", "female", "A1")


def _store(db: Database, path: Path, *people: tuple[str, ...]) -> None:
    agencies = sorted({p[0] for p in people})
    records: list[dict[str, Any]] = [r for a in agencies for r in _places(a)]
    records += [_person(*p) for p in people]
    import_files(db, [write_jsonl(path, records)])


def test_a_store_of_one_person_links_and_says_why_no_model_was_trained(
    db: Database, tmp_path: Path
) -> None:
    _store(db, tmp_path / "one.jsonl", GIRL)
    run = link_all(db)
    assert (run.records, run.masters, run.pairs) == (1, 1, 0)
    assert run.untrained is not None
    assert f"at least {MIN_RECORDS}" in run.untrained
    assert rid("police", "P2") in master_of(db, [rid("police", "P2")])


def test_a_mother_and_daughter_stay_two_people(db: Database, tmp_path: Path) -> None:
    _store(db, tmp_path / "two.jsonl", MOTHER, GIRL)
    run = link_all(db)
    assert (run.records, run.masters, run.auto_links, run.review_pairs) == (2, 2, 0, 0)
    masters = master_of(db, [rid("police", "P1"), rid("police", "P2")])
    assert len(set(masters.values())) == 2


def test_one_family_of_five_links_the_girl_across_agencies_and_keeps_twins_apart(
    db: Database, tmp_path: Path
) -> None:
    _store(db, tmp_path / "family.jsonl", MOTHER, GIRL, PARTNER, TWIN_A, GIRL_AT_SCHOOL)
    run = link_all(db)
    assert (run.records, run.masters) == (5, 4)
    masters = master_of(db, [rid(p[0], p[1]) for p in (GIRL, GIRL_AT_SCHOOL, MOTHER)])
    assert masters[rid("police", "P2")] == masters[rid("schools", "S2")]
    assert masters[rid("police", "P1")] != masters[rid("police", "P2")]

    # Twins are for a person to judge, never linked at once.
    _store(db, tmp_path / "twin.jsonl", TWIN_B)
    again = link_all(db)
    twins = master_of(db, [rid("police", "P4"), rid("police", "P5")])
    assert twins[rid("police", "P4")] != twins[rid("police", "P5")]
    assert again.masters == 5
    queued = {(i["left"]["source_id"], i["right"]["source_id"]) for i in review_queue(db)}
    assert queued <= {("P4", "P5"), ("P5", "P4")}


def test_a_record_imported_after_a_tiny_link_is_matched_to_its_person(
    db: Database, tmp_path: Path
) -> None:
    _store(db, tmp_path / "family.jsonl", MOTHER, GIRL, PARTNER)
    link_all(db)
    stored = latest_model(db)
    assert stored is not None
    assert PRIORS in stored[1]
    _store(db, tmp_path / "school.jsonl", GIRL_AT_SCHOOL)
    assert match_marked(db).assigned
    masters = master_of(db, [rid("police", "P2"), rid("schools", "S2")])
    assert masters[rid("police", "P2")] == masters[rid("schools", "S2")]


@pytest.mark.parametrize("people", [1, 2, 5])
def test_childfirst_link_on_a_tiny_store_is_a_message_not_a_traceback(
    tmp_path: Path, people: int
) -> None:
    everyone = [MOTHER, GIRL, PARTNER, TWIN_A, GIRL_AT_SCHOOL][:people]
    records: list[dict[str, Any]] = [*_places("police"), *_places("schools")]
    records += [_person(*p) for p in everyone]
    path = write_jsonl(tmp_path / "people.jsonl", records)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert childfirst("import", str(path), "--database", url, cwd=tmp_path).returncode == 0
    result = childfirst("link", "--database", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    output = " ".join(result.stdout.split())
    assert f"Linked {people} person records" in output
    assert "No linkage model was trained" in output
    assert "too few to train" in output


def test_a_store_of_thousands_of_people_is_trained_not_set_from_priors(
    trained_model: dict[str, Any],
) -> None:
    assert PRIORS not in trained_model
    assert (
        trained_model["probability_two_random_records_match"]
        != PROBABILITY_TWO_RANDOM_RECORDS_MATCH
    )
