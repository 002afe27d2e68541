"""Generating a synthetic force area: the stages, in order, and the summary."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from childfirst.synth import (
    events,
    households,
    lifecourse,
    population,
    safeguarding,
    scripts,
    social_care,
    trajectories,
    writer,
)
from childfirst.synth.area import Area
from childfirst.synth.names import load
from childfirst.synth.sources import AGENCIES, Source
from childfirst.synth.world import ENGLAND, World, iso

if TYPE_CHECKING:
    from childfirst.synth import SynthConfig, SynthSummary

STAGES = 8


def history_start(end: date, years: int) -> date:
    try:
        back = end.replace(year=end.year - years)
    except ValueError:  # 29 February
        back = end.replace(year=end.year - years, day=28)
    return back + timedelta(days=1)


def run(
    config: SynthConfig,
    out_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    ethnicity_stream: str = "ethnicity",
) -> SynthSummary:
    from childfirst.synth import SynthSummary

    began = time.perf_counter()
    tick = progress or (lambda done, total: None)
    seed = config.seed
    start = history_start(config.end, config.years).toordinal()
    world = World(start, config.end.toordinal())
    builder = population.Builder(
        world,
        load(),
        random.Random(f"{seed}/structure"),
        random.Random(f"{seed}/names"),
        random.Random(f"{seed}/{ethnicity_stream}"),
    )
    population.build(builder, config.people)
    tick(1, STAGES)
    plans = trajectories.select(builder, config.people)
    households.evolve(builder)
    tick(2, STAGES)
    records = out_dir / "records"
    records.mkdir(parents=True, exist_ok=True)
    sources = {
        code: Source(agency, world, builder.names, seed, records)
        for code, agency in AGENCIES.items()
    }
    area = Area(world, sources, seed)
    lifecourse.births_and_deaths(area)
    social_care.care_records(area)
    tick(3, STAGES)
    events.background(area)
    tick(4, STAGES)
    safeguarding.run(area)
    tick(5, STAGES)
    scripts.run(area, plans)
    tick(6, STAGES)
    files = [writer.write_records(src, records) for src in sources.values()]
    tick(7, STAGES)
    denominators = _denominators(world)
    truth = writer.write_truth(
        world, list(sources.values()), plans, denominators, out_dir / "truth"
    )
    tick(8, STAGES)
    return SynthSummary(
        people=int(str(denominators["people_resident_at_start"])),
        households=int(str(denominators["households_at_start"])),
        source_records={
            code: len(src.order)
            + len(src.locations)
            + len(src.objects)
            + len(src.relationships)
            + src.event_count
            for code, src in sources.items()
        },
        events=sum(src.event_count for src in sources.values()),
        trajectories=sum(p.harm for p in plans),
        decoys=sum(not p.harm for p in plans),
        files=files,
        truth_files=truth,
        seconds=time.perf_counter() - began,
    )


def _denominators(world: World) -> dict[str, object]:
    """Population at risk for each year of the history, for the calibration measures."""
    periods = []
    first = world.start
    while first <= world.end:
        last = min(first + 365, world.end + 1)
        mid = (first + last) // 2
        homes: set[int] = set()
        children = children_england = 0
        for person in world.people:
            if not person.alive_on(mid):
                continue
            hid = person.household_on(mid)
            if hid is None:
                continue
            if world.households[hid].kind == "family":
                homes.add(hid)
            if person.age_on(mid) < 18:
                children += 1
                addr = world.addresses[world.households[hid].address_on(mid)]
                children_england += addr.jurisdiction == ENGLAND
        periods.append(
            {
                "from": iso(first),
                "to": iso(last - 1),
                "years": (last - first) / 365,
                "households": len(homes),
                "children": children,
                "children_england": children_england,
            }
        )
        first = last
    at_start = [
        p
        for p in world.people
        if p.alive_on(world.start) and p.household_on(world.start) is not None
    ]
    homes_at_start = {p.household_on(world.start) for p in at_start}
    return {
        "start": iso(world.start),
        "end": iso(world.end),
        "periods": periods,
        "people_resident_at_start": len(at_start),
        "households_at_start": len(homes_at_start),
        "people_ever": len(world.people),
    }
