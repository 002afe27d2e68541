"""Single sign-on with the force's OpenID Connect provider (served only when it is configured).

``/sign-in/oidc`` sends the browser to the provider; ``/sign-in/oidc/callback`` is where the provider
sends it back. A verified identity opens the same session as a password would, but only for an
existing active account with that username; anyone else is refused, and the refusal is audited.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from childfirst.store.access import Account
from childfirst.web import audit
from childfirst.web.deps import Config, Store
from childfirst.web.oidc import (
    FLOW_COOKIE,
    FLOW_LIFETIME,
    Flow,
    OidcClient,
    OidcError,
    username_from,
)
from childfirst.web.settings import Settings
from childfirst.web.views.session import safe_next, sign_in_page, start_session

log = logging.getLogger(__name__)

router = APIRouter()

METHOD = "oidc"
UNAVAILABLE = (
    "Single sign-on is not available at the moment. Sign in with your username and password, "
    "or try again later."
)
EXPIRED = "The single sign-on attempt expired or did not start here. Please try again."
NOT_SIGNED_IN = "The sign-in service did not sign you in. Please try again."
NOT_VERIFIED = (
    "The answer from the sign-in service could not be verified, so you have not been signed in. "
    "Please try again."
)
NO_ACCOUNT = (
    "The sign-in service knows you as {username}, but there is no active childfirst account "
    "with that username. Ask an administrator to set one up for you."
)


def get_client(request: Request) -> OidcClient:
    client = request.app.state.oidc
    assert isinstance(client, OidcClient)
    return client


Client = Annotated[OidcClient, Depends(get_client)]


def _refuse(request: Request, settings: Settings, message: str, status: int) -> Response:
    response = sign_in_page(request, settings, message, status)
    _forget_flow(response, settings)
    return response


def _forget_flow(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        FLOW_COOKIE, httponly=True, samesite="lax", secure=settings.secure_cookies
    )


@router.get("/sign-in/oidc", name="oidc_sign_in")
def oidc_sign_in(
    request: Request,
    settings: Config,
    client: Client,
    next_path: Annotated[str, Query(alias="next", max_length=500)] = "/",
) -> Response:
    flow = Flow.start(safe_next(next_path))
    try:
        url = client.authorization_url(flow)
    except OidcError as problem:
        log.warning("single sign-on is unavailable: %s", problem)
        return sign_in_page(request, settings, UNAVAILABLE, 503)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLOW_COOKIE,
        flow.dumps(settings.secret_key),
        max_age=FLOW_LIFETIME,
        httponly=True,
        # Lax: the cookie must come back on the provider's top-level redirect to the callback.
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/sign-in/oidc/callback", name="oidc_callback")
def oidc_callback(
    request: Request,
    db: Store,
    settings: Config,
    client: Client,
    code: Annotated[str, Query(max_length=4096)] = "",
    state: Annotated[str, Query(max_length=500)] = "",
    error: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    flow = Flow.loads(request.cookies.get(FLOW_COOKIE), settings.secret_key)
    if flow is None or not flow.matches(state):
        return _refuse(request, settings, EXPIRED, 400)
    if error or not code:
        log.info("single sign-on: the provider answered %r", error[:100] or "without a code")
        return _refuse(request, settings, NOT_SIGNED_IN, 401)
    try:
        claims = client.redeem(code, flow)
        username = username_from(claims, client.settings.username_claim)
    except OidcError as problem:
        log.warning("single sign-on refused: %s", problem)
        return _refuse(request, settings, NOT_VERIFIED, 401)
    with db.session() as session:
        account = session.scalar(select(Account).where(Account.username == username))
    if account is None or not account.active:
        with db.session(write=True) as session:
            audit.record(
                session,
                audit.Actor(username, "none"),
                "sign-in refused",
                "account",
                username,
                why=f"method={METHOD}; no active account with this username",
            )
        return _refuse(request, settings, NO_ACCOUNT.format(username=username), 403)
    response = start_session(db, account, settings, flow.next_path, method=METHOD)
    _forget_flow(response, settings)
    return response
