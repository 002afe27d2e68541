"""Security headers on every response: what a browser may load, frame, cache and send elsewhere.

- ``Content-Security-Policy``: scripts, styles, images and requests from this site only, no
  plugins, no ``<base>``, forms that post only here, and no framing by any site (so no
  click-jacking). The pages carry no inline script or style, and htmx runs with its eval features
  and injected styles switched off (``base.html``), so nothing needs ``'unsafe-inline'``.
- ``X-Frame-Options: DENY`` says the same as ``frame-ancestors`` to older browsers.
- ``X-Content-Type-Options: nosniff``: a response is only ever read as the type it declares.
- ``Referrer-Policy: no-referrer``: addresses of this site (which hold record ids) are never sent
  to another.
- ``Cache-Control: no-store`` on everything but the static assets: pages, API answers, exports and
  error pages may name children, so neither the browser nor a proxy keeps a copy.
- ``Strict-Transport-Security`` outside development: browsers reach the site over HTTPS only.

``SecurityHeaders`` wraps the application; the handler of unexpected errors, which answers outside
it, adds the same headers itself (``for_path``).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
STRICT_TRANSPORT = "max-age=31536000"
STATIC_PREFIX = "/static/"

ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def for_path(path: str, strict_transport: bool) -> dict[str, str]:
    """The security headers of a response to a request for ``path``."""
    headers = dict(ALWAYS)
    if not path.startswith(STATIC_PREFIX):
        headers["Cache-Control"] = "no-store"
    if strict_transport:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT
    return headers


class SecurityHeaders:
    """ASGI middleware that puts ``for_path``'s headers on every HTTP response."""

    def __init__(self, app: ASGIApp, *, strict_transport: bool) -> None:
        self.app = app
        self.strict_transport = strict_transport

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = for_path(scope["path"], self.strict_transport)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
