"""The web application's settings: one typed object, checked when the application starts.

Outside development the settings refuse anything insecure: a missing or short secret key, the
well-known development key, a missing or development audit key, or single sign-on over plain HTTP.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from childfirst.audit.keys import configured_text, key_problems
from childfirst.errors import ConfigurationError
from childfirst.store.database import URL_VARIABLE, database_url

SECRET_VARIABLE = "CHILDFIRST_SECRET_KEY"
DEVELOPMENT_VARIABLE = "CHILDFIRST_DEVELOPMENT"
IDLE_VARIABLE = "CHILDFIRST_SESSION_IDLE_MINUTES"
ADDRESS_FAILURES_VARIABLE = "CHILDFIRST_SIGN_IN_ADDRESS_FAILURES"
MIN_SECRET_LENGTH = 32
# Never accepted outside development, so that a copied development setup cannot go live by mistake.
DEVELOPMENT_SECRET = "development-only-secret-key-do-not-use-in-production"

# Single sign-on through the force's OpenID Connect provider: off unless one of these is set.
OIDC_ISSUER_VARIABLE = "CHILDFIRST_OIDC_ISSUER"
OIDC_CLIENT_ID_VARIABLE = "CHILDFIRST_OIDC_CLIENT_ID"
OIDC_CLIENT_SECRET_VARIABLE = "CHILDFIRST_OIDC_CLIENT_SECRET"
OIDC_REDIRECT_URL_VARIABLE = "CHILDFIRST_OIDC_REDIRECT_URL"
OIDC_USERNAME_CLAIM_VARIABLE = "CHILDFIRST_OIDC_USERNAME_CLAIM"
OIDC_SCOPES_VARIABLE = "CHILDFIRST_OIDC_SCOPES"
OIDC_VARIABLES = (
    OIDC_ISSUER_VARIABLE,
    OIDC_CLIENT_ID_VARIABLE,
    OIDC_CLIENT_SECRET_VARIABLE,
    OIDC_REDIRECT_URL_VARIABLE,
    OIDC_USERNAME_CLAIM_VARIABLE,
    OIDC_SCOPES_VARIABLE,
)
DEFAULT_SCOPES = ("openid", "profile", "email")


@dataclass(frozen=True)
class OidcSettings:
    """Single sign-on with the force's OpenID Connect provider.

    ``username_claim`` names the ID token claim whose value is a childfirst account's username
    (``preferred_username`` by default, or ``email``); accounts are never created from it. An
    empty ``client_secret`` makes a public client, which proves itself with PKCE alone.
    """

    issuer: str
    client_id: str
    redirect_url: str
    client_secret: str = field(default="", repr=False)
    username_claim: str = "preferred_username"
    scopes: tuple[str, ...] = DEFAULT_SCOPES

    def problems(self, development: bool) -> list[str]:
        found: list[str] = []
        for value, variable in (
            (self.issuer, OIDC_ISSUER_VARIABLE),
            (self.client_id, OIDC_CLIENT_ID_VARIABLE),
            (self.redirect_url, OIDC_REDIRECT_URL_VARIABLE),
        ):
            if not value:
                found.append(f"single sign-on needs {variable}")
            elif variable != OIDC_CLIENT_ID_VARIABLE and not _is_url(value, development):
                https = "an https" if not development else "an http(s)"
                found.append(f"{variable} must be {https} address")
        if not self.username_claim:
            found.append(f"{OIDC_USERNAME_CLAIM_VARIABLE} must name a claim")
        if "openid" not in self.scopes:
            found.append(f"{OIDC_SCOPES_VARIABLE} must include openid")
        return found


def _is_url(value: str, development: bool) -> bool:
    parts = urlsplit(value)
    schemes = ("https", "http") if development else ("https",)
    return parts.scheme in schemes and bool(parts.netloc) and not parts.fragment


@dataclass(frozen=True)
class Settings:
    """What the web application needs to run.

    ``development`` relaxes the rules for a laptop: cookies may travel over plain HTTP, browsers
    are not told to insist on HTTPS, and a development secret key is used when none is given.

    Sessions and sign-in:

    - ``session_lifetime``: a session ends this long after signing in, however busy (12 hours).
    - ``session_idle``: a session unused for this long ends too, and its user must sign in again
      (30 minutes; ``CHILDFIRST_SESSION_IDLE_MINUTES``). Use extends it, noted at most once a
      minute.
    - ``throttle_failures``: failed sign-ins as one username within ``throttle_window`` (15
      minutes) after which that username is refused until the window has passed (5). A successful
      sign-in starts the count again.
    - ``throttle_address_failures``: failed sign-ins from one client address, whatever the
      usernames, within ``throttle_window`` after which that address is refused until the window
      has passed (20; ``CHILDFIRST_SIGN_IN_ADDRESS_FAILURES``). Success does not reset it, so
      one password tried across many usernames is slowed to this many guesses per window. Behind
      a reverse proxy the address is the one the proxy reports in ``X-Forwarded-For`` (Uvicorn
      trusts it from the addresses in ``FORWARDED_ALLOW_IPS``, 127.0.0.1 by default); otherwise
      every user would share the proxy's address and its limit.
    """

    database_url: str
    secret_key: str = field(repr=False)
    development: bool = False
    session_lifetime: timedelta = timedelta(hours=12)
    session_idle: timedelta = timedelta(minutes=30)
    throttle_failures: int = 5
    throttle_address_failures: int = 20
    throttle_window: timedelta = timedelta(minutes=15)
    oidc: OidcSettings | None = None
    # The audit key as configured (CHILDFIRST_AUDIT_KEY or the file CHILDFIRST_AUDIT_KEY_FILE
    # names): required outside development; the audit log reads it from the same place.
    audit_key: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ConfigurationError("unsafe web settings: " + "; ".join(problems))

    def problems(self) -> list[str]:
        found: list[str] = []
        if self.throttle_failures < 1:
            found.append("throttle_failures must be at least 1")
        if self.throttle_address_failures < 1:
            found.append("throttle_address_failures must be at least 1")
        if self.session_lifetime <= timedelta(0):
            found.append("session_lifetime must be positive")
        if self.session_idle <= timedelta(0):
            found.append("session_idle must be positive")
        if self.oidc is not None:
            found.extend(self.oidc.problems(self.development))
        if self.development:
            return found
        if not self.secret_key:
            found.append(f"a secret key is required (set {SECRET_VARIABLE})")
        elif len(self.secret_key) < MIN_SECRET_LENGTH:
            found.append(f"the secret key must be at least {MIN_SECRET_LENGTH} characters")
        elif self.secret_key == DEVELOPMENT_SECRET:
            found.append("the development secret key cannot be used outside development")
        found.extend(key_problems(self.audit_key))
        return found

    @property
    def secure_cookies(self) -> bool:
        return not self.development

    @property
    def strict_transport(self) -> bool:
        """Whether browsers are told to reach the application over HTTPS only (HSTS)."""
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
            session_idle=timedelta(minutes=_whole(env, IDLE_VARIABLE, 30)),
            throttle_address_failures=_whole(env, ADDRESS_FAILURES_VARIABLE, 20),
            oidc=oidc_from_environment(env),
            audit_key=configured_text(env),
        )


def _whole(env: Mapping[str, str], variable: str, default: int) -> int:
    """A positive whole number from the environment, or ``default`` when it is not set."""
    value = env.get(variable, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(f"{variable} must be a whole number of at least 1, not {value!r}")
    return int(value)


def oidc_from_environment(env: Mapping[str, str]) -> OidcSettings | None:
    """Single sign-on settings, or None when no ``CHILDFIRST_OIDC_*`` variable is set."""
    if not any(env.get(variable, "").strip() for variable in OIDC_VARIABLES):
        return None
    scopes = env.get(OIDC_SCOPES_VARIABLE, "").replace(",", " ").split()
    return OidcSettings(
        issuer=env.get(OIDC_ISSUER_VARIABLE, "").strip(),
        client_id=env.get(OIDC_CLIENT_ID_VARIABLE, "").strip(),
        client_secret=env.get(OIDC_CLIENT_SECRET_VARIABLE, ""),
        redirect_url=env.get(OIDC_REDIRECT_URL_VARIABLE, "").strip(),
        username_claim=env.get(OIDC_USERNAME_CLAIM_VARIABLE, "").strip() or "preferred_username",
        scopes=tuple(scopes) or DEFAULT_SCOPES,
    )


def new_secret_key() -> str:
    """A fresh random secret key, for an operator to put in ``CHILDFIRST_SECRET_KEY``."""
    return secrets.token_urlsafe(48)
