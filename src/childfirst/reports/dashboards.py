"""The dashboards as pages show them: each report's figures with their charts, for one period."""

from __future__ import annotations

from dataclasses import dataclass

from childfirst.reports.charts import Chart, bar_chart, line_chart
from childfirst.reports.custody import InCustody, children_in_custody, detentions_by_month
from childfirst.reports.disproportionality import (
    ALL_AGES,
    Disproportionality,
    MeasureRates,
    Population,
    disproportionality,
)
from childfirst.reports.missing import MissingReport, missing_children
from childfirst.reports.periods import MonthCount, Period
from childfirst.reports.workload import concerns_raised, open_now, overdue_actions
from childfirst.store.database import Database


@dataclass(frozen=True)
class WorkDashboard:
    period: Period
    open_concerns: int
    overdue_now: int
    raised: list[MonthCount]
    raised_chart: Chart
    overdue: list[MonthCount]
    overdue_chart: Chart
    missing: MissingReport
    missing_chart: Chart
    in_custody: list[InCustody]
    detentions: list[MonthCount]
    detentions_chart: Chart


def work_dashboard(db: Database, period: Period) -> WorkDashboard:
    """Concerns and overdue actions over time, repeat missing children, children in custody."""
    with db.session() as session:
        concerns, overdue_count = open_now(session, period.as_of)
        raised = concerns_raised(session, period)
        overdue = overdue_actions(session, period)
        missing = missing_children(session, period)
        custody = children_in_custody(session, period.as_of)
        detentions = detentions_by_month(session, period)
    months = period.month_starts
    return WorkDashboard(
        period=period,
        open_concerns=concerns,
        overdue_now=overdue_count,
        raised=raised,
        raised_chart=line_chart(months, [("Concerns raised", [m.value for m in raised])]),
        overdue=overdue,
        overdue_chart=line_chart(months, [("Actions overdue", [m.value for m in overdue])]),
        missing=missing,
        missing_chart=bar_chart([(label, float(n)) for label, n in missing.by_episodes]),
        in_custody=custody,
        detentions=detentions,
        detentions_chart=line_chart(
            months, [("Detentions of children", [m.value for m in detentions])]
        ),
    )


@dataclass(frozen=True)
class MeasureView:
    rates: MeasureRates
    chart: Chart  # rate per 1,000 by ethnic group, all ages


@dataclass(frozen=True)
class DisproportionalityDashboard:
    period: Period
    population: Population
    measures: list[MeasureView]


def disproportionality_dashboard(
    db: Database, period: Period, population: Population | None = None
) -> DisproportionalityDashboard:
    with db.session() as session:
        found: Disproportionality = disproportionality(session, period, population)
    views = [
        MeasureView(
            m,
            bar_chart([(r.group, r.per_1000) for r in m.for_band(ALL_AGES)], decimals=1),
        )
        for m in found.measures
    ]
    return DisproportionalityDashboard(period, found.population, views)
