"""Errors raised at the web edge, and how every error becomes a response.

API requests (under ``/api/``) get problem-details JSON (RFC 9457); page requests get an HTML error
page, or are sent to the sign-in page when nobody is signed in. Domain errors from the library are
converted here and nowhere else.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from childfirst.errors import (
    ChildfirstError,
    ConcurrentEditError,
    ImportValidationError,
    InvalidValueError,
    NotAuthorisedError,
    NotFoundError,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


class WebError(Exception):
    status = 500
    title = "Something went wrong"
    detail = "The request could not be completed."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.detail)
        if detail:
            self.detail = detail


class NotSignedInError(WebError):
    status = 401
    title = "Sign in needed"
    detail = "Sign in to use this page."


class NotPermittedError(WebError):
    status = 403
    title = "Not permitted"
    detail = "Your role does not give you access to this."


class HiddenError(WebError):
    """Refused in a way that does not reveal whether the thing exists (for partner agencies)."""

    status = 404
    title = "Not found"
    detail = "There is nothing here."


class CsrfError(WebError):
    status = 403
    title = "Form expired"
    detail = (
        "The form was missing its security token or has expired. Reload the page and try again."
    )


def domain_status(exc: ChildfirstError) -> tuple[int, str]:
    if isinstance(exc, NotFoundError):
        return 404, HiddenError.title
    if isinstance(exc, ConcurrentEditError):
        return 409, "Changed by someone else"
    if isinstance(exc, NotAuthorisedError):
        return 403, NotPermittedError.title
    if isinstance(exc, InvalidValueError):
        return 422, "Check your input"
    return 409, "Not possible now"


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def problem(status: int, title: str, detail: str, request: Request, **extra: Any) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    headers = {"WWW-Authenticate": 'Cookie realm="childfirst"'} if status == 401 else None
    return JSONResponse(body, status, media_type="application/problem+json", headers=headers)


class Problem(BaseModel):
    """Every API error, as problem details (RFC 9457): what ``problem`` writes."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, str]] | None = Field(
        default=None, description="For a request that is not valid: where each problem is, and why"
    )
    # For a change refused because the record changed since its author saw it (409).
    expected_version: int | None = Field(default=None, description="The version the change saw")
    current_version: int | None = Field(default=None, description="The record's version now")
    changed_by: str | None = Field(default=None, description="Who made the latest change")
    changed_at: str | None = Field(default=None, description="When the latest change was made")
    current_status: str | None = Field(default=None, description="The record's status now")


def problem_responses() -> dict[int | str, dict[str, Any]]:
    """The errors every API operation may answer with, for its OpenAPI description."""
    described = {
        400: "The body could not be read",
        401: "Not signed in",
        403: "Not permitted to this role, or the CSRF token is missing",
        404: "Not found, or not shared with the user's agency",
        409: "Not possible in the record's present state, or changed by someone else",
        422: "The request is not valid; `errors` says where and why",
    }
    return {
        status: {
            "description": text,
            "content": {"application/problem+json": {"schema": Problem.model_json_schema()}},
        }
        for status, text in described.items()
    }


def _where(collection: str, position: int, field: str) -> str:
    """Where a problem is in a request: ``records.0.links.1.person`` (counted from 0)."""
    parts = [collection] if collection else []
    if position:
        parts.append(str(position - 1))
    if field:
        parts.append(field)
    return ".".join(parts)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document or an error page."""
    from childfirst.web import headers
    from childfirst.web.templating import render_error

    def respond(request: Request, status: int, title: str, detail: str, **extra: Any) -> Response:
        if is_api(request):
            return problem(status, title, detail, request, **extra)
        if status == 401:
            return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)
        return render_error(request, status, title, detail)

    async def web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return respond(request, exc.status, exc.title, exc.detail)

    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ChildfirstError)
        if isinstance(exc, ImportValidationError):
            errors = [
                {"where": _where(p.file, p.line, p.field), "problem": p.reason}
                for p in exc.problems
            ]
            detail = "; ".join(f"{e['where']}: {e['problem']}" for e in errors[:20])
            return respond(request, 422, "Check your input", detail, errors=errors)
        status, title = domain_status(exc)
        detail = HiddenError.detail if status == 404 else str(exc)
        if isinstance(exc, ConcurrentEditError):  # what changed, for the loser of a race
            return respond(request, status, title, detail, **exc.details())
        return respond(request, status, title, detail)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg"))}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['where']}: {e['problem']}" for e in errors) or "invalid request"
        return respond(request, 422, "Check your input", detail, errors=errors)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        title = {404: HiddenError.title, 405: "Method not allowed"}.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 404:
            detail = HiddenError.detail
        response = respond(request, exc.status_code, title, detail)
        response.headers.update(exc.headers or {})  # such as Allow, with a 405
        return response

    async def unstorable(request: Request, exc: Exception) -> Response:
        # The store refused a value the request carried (PostgreSQL takes no NUL in text).
        log.warning("refused data on %s %s: %s", request.method, request.url.path, exc)
        detail = "The request holds characters or values that cannot be stored."
        return respond(request, 422, "Check your input", detail)

    async def stale(request: Request, exc: Exception) -> Response:
        # A conditional update found its row changed under it: a race the library did not see.
        log.warning("stale write on %s %s: %s", request.method, request.url.path, exc)
        detail = "The record was changed by someone else meanwhile. Reload it and try again."
        return respond(request, 409, "Changed by someone else", detail)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        response = respond(request, 500, WebError.title, WebError.detail)
        # Answered outside the middleware that adds the security headers: added here instead.
        strict = request.app.state.settings.strict_transport
        response.headers.update(headers.for_path(request.url.path, strict))
        return response

    app.add_exception_handler(WebError, web_error)
    app.add_exception_handler(ChildfirstError, domain_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DataError, unstorable)
    app.add_exception_handler(StaleDataError, stale)
    app.add_exception_handler(Exception, unexpected)
