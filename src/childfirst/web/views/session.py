"""Signing in and out, and the home page that sends each role to its first page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from childfirst.store.access import Account
from childfirst.store.database import Database
from childfirst.web import audit
from childfirst.web.auth import (
    CSRF_FIELD,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    SignInError,
    authenticate,
    close_session,
    new_sign_in_token,
    open_session,
    tokens_match,
)
from childfirst.web.deps import Config, Store, User
from childfirst.web.permissions import allows
from childfirst.web.settings import Settings
from childfirst.web.templating import render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an address elsewhere."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def sign_in_page(
    request: Request, settings: Settings, message: str | None, status: int
) -> Response:
    """The sign-in form, with ``message`` when something went wrong (and the single sign-on
    button when it is configured)."""
    token = new_sign_in_token()
    response = render(
        request,
        "sign_in.html",
        {
            "sign_in_token": token,
            "message": message,
            "next": safe_next(request.query_params.get("next")),
            "single_sign_on": settings.oidc is not None,
        },
        status,
    )
    response.set_cookie(
        SIGN_IN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/sign-in", name="sign_in_form", response_class=HTMLResponse)
def sign_in_form(request: Request, settings: Config) -> Response:
    return sign_in_page(request, settings, None, 200)


@router.post("/sign-in", name="sign_in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    db: Store,
    settings: Config,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=500)] = "/",
) -> Response:
    if not tokens_match(request.cookies.get(SIGN_IN_COOKIE, ""), csrf_token):
        return sign_in_page(request, settings, "The form expired. Please sign in again.", 403)
    try:
        address = request.client.host if request.client else None
        account = authenticate(db, username, password, settings, address)
    except SignInError as refused:
        return sign_in_page(request, settings, str(refused), 401)
    return start_session(db, account, settings, next_path)


def start_session(
    db: Database, account: Account, settings: Settings, next_path: str, method: str | None = None
) -> Response:
    """Open a session for ``account`` and send the browser on with its cookie. Given the sign-in
    ``method``, the sign-in is written to the audit log in the same transaction."""
    with db.session(write=True) as session:
        cookie = open_session(session, account, settings)
        if method is not None:
            who = audit.Actor(account.username, account.role)
            audit.record(
                session, who, "signed in", "account", account.username, why=f"method={method}"
            )
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=int(settings.session_lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.delete_cookie(SIGN_IN_COOKIE)
    return response


@router.post("/sign-out", name="sign_out")
def sign_out(db: Store, user: User, settings: Config) -> Response:
    with db.session(write=True) as session:
        close_session(session, user)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response


@router.get("/", name="home")
def home(user: User) -> Response:
    target = next((path for route, path in LANDING if allows(route, user.role)), "/catalogue")
    return RedirectResponse(target, status_code=303)


# Where a role lands after signing in: the first of these pages it may open.
LANDING = (
    ("queue_page", "/queue"),
    ("case_review_page", "/case-review"),
    ("dashboard_page", "/dashboards"),
)
