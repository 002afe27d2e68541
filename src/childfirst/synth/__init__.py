"""A synthetic force area straddling the England-Scotland border, for testing and demonstration.

Five agencies each keep their own records of the people they meet: two police forces (one either
side of the border), children's social care, schools and health. Background volume and safeguarding
activity run at base rates calibrated to published figures; planted harm trajectories and look-alike
decoys are written to a separate ground-truth folder that no engine reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class SynthConfig:
    people: int = 5000  # resident population of the force area (approximately)
    years: int = 5  # years of history
    seed: int = 1
    end: date = date(2026, 10, 31)  # last day of history (fixed so that output is deterministic)


@dataclass(frozen=True)
class SynthSummary:
    people: int
    households: int
    source_records: dict[str, int]  # per source agency
    events: int
    trajectories: int
    decoys: int
    files: list[Path] = field(default_factory=list)
    truth_files: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def generate(
    config: SynthConfig, out_dir: Path, progress: Callable[[int, int], None] | None = None
) -> SynthSummary:
    """Write ``out_dir/records/<agency>.jsonl`` and the ground truth in ``out_dir/truth/``."""
    from childfirst.synth.generator import run

    return run(config, out_dir, progress)


__all__ = ["SynthConfig", "SynthSummary", "generate"]
