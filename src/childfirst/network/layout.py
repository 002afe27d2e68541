"""Where to draw each person: the child in the middle, family and household on an inner ring,
associates on an outer ring. Coordinates are for an SVG view box centred on the child."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

WIDTH = 760
HEIGHT = 560
INNER = 140
OUTER = 230


class Drawn(Protocol):
    @property
    def circle(self) -> str: ...


@dataclass(frozen=True)
class Positioned:
    x: float
    y: float
    # Where the name goes: below or above the circle near the middle, beside it on either side.
    label_x: float
    label_y: float
    anchor: str


def _at(angle: float, radius: float) -> Positioned:
    x, y = round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1)
    if abs(x) < radius * 0.35:
        return Positioned(x, y, x, round(y + (32 if y >= 0 else -20), 1), "middle")
    if x > 0:
        return Positioned(x, y, round(x + 20, 1), round(y + 5, 1), "start")
    return Positioned(x, y, round(x - 20, 1), round(y + 5, 1), "end")


def layout(people: Sequence[Drawn]) -> list[Positioned]:
    """A position for each person, in the order given; the child is at (0, 0). People whose
    ``circle`` is "household" go on the inner ring, everyone else on the outer ring."""
    inner = [i for i, p in enumerate(people) if p.circle == "household"]
    outer = [i for i, p in enumerate(people) if p.circle != "household"]
    placed: dict[int, Positioned] = {}
    for ring, radius, turn in ((inner, INNER, 0.0), (outer, OUTER, 0.5)):
        for n, index in enumerate(ring):
            # The outer ring is turned half a step, so its people sit between the inner ring's.
            angle = 2 * math.pi * (n + turn) / max(len(ring), 1) - math.pi / 2
            placed[index] = _at(angle, radius)
    return [placed[i] for i in range(len(people))]
