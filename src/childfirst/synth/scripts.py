"""The events of each planted trajectory, and of its decoy, which opens the same way then settles.

Every harm trajectory ends in a dated critical incident recorded as an event; its agency and id go
to the ground truth. The stories follow recurring findings of published child safeguarding case
reviews: children not seen at domestic abuse call-outs, repeat missing normalised, exploited
children arrested, a violent adult known only to another force, a retracted disclosure taken as
the end of the matter, parental drug use, children in residential care criminalised, and
17-year-olds in custody treated as adults.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from childfirst.synth.area import Area
from childfirst.synth.family_stories import disclosure, domestic_abuse, substance, violent_adult
from childfirst.synth.trajectories import Plan
from childfirst.synth.young_stories import (
    custody17,
    exploited_criminalised,
    looked_after,
    missing_associate,
)

Script = Callable[[Area, random.Random, Plan], None]


def run(area: Area, plans: list[Plan]) -> None:
    rng = area.rng("scripts")
    for plan in plans:
        SCRIPTS[plan.kind](area, rng, plan)


SCRIPTS: dict[str, Script] = {
    "escalating_domestic_abuse": domestic_abuse,
    "missing_with_older_associate": missing_associate,
    "exploited_child_criminalised": exploited_criminalised,
    "violent_adult_moves_in": violent_adult,
    "disclosure_retracted": disclosure,
    "parental_substance_misuse": substance,
    "looked_after_child_criminalised": looked_after,
    "seventeen_year_old_in_custody": custody17,
}
