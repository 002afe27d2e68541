"""A small OpenID Connect provider for the tests, served for real on a loopback port.

It publishes a discovery document and its RSA key (made when it starts), signs in whoever
``Provider.behaviour`` names as soon as the browser arrives at the authorization endpoint, and at the
token endpoint checks the client's secret, the redirect address and the PKCE verifier before it
hands out a signed ID token. ``Behaviour`` can also make it misbehave, the way a test needs: a token
for another audience, with another nonce, already expired, or signed with a key it does not publish.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

KEY_ID = "test-signing-key"


@dataclass
class Behaviour:
    """Whom the provider signs in, and what it gets wrong on purpose."""

    username: str = "pp.officer"
    email: str = "pp.officer@force.example"
    email_verified: bool = True
    audience: str | None = None  # another audience than the client's
    nonce: str | None = None  # another nonce than the one the client sent
    lifetime: int = 300  # seconds until the ID token expires; negative for one already expired
    forged: bool = False  # signed with a key the provider does not publish, under its key id


@dataclass(frozen=True)
class Grant:
    """A code handed out by the authorization endpoint, and what it was handed out for."""

    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str


def _b64(number: int) -> str:
    data = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _refuse(error: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error}, status)


@dataclass
class Provider:
    """The provider at ``issuer``, with one registered client."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: set[str] = field(default_factory=set)
    behaviour: Behaviour = field(default_factory=Behaviour)
    # What the token endpoint refused, in order: the tests check why.
    refusals: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._codes: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/jwks", self.jwks),
            ]
        )

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "scopes_supported": ["openid", "profile", "email"],
            }
        )

    async def jwks(self, request: Request) -> Response:
        numbers = self._key.public_key().public_numbers()
        key = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KEY_ID}
        return JSONResponse({"keys": [{**key, "n": _b64(numbers.n), "e": _b64(numbers.e)}]})

    async def authorize(self, request: Request) -> Response:
        """Sign the configured user in at once and send the browser back with a code."""
        query = request.query_params
        if query.get("client_id") != self.client_id:
            return _refuse("unauthorized_client")
        redirect_uri = query.get("redirect_uri", "")
        if redirect_uri not in self.redirect_uris:
            return _refuse("invalid_request: redirect_uri is not registered")
        problems = [
            query.get("response_type") != "code",
            "openid" not in query.get("scope", "").split(),
            query.get("code_challenge_method") != "S256",
            not query.get("code_challenge"),
            not query.get("state"),
            not query.get("nonce"),
        ]
        if any(problems):
            return _refuse("invalid_request")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = Grant(
                self.client_id, redirect_uri, query["code_challenge"], query["nonce"]
            )
        back = urlencode({"code": code, "state": query["state"]})
        return RedirectResponse(f"{redirect_uri}?{back}", status_code=302)

    def _client_is_genuine(self, request: Request) -> bool:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        return (unquote(client_id), unquote(secret)) == (self.client_id, self.client_secret)

    async def token(self, request: Request) -> Response:
        """The ID token for a code, once, to the client it was issued to, with the right verifier."""
        form = await request.form()
        code = str(form.get("code", ""))
        with self._lock:
            grant = self._codes.pop(code, None)
        why = self._refusal(request, form, grant)
        if why is not None:
            self.refusals.append(why)
            return _refuse("invalid_client" if why == "client" else "invalid_grant", 400)
        assert grant is not None
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant.nonce),
            },
            headers={"Cache-Control": "no-store"},
        )

    def _refusal(self, request: Request, form: Any, grant: Grant | None) -> str | None:
        if not self._client_is_genuine(request):
            return "client"
        if form.get("grant_type") != "authorization_code" or grant is None:
            return "code"
        if form.get("redirect_uri") != grant.redirect_uri:
            return "redirect_uri"
        if _s256(str(form.get("code_verifier", ""))) != grant.challenge:
            return "code_verifier"
        return None

    def id_token(self, nonce: str) -> str:
        wanted = self.behaviour
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": f"subject-{wanted.username}",
            "aud": wanted.audience or self.client_id,
            "iat": now,
            "exp": now + wanted.lifetime,
            "nonce": wanted.nonce or nonce,
            "preferred_username": wanted.username,
            "email": wanted.email,
            "email_verified": wanted.email_verified,
        }
        key = self._other_key if wanted.forged else self._key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})


def listener() -> socket.socket:
    """A socket bound to a free loopback port, for ``serve``: its address is known at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextmanager
def serve(app: Any, sock: socket.socket) -> Iterator[str]:
    """Serve an ASGI application with Uvicorn on ``sock`` in a background thread."""
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the test server at {url_of(sock)} did not start")
        time.sleep(0.02)
    try:
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
