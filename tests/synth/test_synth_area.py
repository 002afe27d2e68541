"""The synthetic force area: import format, determinism, trajectories, noise and ground truth."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import TypeAdapter

from childfirst.domain.age import age_at
from childfirst.domain.records import EventRecord, Record, references
from childfirst.synth import SynthConfig, SynthSummary, generate
from childfirst.synth.generator import run
from childfirst.synth.trajectories import TYPES

SMALL = SynthConfig(people=3000, years=3, seed=7)
AGENCIES = {
    "northmoor-police",
    "police-scotland",
    "northmoor-csc",
    "northmoor-schools",
    "northmoor-health",
}


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    out = tmp_path_factory.mktemp("area")
    calls: list[tuple[int, int]] = []
    summary = generate(SMALL, out, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    return out, summary


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def _records(out: Path, agency: str) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in _lines(out / "records" / f"{agency}.jsonl")]


def _truth(out: Path, name: str) -> list[dict[str, str]]:
    with (out / "truth" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_one_file_per_agency_and_truth_kept_apart(area: tuple[Path, SynthSummary]) -> None:
    out, summary = area
    assert {p.stem for p in (out / "records").iterdir()} == AGENCIES
    assert {p.name for p in summary.files} == {f"{a}.jsonl" for a in AGENCIES}
    assert all(p.parent == out / "truth" for p in summary.truth_files)
    assert {"persons.csv", "trajectories.csv"} <= {p.name for p in summary.truth_files}
    assert not list((out / "records").glob(".*")), "no temporary files left behind"


def test_every_record_validates_and_every_reference_resolves_earlier_in_its_file(
    area: tuple[Path, SynthSummary],
) -> None:
    out, summary = area
    adapter: TypeAdapter[Any] = TypeAdapter(Record)
    order = {"location": 0, "object": 1, "person": 2, "relationship": 3, "event": 4}
    events = 0
    for agency in AGENCIES:
        seen: set[tuple[str, str]] = set()
        last = 0
        for line in _lines(out / "records" / f"{agency}.jsonl"):
            record = adapter.validate_json(line)
            assert record.source.agency == agency
            assert order[record.kind] >= last, "records are in dependency order"
            last = order[record.kind]
            for kind, sid, path in references(record):
                assert (kind, sid) in seen, (
                    f"{agency}: {path} -> {kind} {sid} is not defined earlier"
                )
            key = (record.kind, record.source.id)
            assert key not in seen, f"{agency}: duplicate id {key}"
            seen.add(key)
            events += isinstance(record, EventRecord)
    assert events == summary.events
    assert sum(summary.source_records.values()) == sum(
        len(_lines(out / "records" / f"{a}.jsonl")) for a in AGENCIES
    )


def test_the_same_seed_gives_byte_identical_files_and_another_seed_does_not(
    area: tuple[Path, SynthSummary], tmp_path: Path
) -> None:
    out, _ = area
    generate(SMALL, tmp_path / "again")
    generate(SynthConfig(people=3000, years=3, seed=8), tmp_path / "other")
    for folder in ("records", "truth"):
        for path in sorted((out / folder).iterdir()):
            again = tmp_path / "again" / folder / path.name
            assert path.read_bytes() == again.read_bytes(), path.name
    police = "records/northmoor-police.jsonl"
    assert (out / police).read_bytes() != (tmp_path / "other" / police).read_bytes()


def test_each_trajectory_type_is_planted_with_an_equal_number_of_decoys(
    area: tuple[Path, SynthSummary],
) -> None:
    out, summary = area
    rows = _truth(out, "trajectories.csv")
    counts = Counter((r["trajectory"], r["harm_or_decoy"]) for r in rows)
    for kind in TYPES:
        assert counts[(kind, "harm")] >= 1, kind
        assert counts[(kind, "harm")] == counts[(kind, "decoy")], kind
    assert summary.trajectories == summary.decoys == len(rows) // 2
    for row in rows:
        if row["harm_or_decoy"] == "decoy":
            assert row["critical_incident_date"] == row["critical_incident_source_id"] == ""


def test_each_harm_trajectory_ends_in_a_critical_incident_on_the_truth_date_about_the_child(
    area: tuple[Path, SynthSummary],
) -> None:
    out, _ = area
    to_true = {
        (r["agency"], r["source_id"]): r["true_person_id"] for r in _truth(out, "persons.csv")
    }
    events: dict[tuple[str, str], dict[str, Any]] = {}
    for agency in AGENCIES:
        for rec in _records(out, agency):
            if rec["kind"] == "event":
                events[(agency, rec["source"]["id"])] = rec
    harms = [r for r in _truth(out, "trajectories.csv") if r["harm_or_decoy"] == "harm"]
    for row in harms:
        event = events[(row["critical_incident_agency"], row["critical_incident_source_id"])]
        assert event["occurred_at"][:10] == row["critical_incident_date"]
        linked = {
            to_true[(row["critical_incident_agency"], link["person"])] for link in event["links"]
        }
        assert row["true_person_id"] in linked, row["trajectory"]


def test_ages_fit_the_stories(area: tuple[Path, SynthSummary]) -> None:
    out, _ = area
    dob = {
        r["true_person_id"]: date.fromisoformat(r["date_of_birth"])
        for r in _truth(out, "people.csv")
    }
    for row in _truth(out, "trajectories.csv"):
        if row["trajectory"] == "seventeen_year_old_in_custody" and row["critical_incident_date"]:
            assert (
                age_at(
                    dob[row["true_person_id"]], date.fromisoformat(row["critical_incident_date"])
                )
                == 17
            )
        if row["critical_incident_date"]:
            assert (
                age_at(
                    dob[row["true_person_id"]], date.fromisoformat(row["critical_incident_date"])
                )
                < 18
            )


def test_source_records_of_one_person_differ_as_real_records_do(
    area: tuple[Path, SynthSummary],
) -> None:
    out, _ = area
    to_true = {
        (r["agency"], r["source_id"]): r["true_person_id"] for r in _truth(out, "persons.csv")
    }
    seen: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    precisions: Counter[str] = Counter()
    aliases = 0
    for agency in AGENCIES:
        for rec in _records(out, agency):
            if rec["kind"] != "person":
                continue
            name = rec["name"]
            true = to_true[(agency, rec["source"]["id"])]
            seen[true].append(
                (name.get("given_name", ""), name.get("family_name", ""), rec.get("date_of_birth"))
            )
            precisions[rec["dob_precision"]] += 1
            aliases += bool(rec.get("aliases"))
    several = [v for v in seen.values() if len(v) > 1]
    given_differs = sum(len({g for g, _, _ in v}) > 1 for v in several)
    family_differs = sum(len({f for _, f, _ in v}) > 1 for v in several)
    dob_differs = sum(len({d for _, _, d in v if d}) > 1 for v in several)
    assert len(several) > 500
    assert 0.03 < given_differs / len(several) < 0.5
    assert 0.01 < family_differs / len(several) < 0.5
    assert 0.005 < dob_differs / len(several) < 0.3
    assert precisions["estimated"] + precisions["year"] > 0
    assert aliases > 0


def test_some_people_are_known_to_both_forces(area: tuple[Path, SynthSummary]) -> None:
    out, _ = area
    forces: dict[str, set[str]] = defaultdict(set)
    for row in _truth(out, "persons.csv"):
        if row["agency"] in ("northmoor-police", "police-scotland"):
            forces[row["true_person_id"]].add(row["agency"])
    assert sum(len(f) == 2 for f in forces.values()) > 0


def test_the_records_read_like_an_area(area: tuple[Path, SynthSummary]) -> None:
    out, _ = area
    police = [r for r in _records(out, "northmoor-police") if r["kind"] == "event"]
    csc = _records(out, "northmoor-csc")
    kinds = Counter(r["event_type"] for r in police)
    for kind in ("domestic_abuse", "theft", "call_999", "call_101", "arrest", "custody_detention"):
        assert kinds[kind] > 0, kind
    da = [r for r in police if r["event_type"] == "domestic_abuse"]
    assert len({r["summary"] for r in da}) > len(da) / 3, "summaries vary"
    assert all(re.fullmatch(r"NM/\d\d/\d{6}", r["reference"]) for r in police)
    assert all("location" in r for r in police if r["event_type"] != "arrest")
    assert any(r["kind"] == "location" and r["location_type"] == "childrens_home" for r in csc)
    assert any(r.get("event_type") == "looked_after_started" for r in csc)
    relationship_types = {
        r["relationship_type"]
        for a in AGENCIES
        for r in _records(out, a)
        if r["kind"] == "relationship"
    }
    assert {
        "parent",
        "partner",
        "sibling",
        "step_parent",
        "foster_carer",
        "associate",
    } <= relationship_types


def test_trajectories_and_events_do_not_depend_on_ethnicity(
    area: tuple[Path, SynthSummary], tmp_path: Path
) -> None:
    """Ethnicity has its own random stream: redrawing it changes names, never who is harmed."""
    out, summary = area
    other = run(SMALL, tmp_path, ethnicity_stream="a different draw of ethnicity")
    assert [r["ethnicity"] for r in _truth(out, "people.csv")] != [
        r["ethnicity"] for r in _truth(tmp_path, "people.csv")
    ]
    keep = (
        "true_person_id",
        "trajectory",
        "harm_or_decoy",
        "critical_incident_date",
        "key_adult_true_person_id",
    )
    ours = [tuple(r[k] for k in keep) for r in _truth(out, "trajectories.csv")]
    theirs = [tuple(r[k] for k in keep) for r in _truth(tmp_path, "trajectories.csv")]
    assert ours == theirs
    assert other.events == summary.events

    def event_types(folder: Path) -> Counter[str]:
        return Counter(
            r["event_type"] for a in AGENCIES for r in _records(folder, a) if r["kind"] == "event"
        )

    assert event_types(out) == event_types(tmp_path)


def test_no_module_outside_synth_reads_the_ground_truth() -> None:
    import childfirst

    root = Path(childfirst.__file__).parent
    pattern = re.compile(r"truth|trajectories\.csv|persons\.csv|area\.json", re.IGNORECASE)
    offending = []
    for path in root.rglob("*.py"):
        if {"synth", "evaluation"} & set(path.relative_to(root).parts):
            continue  # the generator writes the truth; the evaluation scores engines against it
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not pattern.search(line):
                continue
            # The command that runs the generator may say where the truth went; nothing opens it.
            reporting = path.name == "cli.py" and not re.search(
                r"open|read|load|glob|iterdir|csv", line
            )
            if not reporting:
                offending.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offending == []
