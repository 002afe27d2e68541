"""Calibration targets, and their measurement from the written records.

Every figure is measured from the import files. The ground truth is read only where nothing else
will do: the number of households and children at risk (the denominators) and, to count distinct
children across duplicate records, the mapping from source records to true people.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson


@dataclass(frozen=True)
class Target:
    name: str
    description: str
    value: float
    tolerance: float  # absolute
    source: str


TARGETS: list[Target] = [
    Target(
        "da_per_household_year",
        "domestic abuse incidents and crimes per household per year",
        1_350_460 / 24_800_000,
        0.015,
        "ONS, year ending March 2025 (1,350,460) over 24.8 million households (Census 2021)",
    ),
    Target(
        "da_children_present",
        "share of domestic abuse call-outs recording children present",
        0.5,
        0.1,
        "RDAC review 2024 (about half; unverified)",
    ),
    Target(
        "da_repeat_violent_12m",
        "share of DA incidents followed by a violent DA incident "
        "against the same victim within 12 months",
        0.118,
        0.04,
        "Grogger et al. 2021",
    ),
    Target(
        "da_arrests_per_100_crimes",
        "arrests per 100 domestic abuse crimes",
        44.6,
        8.0,
        "ONS, year ending March 2025",
    ),
    Target(
        "missing_child_share",
        "share of children reported missing in a year",
        75_000 / 12_000_000,
        0.003,
        "NCA 2022/23 via Missing People (75,000 of ~12 million)",
    ),
    Target(
        "missing_episodes_per_child",
        "missing episodes per missing child per year",
        2.9,
        0.6,
        "NCA 2022/23 via Missing People (216,000 incidents, 75,000 children)",
    ),
    Target(
        "looked_after_missing_repeat",
        "looked-after children missing more than once, of those missing (few children at small "
        "sizes, hence the wide tolerance)",
        0.65,
        0.2,
        "DfE 2017/18",
    ),
    Target(
        "missing_cse_flag", "share of missing incidents with a CSE flag", 0.09, 0.04, "NCA 2018/19"
    ),
    Target(
        "referrals_per_child_year",
        "referrals to children's social care per child per year",
        633_000 / 12_000_000,
        0.015,
        "DfE, year ending March 2025",
    ),
    Target(
        "referrals_from_police",
        "share of referrals made by police",
        0.28,
        0.07,
        "DfE, year ending March 2025",
    ),
    Target(
        "referrals_from_schools",
        "share of referrals made by schools",
        0.21,
        0.07,
        "DfE, year ending March 2025",
    ),
    Target(
        "re_referrals",
        "share of referrals within 12 months of a previous referral",
        0.226,
        0.08,
        "DfE, year ending March 2025",
    ),
    Target(
        "s47_per_child_year",
        "section 47 enquiries per child per year",
        195_000 / 12_000_000,
        0.008,
        "DfE 2025",
    ),
    Target(
        "cp_plan_prevalence",
        "share of children on a child protection plan at a given date",
        50_000 / 12_000_000,
        0.003,
        "DfE 2025 (about 50,000)",
    ),
    Target(
        "cse_assessed_per_child_year",
        "assessments noting child sexual exploitation, per child",
        12_120 / 12_000_000,
        0.001,
        "DfE 2025 (12,120)",
    ),
    Target(
        "csa_assessed_per_child_year",
        "assessments noting child sexual abuse, per child",
        29_560 / 12_000_000,
        0.002,
        "DfE 2025 (29,560)",
    ),
    Target(
        "child_custody_overnight",
        "share of arrested children held overnight",
        1 / 3,
        0.1,
        "FOI study 2019 (21,369 children in 34 forces, about a third)",
    ),
]
TARGET_BY_NAME = {t.name: t for t in TARGETS}


def _read(path: Path) -> list[dict[str, Any]]:
    return [
        orjson.loads(line)
        for line in path.read_bytes().splitlines()
        if b'"event"' in line or b'"person"' in line
    ]


def _day(stamp: str) -> int:
    return date.fromisoformat(stamp[:10]).toordinal()


def measure(out_dir: Path) -> dict[str, float]:
    records = out_dir / "records"
    area = orjson.loads((out_dir / "truth" / "area.json").read_bytes())
    start, end = (
        date.fromisoformat(area["start"]).toordinal(),
        date.fromisoformat(area["end"]).toordinal(),
    )
    periods = [
        (date.fromisoformat(p["from"]).toordinal(), date.fromisoformat(p["to"]).toordinal(), p)
        for p in area["periods"]
    ]
    household_years = sum(p["households"] * p["years"] for _, _, p in periods)
    child_years = sum(p["children"] * p["years"] for _, _, p in periods)
    child_years_e = sum(p["children_england"] * p["years"] for _, _, p in periods)
    true_id: dict[tuple[str, str], str] = {}
    with (out_dir / "truth" / "persons.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            true_id[(row["agency"], row["source_id"])] = row["true_person_id"]
    police: list[tuple[str, dict[str, Any]]] = []
    dobs: dict[tuple[str, str], str] = {}
    for agency in ("northmoor-police", "police-scotland"):
        for rec in _read(records / f"{agency}.jsonl"):
            if rec["kind"] == "event":
                police.append((agency, rec))
            elif rec.get("date_of_birth"):
                dobs[(agency, rec["source"]["id"])] = rec["date_of_birth"]
    csc = [r for r in _read(records / "northmoor-csc.jsonl") if r["kind"] == "event"]
    out: dict[str, float] = {}

    def role(rec: dict[str, Any], name: str) -> str | None:
        return next((link["person"] for link in rec["links"] if link["role"] == name), None)

    da = [(a, r) for a, r in police if r["event_type"] == "domestic_abuse"]
    out["da_per_household_year"] = len(da) / household_years
    out["da_children_present"] = sum(r["details"]["children_present"] for _, r in da) / max(
        1, len(da)
    )
    by_victim: dict[tuple[str, str | None], list[tuple[int, bool]]] = defaultdict(list)
    for agency, r in da:
        by_victim[(agency, role(r, "victim"))].append(
            (_day(r["occurred_at"]), r["details"]["violent"])
        )
    eligible = repeats = 0
    for incidents in by_victim.values():
        incidents.sort()
        for i, (day, _) in enumerate(incidents):
            if day + 365 > end:
                continue
            eligible += 1
            repeats += any(d > day and d <= day + 365 and v for d, v in incidents[i + 1 :])
    out["da_repeat_violent_12m"] = repeats / max(1, eligible)
    crimes = sum(r["details"]["crime"] for _, r in da)
    da_arrests = sum(
        1
        for _, r in police
        if r["event_type"] == "arrest" and r["details"].get("offence_group") == "domestic_abuse"
    )
    out["da_arrests_per_100_crimes"] = 100 * da_arrests / max(1, crimes)

    missing = [(a, r) for a, r in police if r["event_type"] == "missing_reported"]
    episodes: dict[tuple[int, str], int] = defaultdict(int)
    looked_after: set[tuple[int, str]] = set()
    for agency, r in missing:
        day = _day(r["occurred_at"])
        period = next(i for i, (f, t, _) in enumerate(periods) if f <= day <= t)
        child = true_id[(agency, str(role(r, "subject")))]
        episodes[(period, child)] += 1
        if r["details"].get("looked_after"):
            looked_after.add((period, child))
    out["missing_child_share"] = len(episodes) / child_years
    out["missing_episodes_per_child"] = len(missing) / max(1, len(episodes))
    out["looked_after_missing_repeat"] = sum(episodes[k] > 1 for k in looked_after) / max(
        1, len(looked_after)
    )
    out["missing_cse_flag"] = sum(bool(r["details"].get("cse_flag")) for _, r in missing) / max(
        1, len(missing)
    )

    referrals = [r for r in csc if r["event_type"] == "referral"]
    out["referrals_per_child_year"] = len(referrals) / child_years_e
    sources = [r["details"].get("referral_source") for r in referrals]
    out["referrals_from_police"] = sources.count("police") / max(1, len(sources))
    out["referrals_from_schools"] = sources.count("school") / max(1, len(sources))
    by_child: dict[str, list[int]] = defaultdict(list)
    for r in referrals:
        by_child[str(role(r, "subject"))].append(_day(r["occurred_at"]))
    late = re = 0
    for days in by_child.values():
        days.sort()
        for i, day in enumerate(days):
            if day >= start + 365:
                late += 1
                re += i > 0 and day - days[i - 1] <= 365
    out["re_referrals"] = re / max(1, late)
    out["s47_per_child_year"] = (
        sum(r["event_type"] == "strategy_discussion" for r in csc) / child_years_e
    )
    plans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in csc:
        if r["event_type"] == "child_protection_plan_started":
            plans[str(role(r, "subject"))].append((_day(r["occurred_at"]), 1))
        elif r["event_type"] == "child_protection_plan_ended":
            plans[str(role(r, "subject"))].append((_day(r["occurred_at"]), -1))
    shares = []
    for f, t, p in periods[1:]:
        snap = (f + t) // 2
        on = sum(1 for marks in plans.values() if sum(m for d, m in marks if d <= snap) > 0)
        shares.append(on / max(1, p["children_england"]))
    out["cp_plan_prevalence"] = sum(shares) / max(1, len(shares))
    factors = [
        r["details"].get("factors", "")
        for r in csc
        if r["event_type"] == "child_in_need_assessment"
    ]
    out["cse_assessed_per_child_year"] = sum("cse" in f.split(";") for f in factors) / child_years_e
    out["csa_assessed_per_child_year"] = sum("csa" in f.split(";") for f in factors) / child_years_e

    held = overnight = 0
    for agency, r in police:
        if r["event_type"] != "custody_detention":
            continue
        dob = dobs.get((agency, str(role(r, "detainee"))))
        if dob and _day(r["occurred_at"]) - date.fromisoformat(dob).toordinal() < 18 * 365.25:
            held += 1
            overnight += bool(r["details"].get("overnight"))
    out["child_custody_overnight"] = overnight / max(1, held)
    return out


def table(measured: dict[str, float], size: str) -> str:
    """The calibration table in Markdown."""
    lines = [
        f"| measure | target | tolerance | measured ({size}) | source |",
        "|---|---|---|---|---|",
    ]
    for t in TARGETS:
        m = measured.get(t.name)
        shown = "n/a" if m is None else f"{m:.4g}"
        lines.append(
            f"| {t.description} | {t.value:.4g} | ±{t.tolerance:.3g} | {shown} | {t.source} |"
        )
    return "\n".join(lines)


def within(measured: dict[str, float]) -> dict[str, bool]:
    return {t.name: abs(measured[t.name] - t.value) <= t.tolerance for t in TARGETS}
