"""Single sign-on with OpenID Connect: the authorization-code flow with PKCE, ``state`` and ``nonce``.

Signing in goes to the provider's authorization endpoint, found in its discovery document
(``/.well-known/openid-configuration`` under the issuer, fetched once an hour). What the browser
must bring back, the ``state``, the ``nonce`` and the PKCE verifier, travels in a short-lived cookie
signed with the application's secret key. On its return the code is exchanged at the token endpoint
with the verifier, and the ID token is believed only after its signature is checked against the
provider's published keys (fetched again when a token names a key not yet seen) and its issuer,
audience, expiry and nonce are right. The claim named by the settings is then the username of an
existing account: single sign-on never creates one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
import jwt
from itsdangerous import BadSignature, URLSafeTimedSerializer

from childfirst.errors import ChildfirstError
from childfirst.web.settings import OidcSettings

DISCOVERY_PATH = "/.well-known/openid-configuration"
FLOW_COOKIE = "childfirst_oidc"
# How long a browser may take at the provider before the flow must start again.
FLOW_LIFETIME = 600
# How long the discovery document and the provider's keys are trusted before they are fetched again.
CACHE_SECONDS = 3600
# The provider's keys are fetched again for an unknown key id at most this often.
KEYS_REFRESH_SECONDS = 60
# Clock difference between the provider and this server that is tolerated on expiry.
LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10.0
# Asymmetric signatures only: never "none", and never a shared-secret HMAC.
ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class OidcError(ChildfirstError):
    """The provider could not be used, or its answer could not be trusted: the sign-in is refused."""


@dataclass(frozen=True)
class Provider:
    """What the discovery document says about the provider."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: frozenset[str]
    secret_in_body: bool  # the provider takes the client secret in the form, not HTTP Basic


@dataclass(frozen=True)
class Flow:
    """One sign-in in progress: what the browser must bring back from the provider."""

    state: str
    nonce: str
    verifier: str
    next_path: str

    @classmethod
    def start(cls, next_path: str) -> Flow:
        return cls(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            verifier=secrets.token_urlsafe(64),  # 86 characters, within PKCE's 43 to 128
            next_path=next_path,
        )

    def dumps(self, secret_key: str) -> str:
        payload = [self.state, self.nonce, self.verifier, self.next_path]
        return _flow_serializer(secret_key).dumps(payload)

    @classmethod
    def loads(cls, cookie: str | None, secret_key: str) -> Flow | None:
        """The flow in a cookie, if the cookie is genuine and recent."""
        if not cookie:
            return None
        try:
            payload = _flow_serializer(secret_key).loads(cookie, max_age=FLOW_LIFETIME)
        except BadSignature:
            return None
        if not (isinstance(payload, list) and len(payload) == 4):
            return None
        if not all(isinstance(part, str) for part in payload):
            return None
        return cls(*payload)

    def matches(self, state: str | None) -> bool:
        return bool(state) and hmac.compare_digest(self.state.encode(), (state or "").encode())


def _flow_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="childfirst.oidc")


def code_challenge(verifier: str) -> str:
    """The PKCE S256 challenge for a verifier (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _secure_enough(issuer: str, url: str) -> bool:
    """An endpoint may use plain HTTP only when the issuer itself does (in development)."""
    scheme = urlsplit(url).scheme
    return scheme == "https" or (scheme == "http" and urlsplit(issuer).scheme == "http")


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code != 200:
        raise OidcError(f"the provider's {what} answered {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise OidcError(f"the provider's {what} is not JSON") from exc
    if not isinstance(body, dict):
        raise OidcError(f"the provider's {what} is not a JSON object")
    return body


class OidcClient:
    """The relying party: one per application, safe to share between request threads."""

    def __init__(self, settings: OidcSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._provider: Provider | None = None
        self._provider_at = 0.0
        self._keys: dict[str, jwt.PyJWK] = {}
        self._keys_at = 0.0

    def _get(self, url: str, what: str) -> dict[str, Any]:
        try:
            response = httpx.get(
                url, timeout=TIMEOUT_SECONDS, headers={"Accept": "application/json"}
            )
        except httpx.HTTPError as exc:
            raise OidcError(f"the provider's {what} could not be fetched: {exc}") from exc
        return _json(response, what)

    def provider(self) -> Provider:
        """The provider's endpoints, from its discovery document (cached)."""
        with self._lock:
            if self._provider is not None and time.monotonic() - self._provider_at < CACHE_SECONDS:
                return self._provider
            issuer = self.settings.issuer
            document = self._get(issuer.rstrip("/") + DISCOVERY_PATH, "discovery document")
            if document.get("issuer") != issuer:
                raise OidcError("the discovery document names another issuer")
            endpoints = [
                document.get(name) for name in ("authorization_endpoint", "token_endpoint")
            ]
            jwks_uri = document.get("jwks_uri")
            urls = [*endpoints, jwks_uri]
            if not all(isinstance(u, str) and _secure_enough(issuer, u) for u in urls):
                raise OidcError("the discovery document lacks an endpoint, or one is not https")
            offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
            algorithms = ALGORITHMS.intersection(offered if isinstance(offered, list) else [])
            if not algorithms:
                raise OidcError("the provider signs ID tokens with no algorithm accepted here")
            methods = document.get("token_endpoint_auth_methods_supported") or []
            self._provider = Provider(
                issuer=issuer,
                authorization_endpoint=str(endpoints[0]),
                token_endpoint=str(endpoints[1]),
                jwks_uri=str(jwks_uri),
                algorithms=frozenset(algorithms),
                secret_in_body=(
                    "client_secret_basic" not in methods and "client_secret_post" in methods
                ),
            )
            self._provider_at = time.monotonic()
            return self._provider

    def authorization_url(self, flow: Flow) -> str:
        """Where to send the browser to sign in."""
        endpoint = self.provider().authorization_endpoint
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.settings.client_id,
                "redirect_uri": self.settings.redirect_url,
                "scope": " ".join(self.settings.scopes),
                "state": flow.state,
                "nonce": flow.nonce,
                "code_challenge": code_challenge(flow.verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}{'&' if urlsplit(endpoint).query else '?'}{query}"

    def redeem(self, code: str, flow: Flow) -> dict[str, Any]:
        """The verified claims of the ID token that ``code`` is exchanged for."""
        provider = self.provider()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.settings.redirect_url,
            "code_verifier": flow.verifier,
            "client_id": self.settings.client_id,
        }
        auth: httpx.BasicAuth | None = None
        if self.settings.client_secret and provider.secret_in_body:
            form["client_secret"] = self.settings.client_secret
        elif self.settings.client_secret:
            # RFC 6749 2.3.1: each part form-encoded before it goes into the Basic header.
            auth = httpx.BasicAuth(
                quote(self.settings.client_id, safe=""),
                quote(self.settings.client_secret, safe=""),
            )
        try:
            response = httpx.post(
                provider.token_endpoint,
                data=form,
                auth=auth,
                timeout=TIMEOUT_SECONDS,
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise OidcError(f"the provider's token endpoint could not be reached: {exc}") from exc
        if response.status_code != 200:
            raise OidcError(f"the provider refused the code ({_error_of(response)})")
        id_token = _json(response, "token endpoint").get("id_token")
        if not isinstance(id_token, str):
            raise OidcError("the provider returned no ID token")
        return self.verify(id_token, flow.nonce)

    def verify(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The claims of an ID token whose signature, issuer, audience, expiry and nonce are right."""
        provider = self.provider()
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.InvalidTokenError as exc:
            raise OidcError(f"the ID token is malformed: {exc}") from exc
        algorithm = header.get("alg")
        if algorithm not in provider.algorithms:
            raise OidcError(f"the ID token is signed with {algorithm!r}, which is not accepted")
        key = self._key(provider, header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key=key.key,
                algorithms=[str(algorithm)],
                audience=self.settings.client_id,
                issuer=provider.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as exc:
            raise OidcError(f"the ID token is not valid: {exc}") from exc
        given = claims.get("nonce")
        if not isinstance(given, str) or not hmac.compare_digest(given.encode(), nonce.encode()):
            raise OidcError("the ID token's nonce is not the one this sign-in sent")
        audience = claims["aud"]
        shared = isinstance(audience, list) and len(audience) > 1
        if shared and claims.get("azp") != self.settings.client_id:
            raise OidcError("the ID token was issued to another party (azp)")
        return claims

    def _key(self, provider: Provider, kid: object) -> jwt.PyJWK:
        """The provider's signing key with this id (or its only key, when the token names none)."""
        with self._lock:
            stale = time.monotonic() - self._keys_at >= CACHE_SECONDS
            unknown = isinstance(kid, str) and kid not in self._keys
            may_refresh = time.monotonic() - self._keys_at >= KEYS_REFRESH_SECONDS
            if stale or (unknown and may_refresh):
                self._keys = self._fetch_keys(provider)
                self._keys_at = time.monotonic()
            if isinstance(kid, str):
                found = self._keys.get(kid)
            else:
                found = next(iter(self._keys.values())) if len(self._keys) == 1 else None
        if found is None:
            raise OidcError("the ID token is signed with a key the provider does not publish")
        return found

    def _fetch_keys(self, provider: Provider) -> dict[str, jwt.PyJWK]:
        document = self._get(provider.jwks_uri, "key set")
        try:
            keys = jwt.PyJWKSet.from_dict(document).keys
        except (jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
            raise OidcError(f"the provider's key set has no usable key: {exc}") from exc
        signing = [key for key in keys if key.public_key_use in (None, "sig")]
        return {str(key.key_id or ""): key for key in signing}


def _error_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"status {response.status_code}"
    error = body.get("error") if isinstance(body, dict) else None
    return str(error)[:100] if error else f"status {response.status_code}"


def username_from(claims: dict[str, Any], claim: str) -> str:
    """The username an ID token names, from the configured claim."""
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        raise OidcError(f"the ID token has no {claim!r} claim")
    if claim == "email" and claims.get("email_verified") is False:
        raise OidcError("the provider has not verified this email address")
    return value.strip()[:100]
