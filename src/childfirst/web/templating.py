"""Rendering pages: the templates, the filters they use and what every page is given."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from childfirst.domain.clock import to_local
from childfirst.domain.roles import Role
from childfirst.web.auth import CurrentUser
from childfirst.web.permissions import allows

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

# The main navigation: (route name, path, label), shown to the roles the route allows.
NAVIGATION = (
    ("search_page", "/search", "Search"),
    ("queue_page", "/queue", "Work queue"),
    ("incident_form", "/incidents/new", "Record an incident"),
    ("notifications_page", "/notifications", "Notifications"),
    ("review_queue_page", "/linkage/review", "Linkage review"),
    ("dashboard_page", "/dashboards", "Dashboards"),
    ("case_review_page", "/case-review", "Case review"),
    ("retention_review_page", "/protection/review", "Retention review"),
    ("catalogue_page", "/catalogue", "Rules and learning"),
)


def when(stored: datetime | None) -> str:
    """A stored UTC time as UK local time, the way a practitioner reads it."""
    return "" if stored is None else to_local(stored).strftime("%a %d %b %Y, %H:%M")


def role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value.replace("_", " ")


templates.env.filters["when"] = when
templates.env.filters["role_label"] = role_label


def current_user(request: Request) -> CurrentUser | None:
    user = getattr(request.state, "user", None)
    return user if isinstance(user, CurrentUser) else None


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    user = current_user(request)
    role = user.role if user else None
    page: dict[str, Any] = {
        "user": user,
        "csrf_token": user.csrf_token if user else "",
        "navigation": [(path, label) for route, path, label in NAVIGATION if allows(route, role)],
        "can": lambda route: user is not None and allows(route, role),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, page, status_code=status)


def render_error(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "detail": detail}, status)
