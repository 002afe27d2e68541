"""The web application's settings: one typed object, checked when the application starts.

Outside development the settings refuse anything insecure: a missing or short secret key, or the
well-known development key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from childfirst.errors import ConfigurationError
from childfirst.store.database import URL_VARIABLE, database_url

SECRET_VARIABLE = "CHILDFIRST_SECRET_KEY"
DEVELOPMENT_VARIABLE = "CHILDFIRST_DEVELOPMENT"
MIN_SECRET_LENGTH = 32
# Never accepted outside development, so that a copied development setup cannot go live by mistake.
DEVELOPMENT_SECRET = "development-only-secret-key-do-not-use-in-production"


@dataclass(frozen=True)
class Settings:
    """What the web application needs to run.

    ``development`` relaxes the rules for a laptop: cookies may travel over plain HTTP and a
    development secret key is used when none is given.
    """

    database_url: str
    secret_key: str = field(repr=False)
    development: bool = False
    session_lifetime: timedelta = timedelta(hours=12)
    throttle_failures: int = 5
    throttle_window: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ConfigurationError("unsafe web settings: " + "; ".join(problems))

    def problems(self) -> list[str]:
        found: list[str] = []
        if self.throttle_failures < 1:
            found.append("throttle_failures must be at least 1")
        if self.session_lifetime <= timedelta(0):
            found.append("session_lifetime must be positive")
        if self.development:
            return found
        if not self.secret_key:
            found.append(f"a secret key is required (set {SECRET_VARIABLE})")
        elif len(self.secret_key) < MIN_SECRET_LENGTH:
            found.append(f"the secret key must be at least {MIN_SECRET_LENGTH} characters")
        elif self.secret_key == DEVELOPMENT_SECRET:
            found.append("the development secret key cannot be used outside development")
        return found

    @property
    def secure_cookies(self) -> bool:
        return not self.development

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        database: str | None = None,
        development: bool | None = None,
    ) -> Settings:
        """Settings from ``CHILDFIRST_*`` variables; explicit arguments win over the environment."""
        env = os.environ if environ is None else environ
        if development is None:
            development = env.get(DEVELOPMENT_VARIABLE, "").lower() in ("1", "true", "yes")
        secret = env.get(SECRET_VARIABLE, "")
        if not secret and development:
            secret = DEVELOPMENT_SECRET
        return cls(
            database_url=database or env.get(URL_VARIABLE) or database_url(None),
            secret_key=secret,
            development=development,
        )


def new_secret_key() -> str:
    """A fresh random secret key, for an operator to put in ``CHILDFIRST_SECRET_KEY``."""
    return secrets.token_urlsafe(48)
