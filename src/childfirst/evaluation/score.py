"""How well the rules see harm coming: the cumulative engine against the incident-by-incident
baseline, scored on a synthetic area's planted trajectories.

A child counts as flagged when a concern of high or critical severity is raised about any of the
child's source records; the flag date is the date of the event that raised it (or, for a rule that
waited to see a referral follow an event, the date its wait ran out). The alert burden is
the number of distinct concerns raised per 1,000 children per month, decoys included.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.evaluation.truth import Truth, read_truth
from childfirst.rules.case import History
from childfirst.rules.engine import Engine
from childfirst.rules.loader import load_all
from childfirst.rules.model import Severity
from childfirst.rules.registry import RULES
from childfirst.store.database import Database
from childfirst.store.models import MasterMembership, Person

WARNING_DAYS = 30


@dataclass(frozen=True)
class TypeScore:
    kind: str
    harms: int
    flagged_before: int
    flagged_early: int  # at least WARNING_DAYS before the critical incident
    median_warning_days: float | None
    decoys: int
    decoys_flagged: int


@dataclass(frozen=True)
class ModeScore:
    name: str
    types: list[TypeScore]
    concerns: int
    flags: int
    burden: float  # concerns per 1,000 children per month
    flag_burden: float

    @property
    def harms(self) -> int:
        return sum(t.harms for t in self.types)

    @property
    def early(self) -> int:
        return sum(t.flagged_early for t in self.types)


@dataclass(frozen=True)
class Scorecard:
    children: int
    months: float
    modes: list[ModeScore]


def _true_people(session: Session, truth: Truth) -> dict[str, str | None]:
    """The true person behind each key the rules may use: a source record or a master person."""
    true_of: dict[str, str | None] = {
        pid: truth.person_of.get((agency, system, source_id))
        for pid, agency, system, source_id in session.execute(
            select(Person.id, Person.agency, Person.system, Person.source_id)
        )
    }
    # A master person is scored as the true person most of its records belong to.
    votes: dict[str, list[str]] = {}
    for pid, master in session.execute(
        select(MasterMembership.person_id, MasterMembership.master_id)
    ):
        if (true_id := true_of.get(pid)) is not None:
            votes.setdefault(master, []).append(true_id)
    for master, ids in votes.items():
        true_of[master] = max(sorted(set(ids)), key=ids.count)
    return true_of


def _mode(
    name: str,
    engine: Engine,
    history: History,
    true_of: dict[str, str | None],
    truth: Truth,
) -> ModeScore:
    concerns: set[tuple[str, str, str]] = set()
    flags: set[tuple[str, str, str]] = set()
    first_flag: dict[str, date] = {}
    # Waits are judged as of the last recorded moment, as a scheduled run then would have.
    clock = max((e.at for e in history.events.values()), default=None)
    for outcome in engine.run(history, clock=clock):
        key = (outcome.rule.id, outcome.child.key, outcome.finding.key)
        concerns.add(key)
        severity = outcome.finding.severity or outcome.rule.severity
        if severity.rank < Severity.HIGH.rank:
            continue
        flags.add(key)
        true_id = true_of.get(outcome.child.key)
        if true_id is not None:
            day = outcome.event.day
            first_flag[true_id] = min(first_flag.get(true_id, day), day)
    kinds = sorted({t.kind for t in truth.trajectories})
    types = []
    for kind in kinds:
        harms = [t for t in truth.trajectories if t.kind == kind and t.harm]
        decoys = [t for t in truth.trajectories if t.kind == kind and not t.harm]
        warnings = [
            (t.critical_incident - first_flag[t.child]).days
            for t in harms
            if t.critical_incident
            and t.child in first_flag
            and first_flag[t.child] < t.critical_incident
        ]
        types.append(
            TypeScore(
                kind,
                len(harms),
                len(warnings),
                sum(1 for w in warnings if w >= WARNING_DAYS),
                statistics.median(warnings) if warnings else None,
                len(decoys),
                sum(1 for t in decoys if t.child in first_flag),
            )
        )
    per = 1000 / max(truth.children, 1) / max(truth.months, 1)
    return ModeScore(name, types, len(concerns), len(flags), len(concerns) * per, len(flags) * per)


def score(db: Database, truth_folder: Path) -> Scorecard:
    with db.session() as session:
        history = load_all(session)
        days = [e.day for e in history.events.values()]
        truth = read_truth(truth_folder, min(days), max(days))
        true_of = _true_people(session, truth)
    modes = [
        _mode("cumulative (childfirst)", Engine(RULES), history, true_of, truth),
        _mode(
            "incident by incident (baseline)",
            Engine(RULES, incident_only=True),
            history,
            true_of,
            truth,
        ),
    ]
    return Scorecard(truth.children, truth.months, modes)


def render(card: Scorecard) -> str:
    lines = [
        f"Children in the area: {card.children:,}; history: {card.months:.0f} months. A child is "
        f"flagged by a high or critical concern; 'early' means at least {WARNING_DAYS} days before "
        "the critical incident.",
        "",
        "| trajectory | mode | harms | flagged before | flagged early | median days of warning "
        "| decoys flagged |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for index, kind in enumerate(t.kind for t in card.modes[0].types):
        for mode in card.modes:
            t = mode.types[index]
            days = f"{t.median_warning_days:.0f}" if t.median_warning_days is not None else "-"
            lines.append(
                f"| {kind.replace('_', ' ')} | {mode.name.split(' (')[0]} | {t.harms} | "
                f"{t.flagged_before} | {t.flagged_early} | {days} | {t.decoys_flagged} of {t.decoys} |"
            )
    lines += [
        "",
        "| mode | harms flagged early | concerns | per 1,000 children per month | high or critical "
        "| per 1,000 children per month |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for mode in card.modes:
        share = mode.early / mode.harms if mode.harms else 0.0
        lines.append(
            f"| {mode.name} | {mode.early} of {mode.harms} ({share:.0%}) | {mode.concerns:,} | "
            f"{mode.burden:.1f} | {mode.flags:,} | {mode.flag_burden:.1f} |"
        )
    base, ours = card.modes[1], card.modes[0]
    if base.burden:
        lines += ["", f"Alert burden against the baseline: {ours.burden / base.burden:.2f}x."]
    return "\n".join(lines)
