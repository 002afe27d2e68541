"""Writing the import files (one per agency, in dependency order) and the separate ground truth."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path
from typing import BinaryIO

import orjson

from childfirst.synth.sources import Source
from childfirst.synth.trajectories import Plan
from childfirst.synth.world import World, iso


def write_records(source: Source, out: Path) -> Path:
    """Locations and objects, then persons, relationships and events, in one file."""
    source.close()
    path = out / f"{source.agency.code}.jsonl"
    parts = source.part_paths
    with path.open("wb") as fh:
        for kind in ("location", "object"):
            _append_part(parts[kind], fh)
        lines: list[bytes] = []
        for line in source.person_records():
            lines.append(line)
            if len(lines) >= 10_000:
                fh.write(b"\n".join(lines) + b"\n")
                lines.clear()
        if lines:
            fh.write(b"\n".join(lines) + b"\n")
        for kind in ("relationship", "event"):
            _append_part(parts[kind], fh)
    return path


def _append_part(part: Path, fh: BinaryIO) -> None:
    fh.flush()
    with part.open("rb") as src:
        _append(src, fh)
    part.unlink()


def write_truth(
    world: World,
    sources: list[Source],
    plans: list[Plan],
    denominators: dict[str, object],
    out: Path,
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    persons = out / "persons.csv"
    with persons.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["agency", "system", "source_id", "true_person_id"])
        for source in sources:
            for rec in source.order:
                writer.writerow([source.agency.code, source.agency.system, rec.sid, rec.pid])
    trajectories = out / "trajectories.csv"
    with trajectories.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "true_person_id",
                "trajectory",
                "harm_or_decoy",
                "critical_incident_date",
                "critical_incident_agency",
                "critical_incident_source_id",
                "key_adult_true_person_id",
                "story_began",
            ]
        )
        for plan in plans:
            writer.writerow(
                [
                    plan.child,
                    plan.kind,
                    "harm" if plan.harm else "decoy",
                    iso(plan.critical_day) if plan.harm else "",
                    plan.critical_agency,
                    plan.critical_id,
                    "" if plan.adult is None else plan.adult,
                    iso(plan.begin),
                ]
            )
    people = out / "people.csv"
    with people.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "true_person_id",
                "given_name",
                "family_name",
                "date_of_birth",
                "sex",
                "ethnicity",
                "mother",
                "father",
                "died",
            ]
        )
        for p in world.people:
            writer.writerow(
                [
                    p.pid,
                    p.given,
                    p.surnames[-1][1],
                    iso(p.dob),
                    p.sex,
                    p.ethnicity,
                    "" if p.mother is None else p.mother,
                    "" if p.father is None else p.father,
                    "" if p.died is None else iso(p.died),
                ]
            )
    area = out / "area.json"
    area.write_bytes(orjson.dumps(denominators, option=orjson.OPT_INDENT_2))
    return [persons, trajectories, people, area]


def _append(src: BinaryIO, dst: BinaryIO) -> None:
    """Append one file to another, in the kernel where the platform allows."""
    size = os.fstat(src.fileno()).st_size
    copy_range = getattr(os, "copy_file_range", None)
    done = 0
    if copy_range is not None:
        try:
            while done < size:
                sent = copy_range(src.fileno(), dst.fileno(), size - done)
                if sent == 0:
                    break
                done += sent
        except OSError:
            if done:
                raise
    if done < size:
        src.seek(done)
        shutil.copyfileobj(src, dst, 1 << 20)
