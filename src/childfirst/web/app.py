"""Building the web application: settings, store, templates, static assets, routes and guards."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from childfirst.errors import ConfigurationError
from childfirst.store.database import Database
from childfirst.web import api, errors
from childfirst.web.headers import SecurityHeaders
from childfirst.web.oidc import OidcClient
from childfirst.web.permissions import guard, undeclared
from childfirst.web.settings import Settings
from childfirst.web.startup import lifespan
from childfirst.web.templating import HERE
from childfirst.web.views import (
    case_review,
    catalogue,
    children,
    concerns,
    dashboards,
    incidents,
    notifications,
    oidc,
    protection,
    queue,
    review,
    search,
    session,
)

PAGE_ROUTERS = (
    session.router,
    queue.router,
    concerns.router,
    children.router,
    catalogue.router,
    dashboards.router,
    case_review.router,
    incidents.router,
    notifications.router,
    search.router,
    review.router,
    protection.router,
)


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    """The application over ``db`` (by default the store at ``settings.database_url``)."""
    app = FastAPI(
        title="childfirst",
        summary="Safeguarding record, concerns and actions for police forces and partner agencies.",
        version="1",
        openapi_url=f"{api.PREFIX}/openapi.json",
        docs_url=None,  # the interactive pages load scripts from a CDN; the app runs offline
        redoc_url=None,
        dependencies=[Depends(guard)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.database_url)
    for router in PAGE_ROUTERS:
        app.include_router(router, include_in_schema=False)
    if settings.oidc is not None:
        # Single sign-on: without its settings its routes do not exist at all.
        app.state.oidc = OidcClient(settings.oidc)
        app.include_router(oidc.router, include_in_schema=False)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    missing = undeclared(app.routes)
    if missing:
        raise ConfigurationError("routes without declared permissions: " + ", ".join(missing))
    errors.install(app)
    app.add_middleware(SecurityHeaders, strict_transport=settings.strict_transport)
    return app
