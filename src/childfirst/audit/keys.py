"""The audit key: the secret that seals audit entries and signs checkpoints.

It is kept outside the database, so that someone who can change the database cannot recompute the
seals of entries they edit or remove. It comes from ``CHILDFIRST_AUDIT_KEY``, or from the file
``CHILDFIRST_AUDIT_KEY_FILE`` names. Without either, a development-only key is used; ``serve``
outside development refuses to start without a real one (see ``childfirst.web.settings``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from childfirst.errors import ConfigurationError

KEY_VARIABLE = "CHILDFIRST_AUDIT_KEY"
KEY_FILE_VARIABLE = "CHILDFIRST_AUDIT_KEY_FILE"
MIN_KEY_LENGTH = 32
# Never accepted outside development: a copied development setup cannot go live with it.
DEVELOPMENT_KEY = "development-only-audit-key-do-not-use-in-production"


@dataclass(frozen=True)
class AuditKey:
    """The key, and a short public fingerprint of it that says which key sealed a log."""

    secret: bytes = field(repr=False)

    @property
    def id(self) -> str:
        return self.seal(b"childfirst audit key id")[:16]

    @property
    def is_development(self) -> bool:
        return hmac.compare_digest(self.secret, DEVELOPMENT_KEY.encode())

    def seal(self, content: bytes) -> str:
        """HMAC-SHA256 of ``content`` under the key, in hex."""
        return hmac.new(self.secret, content, hashlib.sha256).hexdigest()


def configured_text(environ: Mapping[str, str] | None = None) -> str:
    """The key as configured (the variable, else the file's content), or "" when none is."""
    env = os.environ if environ is None else environ
    text = env.get(KEY_VARIABLE, "").strip()
    if text:
        return text
    path = env.get(KEY_FILE_VARIABLE, "").strip()
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigurationError(
            f"the audit key file named by {KEY_FILE_VARIABLE} cannot be read: {exc.strerror}"
        ) from exc


def key_problems(text: str) -> list[str]:
    """What is wrong with a configured key for use outside development."""
    if not text:
        return [f"an audit key is required (set {KEY_VARIABLE} or {KEY_FILE_VARIABLE})"]
    if len(text) < MIN_KEY_LENGTH:
        return [f"the audit key must be at least {MIN_KEY_LENGTH} characters"]
    if text == DEVELOPMENT_KEY:
        return ["the development audit key cannot be used outside development"]
    return []


def current_key(environ: Mapping[str, str] | None = None) -> AuditKey:
    """The key this process seals and verifies with: the configured one, else the development key."""
    return AuditKey((configured_text(environ) or DEVELOPMENT_KEY).encode())
