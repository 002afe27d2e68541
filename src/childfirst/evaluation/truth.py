"""Reading a synthetic area's ground truth (written by ``childfirst.synth``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from childfirst.errors import ChildfirstError


class TruthError(ChildfirstError):
    """The ground truth folder is missing or unreadable."""


@dataclass(frozen=True)
class Trajectory:
    child: str  # true person id
    kind: str
    harm: bool
    critical_incident: date | None


@dataclass(frozen=True)
class Truth:
    person_of: dict[tuple[str, str, str], str]  # (agency, system, source id) -> true person id
    trajectories: list[Trajectory]
    children: int  # true people who were children at some time in the history
    months: float


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / name
    if not path.is_file():
        raise TruthError(
            f"{path} not found: give the folder the synthetic area's truth was written to"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_truth(folder: Path, start: date, end: date) -> Truth:
    person_of = {
        (r["agency"], r["system"], r["source_id"]): r["true_person_id"]
        for r in _rows(folder, "persons.csv")
    }
    trajectories = [
        Trajectory(
            r["true_person_id"],
            r["trajectory"],
            r["harm_or_decoy"] == "harm",
            date.fromisoformat(r["critical_incident_date"])
            if r["critical_incident_date"]
            else None,
        )
        for r in _rows(folder, "trajectories.csv")
    ]
    children = 0
    for r in _rows(folder, "people.csv"):
        born = r.get("date_of_birth") or ""
        if not born:
            continue
        dob = date.fromisoformat(born)
        adult_from = date(
            dob.year + 18, dob.month, 28 if (dob.month, dob.day) == (2, 29) else dob.day
        )
        if dob <= end and adult_from > start:
            children += 1
    months = (end - start).days / 30.44
    return Truth(person_of, trajectories, children, months)
