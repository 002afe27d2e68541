"""Who may use which route, declared in one table, and what a partner agency may see.

``PERMISSIONS`` maps every route's name to the roles allowed to use it, or to ``PUBLIC``. The
``guard`` dependency runs before every route of the application and enforces the table; the
application refuses to start if any route is missing from it. A role outside a route's set gets 403,
except partner agency users, who get 404: to them, anything not shared with their agency does not
exist. Within a route, ``action_scope``, ``can_see_concern`` and ``can_see_action`` narrow partners
to what is addressed to their own organisation, by its code and never by role (a school sees its
own pupils' notifications; a local authority the social care actions about children it knows; see
``childfirst.sharing.reach``). A partner account without an organisation sees nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from fastapi import Request
from fastapi.routing import iter_route_contexts
from sqlalchemy import ColumnElement, false, true
from starlette.routing import BaseRoute

from childfirst.domain.roles import Role
from childfirst.sharing.reach import reached_actions
from childfirst.store.models import Action, Concern
from childfirst.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    CurrentUser,
    session_user,
    tokens_match,
)
from childfirst.web.errors import CsrfError, HiddenError, NotPermittedError, NotSignedInError


class _Public:
    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC: Final = _Public()
Allowed = frozenset[Role] | _Public

PARTNERS: Final = frozenset({Role.CHILDRENS_SOCIAL_CARE, Role.SCHOOL, Role.HEALTH})
EVERYONE: Final = frozenset(Role)
POLICE: Final = EVERYONE - PARTNERS
# Practitioners who work with concerns about named children.
CASEWORK: Final = frozenset(
    {
        Role.CALL_HANDLER,
        Role.RESPONSE_OFFICER,
        Role.CUSTODY_OFFICER,
        Role.PUBLIC_PROTECTION,
        Role.MISSING_COORDINATOR,
        Role.SUPERVISOR,
    }
)
ACKNOWLEDGERS: Final = CASEWORK - {Role.CALL_HANDLER}
# Who records incidents and events: the practitioners who meet them.
RECORDERS: Final = CASEWORK
CLOSERS: Final = frozenset({Role.PUBLIC_PROTECTION, Role.SUPERVISOR})
# Who gives an action to a person, and who records an action as done.
ASSIGNERS: Final = frozenset({Role.PUBLIC_PROTECTION, Role.SUPERVISOR})
COMPLETERS: Final = ACKNOWLEDGERS
# Those who oversee the work and monitor it: figures over time and disproportionality.
OVERSIGHT: Final = frozenset(
    {Role.SUPERVISOR, Role.PUBLIC_PROTECTION, Role.ANALYST, Role.ADMINISTRATOR}
)
# Search finds anyone in the police record: police practitioners and analysts, never partners.
SEARCHERS: Final = CASEWORK | {Role.ANALYST}
# The linkage review queue: analysts decide; supervisors oversee and may decide too.
REVIEWERS: Final = frozenset({Role.ANALYST, Role.SUPERVISOR})
# Data protection: the retention review, and erasure, restriction and subject access.
DATA_RETENTION: Final = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
DATA_PROTECTION: Final = frozenset({Role.ADMINISTRATOR})

PERMISSIONS: Final[Mapping[str, Allowed]] = {
    # Signing in and the assets every page needs.
    "sign_in_form": PUBLIC,
    "sign_in": PUBLIC,
    # Single sign-on, there and back: served only when configured (``OPTIONAL``).
    "oidc_sign_in": PUBLIC,
    "oidc_callback": PUBLIC,
    "static": PUBLIC,
    "openapi": PUBLIC,
    "sign_out": EVERYONE,
    "home": EVERYONE,
    # Work queue: casework roles see their role's actions, partners what is addressed to them.
    "queue_page": CASEWORK | PARTNERS,
    "api_queue": CASEWORK | PARTNERS,
    # Concerns: partners only those addressed to their agency (checked in the route).
    "concern_page": CASEWORK | PARTNERS,
    "api_concern": CASEWORK | PARTNERS,
    "concern_acknowledge": ACKNOWLEDGERS,
    "api_concern_acknowledge": ACKNOWLEDGERS,
    "concern_close": CLOSERS,
    "api_concern_close": CLOSERS,
    # Actions: given to a person of the owner role (or a supervisor), and recorded as done.
    "action_assign": ASSIGNERS,
    "api_action_assign": ASSIGNERS,
    "action_complete": COMPLETERS,
    "api_action_complete": COMPLETERS,
    # A child's whole record is police information; partners see only what is shared with them.
    "child_page": CASEWORK,
    "child_timeline": CASEWORK,
    "api_child": CASEWORK,
    "child_audit_page": frozenset({Role.SUPERVISOR}),
    # Dashboards (names of children only for roles that may open their records).
    "dashboard_page": OVERSIGHT,
    "disproportionality_page": OVERSIGHT,
    # Case reviewers read concerns and children's records pseudonymised, and change nothing.
    "case_review_page": frozenset({Role.CASE_REVIEWER}),
    "case_review_concern_page": frozenset({Role.CASE_REVIEWER}),
    "case_review_child_page": frozenset({Role.CASE_REVIEWER}),
    "api_case_review": frozenset({Role.CASE_REVIEWER}),
    "api_case_review_concern": frozenset({Role.CASE_REVIEWER}),
    "api_case_review_child": frozenset({Role.CASE_REVIEWER}),
    # The rules and the learning behind them are open to every signed-in user.
    "catalogue_page": EVERYONE,
    # Search: people and events (each search is audited).
    "search_page": SEARCHERS,
    "api_search_people": SEARCHERS,
    "api_search_events": SEARCHERS,
    # Linkage review: pairs side by side, decisions and their withdrawal.
    "review_queue_page": REVIEWERS,
    "review_pair_page": REVIEWERS,
    "review_decide": REVIEWERS,
    "review_withdraw": REVIEWERS,
    "api_review_queue": REVIEWERS,
    "api_review_pair": REVIEWERS,
    "api_review_decide": REVIEWERS,
    "api_review_withdraw": REVIEWERS,
    # Recording incidents and events: the children-first form and the API.
    "incident_form": RECORDERS,
    "incident_record": RECORDERS,
    "incident_page": RECORDERS,
    "api_record_event": RECORDERS,
    "api_record_batch": RECORDERS,
    # Notifications to partners: partners see and acknowledge their own, the police see them all.
    "notifications_page": CASEWORK | PARTNERS,
    "api_notifications": CASEWORK | PARTNERS,
    "notification_acknowledge": PARTNERS,
    "api_notification_acknowledge": PARTNERS,
    # Data protection: supervisors and administrators review retention; administrators erase,
    # restrict processing and answer subject access requests.
    "retention_review_page": DATA_RETENTION,
    "retention_decide": DATA_RETENTION,
    "api_protection_due": DATA_RETENTION,
    "api_protection_decide": DATA_RETENTION,
    "api_protection_erase": DATA_PROTECTION,
    "api_protection_restrict": DATA_PROTECTION,
    "api_protection_lift": DATA_PROTECTION,
    "api_protection_subject_access": DATA_PROTECTION,
}

# Declared routes that an application serves only when their feature is configured.
OPTIONAL: Final = frozenset({"oidc_sign_in", "oidc_callback"})


def route_name(route: object) -> str | None:
    name = getattr(route, "name", None)
    return name if isinstance(name, str) else None


@dataclass(frozen=True)
class RouteInfo:
    name: str | None
    path: str
    methods: frozenset[str]


def all_routes(routes: Sequence[BaseRoute]) -> list[RouteInfo]:
    """Every route an application serves, through every included router, with its full path."""
    return [
        RouteInfo(route_name(r), r.path or "", frozenset(r.methods or ()))
        for r in iter_route_contexts(routes)
    ]


def undeclared(routes: Sequence[BaseRoute]) -> list[str]:
    """Routes whose name is not in the table (each would be refused to everyone)."""
    return [f"{r.path} ({r.name})" for r in all_routes(routes) if r.name not in PERMISSIONS]


def allows(route: str, role: Role | None) -> bool:
    allowed = PERMISSIONS.get(route)
    if allowed is None:
        return False
    if isinstance(allowed, _Public):
        return True
    return role is not None and role in allowed


def is_partner(user: CurrentUser) -> bool:
    return user.role in PARTNERS


def action_scope(user: CurrentUser) -> ColumnElement[bool]:
    """The open actions on a user's work queue (a query over Action joined to Concern)."""
    if user.role is Role.SUPERVISOR:
        return true()
    if is_partner(user):
        return reached_actions(user.role, user.agency_code)
    if user.role in CASEWORK:
        return Action.owner_role == user.role.value
    return false()


def can_see_concern(
    user: CurrentUser,
    concern: Concern,
    owner_roles: set[str],
    notified: bool = False,
    holds_child: bool = False,
) -> bool:
    """Whether a user may open a concern whose actions are owned by ``owner_roles``.

    For a partner: ``notified`` says whether the concern was shared with the user's own
    organisation, ``holds_child`` whether that organisation holds a record of the child (then a
    concern with an action for the partner's kind of agency is addressed to it)."""
    if not is_partner(user):
        return allows("concern_page", user.role)
    if user.agency_code is None:
        return False
    return notified or (holds_child and user.role.value in owner_roles)


def can_see_action(
    user: CurrentUser, action: Action, notified: bool = False, holds_child: bool = False
) -> bool:
    """Partners see every action of a concern shared with their organisation, and their own kind
    of agency's actions about a child their organisation holds a record of; everyone else sees
    them all."""
    if not is_partner(user):
        return True
    if user.agency_code is None:
        return False
    return notified or (holds_child and action.owner_role == user.role.value)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def guard(request: Request) -> None:
    """Enforce ``PERMISSIONS`` and CSRF on the matched route; set ``request.state.user``."""
    route = request.scope.get("route")
    name = route_name(route) if route is not None else None
    allowed = PERMISSIONS.get(name or "")
    request.state.user = None
    if isinstance(allowed, _Public):
        return
    state = request.app.state
    user = session_user(state.db, request.cookies.get(SESSION_COOKIE), state.settings)
    if user is None:
        raise NotSignedInError()
    request.state.user = user
    if allowed is None or user.role not in allowed:
        raise HiddenError() if is_partner(user) else NotPermittedError()
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER)
        if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            value = (await request.form()).get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
        if not tokens_match(user.csrf_token, given):
            raise CsrfError()
