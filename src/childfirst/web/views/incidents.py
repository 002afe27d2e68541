"""The children-first incident form, and the page of a recorded incident with what it raised.

First the officer names the people dealt with and the address; the page lists every child around
them; then the officer records each child's account and submits. The form's fields are read here and
handed to the library; nothing else is decided in this module.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, QueryParams

from childfirst.domain.vocab import EventType, LinkRole
from childfirst.errors import ImportValidationError
from childfirst.ingest.incidents import ChildAccount, Incident, Involved
from childfirst.web import audit
from childfirst.web.deps import Store, User, get_db, get_user
from childfirst.web.services.incidents import Lookup, look_up, record, view_incident
from childfirst.web.templating import render

router = APIRouter()

PEOPLE_ROWS = 4
EVENT_TYPES = (
    EventType.DOMESTIC_ABUSE,
    EventType.MISSING_RETURNED,
    EventType.MISSING_REPORTED,
    EventType.CUSTODY_DETENTION,
    EventType.ARREST,
    EventType.VIOLENCE,
    EventType.SEXUAL_OFFENCE,
    EventType.CONCERN_FOR_CHILD,
    EventType.WELFARE_CHECK,
    EventType.DRUGS,
    EventType.PUBLIC_ORDER,
    EventType.CRIMINAL_DAMAGE,
)
ROLES = (
    LinkRole.VICTIM,
    LinkRole.SUSPECT,
    LinkRole.WITNESS,
    LinkRole.CALLER,
    LinkRole.REPORTER,
    LinkRole.SUBJECT,
    LinkRole.DETAINEE,
    LinkRole.PARENT_OR_CARER,
    LinkRole.FOUND_WITH,
    LinkRole.PRESENT,
)
FLAGS = (
    ("violent", "Violence was used or threatened"),
    ("weapon", "A weapon was involved"),
    ("overnight", "The detainee was held overnight"),
    ("appropriate_adult_called", "An appropriate adult has been called"),
    ("parent_informed", "The person responsible for the child's welfare has been told"),
)
EventId = Annotated[str, Path(pattern=r"^evt_[0-9a-f]{20}$")]
TEXT_LIMIT = 4000


def _one(values: QueryParams | FormData, name: str) -> str:
    value = values.get(name)
    return value[:TEXT_LIMIT] if isinstance(value, str) else ""


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _step_one(values: QueryParams | FormData) -> dict[str, Any]:
    """What the officer typed in the first part: type, time, address and people with roles."""
    people = [_one(values, f"person_{i}") for i in range(PEOPLE_ROWS)]
    roles = [_one(values, f"role_{i}") for i in range(PEOPLE_ROWS)]
    return {
        "event_type": _one(values, "event_type") or EventType.DOMESTIC_ABUSE.value,
        "occurred_at": _one(values, "occurred_at"),
        "location": _one(values, "location"),
        "people": people,
        "roles": roles,
        "submission": _one(values, "submission") or secrets.token_hex(12),
    }


def _check_step_one(typed: dict[str, Any], lookup: Lookup | None) -> dict[str, str]:
    problems: dict[str, str] = dict(lookup.problems) if lookup else {}
    if typed["event_type"] not in {t.value for t in EVENT_TYPES}:
        problems["event_type"] = "Choose what kind of incident it is."
    at = _when(typed["occurred_at"])
    if at is None:
        problems["occurred_at"] = (
            "Give the date and time of the incident, for example 2025-11-26T21:30."
        )
    for i, (person, role) in enumerate(zip(typed["people"], typed["roles"], strict=True)):
        if person.strip() and role not in {r.value for r in ROLES}:
            problems[f"role_{i}"] = "Choose the person's role."
    if not any(p.strip() for p in typed["people"]) and not typed["location"].strip():
        problems["person_0"] = "Name at least one person, or the address."
    return problems


def _page(
    request: Request,
    typed: dict[str, Any],
    lookup: Lookup | None,
    problems: dict[str, str],
    answers: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    if lookup is not None:
        # The form lists names, dates of birth and the children around them: one entry a view.
        audit.viewed_list(get_db(request), get_user(request), "incident look-up", lookup.shown())
    context = {
        "typed": typed,
        "lookup": lookup,
        "problems": problems,
        "answers": answers or {},
        "event_types": [(t.value, t.kind.label) for t in EVENT_TYPES],
        "roles": [(r.value, r.value.replace("_", " ")) for r in ROLES],
        "flags": FLAGS,
        "rows": range(PEOPLE_ROWS),
    }
    return render(request, "incident_form.html", context, status)


def _look_up(db: Store, typed: dict[str, Any]) -> Lookup:
    return look_up(db, typed["people"], typed["location"], _when(typed["occurred_at"]))


@router.get("/incidents/new", name="incident_form", response_class=HTMLResponse)
def incident_form(request: Request, db: Store, user: User) -> HTMLResponse:
    typed = _step_one(request.query_params)
    if "find" not in request.query_params:
        if not typed["occurred_at"]:
            typed["occurred_at"] = (
                datetime.now().replace(second=0, microsecond=0).isoformat(timespec="minutes")
            )
        return _page(request, typed, None, {})
    problems = _check_step_one(typed, None)
    lookup = None if problems else _look_up(db, typed)
    problems = _check_step_one(typed, lookup)
    return _page(request, typed, lookup, problems, status=422 if problems else 200)


def _accounts(form: FormData, lookup: Lookup) -> tuple[list[ChildAccount], dict[str, str]]:
    accounts: list[ChildAccount] = []
    answers: dict[str, str] = {}
    for child in lookup.children:
        key = child.key
        for item in ("present", "seen", "spoken", "words", "why_not_seen", "why_not_spoken"):
            answers[f"{item}-{key}"] = _one(form, f"{item}-{key}")
        accounts.append(
            ChildAccount(
                child=key,
                records=child.records,
                present=answers[f"present-{key}"] == "yes",
                seen=answers[f"seen-{key}"] == "yes",
                spoken_alone=answers[f"spoken-{key}"] == "yes",
                words=answers[f"words-{key}"],
                why_not_seen=answers[f"why_not_seen-{key}"],
                why_not_spoken=answers[f"why_not_spoken-{key}"],
            )
        )
    return accounts, answers


def _unanswered(lookup: Lookup, answers: dict[str, str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for child in lookup.children:
        for item, question in (
            ("present", "was present"),
            ("seen", "was seen"),
            ("spoken", "was spoken to alone"),
        ):
            if answers.get(f"{item}-{child.key}") not in ("yes", "no"):
                problems[f"{item}-{child.key}"] = f"Say whether {child.name} {question}."
    return problems


def _account_field(field: str, lookup: Lookup) -> str:
    """The form field a library problem names (``children.2.why_not_seen`` and so on)."""
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "children" and parts[1].isdigit():
        index = int(parts[1])
        if index < len(lookup.children):
            item = "spoken" if parts[2] == "spoken_alone" else parts[2]
            return f"{item}-{lookup.children[index].key}"
    return "incident"


@router.post("/incidents", name="incident_record", response_class=HTMLResponse)
async def incident_record(request: Request, db: Store, user: User) -> Response:
    form = await request.form()
    typed = _step_one(form)
    problems = _check_step_one(typed, None)
    if problems:
        return _page(request, typed, None, problems, status=422)
    lookup = _look_up(db, typed)
    problems = _check_step_one(typed, lookup)
    if problems:
        return _page(request, typed, lookup, problems, status=422)
    accounts, answers = _accounts(form, lookup)
    problems = _unanswered(lookup, answers)
    at = _when(typed["occurred_at"])
    assert at is not None
    incident = Incident(
        submission=typed["submission"] if typed["submission"].isalnum() else secrets.token_hex(12),
        event_type=EventType(typed["event_type"]),
        occurred_at=at,
        location=lookup.location.id if lookup.location else None,
        people=[
            Involved(found.id, LinkRole(role))
            for found, role in zip(lookup.people, typed["roles"], strict=True)
            if found is not None
        ],
        children=accounts,
        reference=_one(form, "reference") or None,
        summary=_one(form, "summary") or None,
        outcome=_one(form, "outcome") or None,
        flags={name: True for name, _ in FLAGS if _one(form, name) == "yes"},
    )
    answers.update({name: _one(form, name) for name in ("reference", "summary", "outcome")})
    answers.update({name: _one(form, name) for name, _ in FLAGS})
    if problems:
        return _page(request, typed, lookup, problems, answers, status=422)
    try:
        recorded = await _record(db, user, incident)
    except ImportValidationError as refused:
        found = {_account_field(p.field, lookup): p.reason for p in refused.problems}
        if "incident" in found:
            found["incident"] = "; ".join(
                f"{p.field or 'record'}: {p.reason}" for p in refused.problems
            )
        return _page(request, typed, lookup, found, answers, status=422)
    event_id = recorded.event_ids[-1]
    return RedirectResponse(f"/incidents/{event_id}", status_code=303)


async def _record(db: Store, user: User, incident: Incident) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(record, db, user, incident)


@router.get("/incidents/{event_id}", name="incident_page", response_class=HTMLResponse)
def incident_page(request: Request, db: Store, user: User, event_id: EventId) -> HTMLResponse:
    return render(request, "incident.html", {"incident": view_incident(db, user, event_id)})
