"""Dependencies the routes share: the store, and the user the guard has let through."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from childfirst.store.database import Database
from childfirst.web.auth import CurrentUser
from childfirst.web.errors import NotSignedInError
from childfirst.web.settings import Settings


def get_db(request: Request) -> Database:
    db = request.app.state.db
    assert isinstance(db, Database)
    return db


def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def get_user(request: Request) -> CurrentUser:
    user = getattr(request.state, "user", None)
    if not isinstance(user, CurrentUser):
        raise NotSignedInError()
    return user


Store = Annotated[Database, Depends(get_db)]
Config = Annotated[Settings, Depends(get_settings)]
User = Annotated[CurrentUser, Depends(get_user)]
