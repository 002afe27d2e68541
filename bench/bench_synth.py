"""Synthetic area generation speed: an area of about a million events, timed."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from childfirst.synth import SynthConfig, SynthSummary, generate

# About 0.77 events per resident per year across the five sources: 260,000 people over 5 years.
MILLION_EVENTS = SynthConfig(people=260_000, years=5, seed=1)


def run_once(config: SynthConfig) -> SynthSummary:
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as folder:
        return generate(config, Path(folder))


def main(runs: int = 1, config: SynthConfig = MILLION_EVENTS) -> dict[str, float]:
    """Generate the area ``runs`` times and print the median time and events per second."""
    results = [run_once(config) for _ in range(runs)]
    seconds = statistics.median(r.seconds for r in results)
    events = results[0].events
    figures = {
        "people": float(config.people),
        "years": float(config.years),
        "events": float(events),
        "seconds": seconds,
        "events_per_second": events / seconds,
    }
    print(
        f"synth: {config.people:,} people x {config.years} years -> {events:,} events in "
        f"{seconds:.1f} s (median of {runs}), {events / seconds:,.0f} events/s; "
        f"{results[0].trajectories} harm trajectories, {results[0].decoys} decoys"
    )
    return figures


if __name__ == "__main__":
    main()
