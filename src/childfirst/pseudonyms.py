"""Stable pseudonyms for people, places and staff, and pseudonymous keys for addresses.

A pseudonym is a keyed hash (HMAC-SHA256) of the record's id under a secret, written as four
letters: "Child KQTR", "Adult MWZB", "Address HPLC", "School TQZW". The same id always gets the same
pseudonym under the same secret, so a reader can follow one person through a case without learning
who they are, and nobody without the secret can turn a pseudonym back into an id by trying ids.
Four letters are a label, not a key: two people among thousands may share one.

A page's address needs a key that names one record exactly and still tells nothing: ``token``
encrypts the id deterministically (a synthetic IV: an HMAC of the id is both the check and the seed
of the keystream that hides it), so the same record always has the same key, the application can
read it back with ``reveal``, and anything else, a real id included, reveals nothing. A key is bound
to its kind: a concern's key does not open a child.

Free text is scrubbed by ``childfirst.scrubbing``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, which read as numbers
_TAG = 12  # bytes of the check (96 bits): a guessed key opens nothing
_MAX_TOKEN = 200
# What a place is called, by its location type; a dwelling or any other place is an "Address".
_PLACE_NOUNS = {
    "school": "School",
    "hospital": "Hospital",
    "childrens_home": "Children's home",
    "foster_home": "Foster home",
    "custody_suite": "Custody suite",
    "hotel": "Hotel",
    "business": "Business",
    "public_place": "Public place",
}
_SCHOOL_KINDS = (
    ("nursery", "Nursery school"),
    ("primary", "Primary school"),
    ("secondary", "Secondary school"),
    ("high school", "Secondary school"),
    ("college", "College"),
)
AGENCY_KINDS = {
    "police": "police",
    "childrens_social_care": "children's social care",
    "education": "education",
    "health": "health",
    "probation": "probation",
    "housing": "housing",
    "other": "another agency",
}


def agency_label(kind: str) -> str:
    """An agency as a reader of pseudonymised records sees it: by its kind, never its name."""
    return AGENCY_KINDS.get(kind, "another agency")


def place_noun(location_type: str | None, address: str = "") -> str:
    """What a place is ("Primary school", "Hospital", "Address"), never what it is called."""
    noun = _PLACE_NOUNS.get(location_type or "", "Address")
    if noun == "School":
        lowered = address.lower()
        noun = next((n for word, n in _SCHOOL_KINDS if word in lowered), noun)
    return noun


class Pseudonyms:
    """Pseudonyms keyed by ``secret`` (the application's secret key)."""

    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), b"childfirst pseudonyms", hashlib.sha256).digest()
        self._check = hmac.new(secret.encode(), b"childfirst keys: check", hashlib.sha256).digest()
        self._hide = hmac.new(secret.encode(), b"childfirst keys: hide", hashlib.sha256).digest()

    def code(self, kind: str, identifier: str) -> str:
        digest = hmac.new(self._key, f"{kind}:{identifier}".encode(), hashlib.sha256).digest()
        number = int.from_bytes(digest[:8], "big")
        letters = []
        for _ in range(4):
            number, index = divmod(number, len(_LETTERS))
            letters.append(_LETTERS[index])
        return "".join(letters)

    def person(self, identifier: str, is_child: bool | None) -> str:
        noun = "Child" if is_child else "Adult" if is_child is False else "Person"
        return f"{noun} {self.code('person', identifier)}"

    def place(self, identifier: str, noun: str = "Address") -> str:
        return f"{noun} {self.code('place', identifier)}"

    def staff(self, username: str) -> str:
        return f"Practitioner {self.code('staff', username)}"

    def _stream(self, tag: bytes, length: int) -> bytes:
        blocks = (length + 31) // 32
        stream = b"".join(
            hmac.new(self._hide, tag + n.to_bytes(4, "big"), hashlib.sha256).digest()
            for n in range(blocks)
        )
        return stream[:length]

    def _tag(self, kind: str, data: bytes) -> bytes:
        return hmac.new(self._check, kind.encode() + b"\x00" + data, hashlib.sha256).digest()[:_TAG]

    def token(self, kind: str, identifier: str) -> str:
        """A key for an address that stands for ``identifier`` of ``kind``: stable, keyed, and
        readable back only with the secret."""
        data = identifier.encode()
        tag = self._tag(kind, data)
        hidden = bytes(a ^ b for a, b in zip(data, self._stream(tag, len(data)), strict=True))
        return base64.b32encode(tag + hidden).decode().rstrip("=").lower()

    def reveal(self, kind: str, token: str) -> str | None:
        """The identifier a key of ``kind`` stands for, or None for anything that is not one."""
        if not token or len(token) > _MAX_TOKEN or not token.isalnum():
            return None
        try:
            raw = base64.b32decode(token.upper() + "=" * (-len(token) % 8))
        except (binascii.Error, ValueError):
            return None
        if len(raw) <= _TAG:
            return None
        tag, hidden = raw[:_TAG], raw[_TAG:]
        data = bytes(a ^ b for a, b in zip(hidden, self._stream(tag, len(hidden)), strict=True))
        if not hmac.compare_digest(tag, self._tag(kind, data)):
            return None
        try:
            return data.decode()
        except UnicodeDecodeError:
            return None
