"""The dashboards: work over time, missing and custody; and disproportionality."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from childfirst.reports.dashboards import disproportionality_dashboard, work_dashboard
from childfirst.reports.disproportionality import AGE_BANDS, ALL_AGES, GROUPS, LOW_COUNT
from childfirst.reports.periods import DEFAULT_MONTHS, PERIODS, Period
from childfirst.web import audit
from childfirst.web.deps import Store, User
from childfirst.web.permissions import allows
from childfirst.web.templating import render

router = APIRouter()

Months = Annotated[int, Query(ge=1, le=120)]


def _period(months: int) -> Period:
    return Period.ending(months=months if months in PERIODS else DEFAULT_MONTHS)


@router.get("/dashboards", name="dashboard_page", response_class=HTMLResponse)
def dashboard_page(
    request: Request, db: Store, user: User, months: Months = DEFAULT_MONTHS
) -> HTMLResponse:
    board = work_dashboard(db, _period(months))
    named = allows("child_page", user.role)  # the page names children only to these roles
    shown = [c.key for c in board.missing.repeat] + [c.key for c in board.in_custody]
    audit.viewed_list(db, user, "dashboard", shown, None if named else "names not shown")
    return render(request, "dashboard.html", {"board": board, "periods": PERIODS})


@router.get(
    "/dashboards/disproportionality", name="disproportionality_page", response_class=HTMLResponse
)
def disproportionality_page(
    request: Request, db: Store, user: User, months: Months = DEFAULT_MONTHS
) -> HTMLResponse:
    board = disproportionality_dashboard(db, _period(months))
    return render(
        request,
        "disproportionality.html",
        {
            "board": board,
            "periods": PERIODS,
            "groups": GROUPS,
            "bands": [label for label, _, _ in AGE_BANDS],
            "all_ages": ALL_AGES,
            "low_count": LOW_COUNT,
        },
    )
