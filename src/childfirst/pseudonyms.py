"""Stable pseudonyms for people, places and staff, and free text with their names taken out.

A pseudonym is a keyed hash (HMAC-SHA256) of the record's id under a secret, written as four
letters: "Child KQTR", "Adult MWZB", "Address HPLC". The same id always gets the same pseudonym
under the same secret, so a reader can follow one person through a case without learning who they
are, and nobody without the secret can turn a pseudonym back into an id by trying ids.

Free text (event summaries, concern explanations) names people and places in its own words.
``Scrubber`` replaces every recorded name and alias of the people involved, and the addresses and
postcodes recorded for them, with their pseudonyms, and any other text shaped like a UK postcode
with "[postcode]". It cannot know a name that was never recorded against a person, which is why
pseudonymised pages say so.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping

_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, which read as numbers
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)
_MIN_NAME = 2  # single letters (initials) are left alone: they would match too much


class Pseudonyms:
    """Pseudonyms keyed by ``secret`` (the application's secret key)."""

    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), b"childfirst pseudonyms", hashlib.sha256).digest()

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

    def place(self, identifier: str) -> str:
        return f"Address {self.code('place', identifier)}"

    def staff(self, username: str) -> str:
        return f"Practitioner {self.code('staff', username)}"


class Scrubber:
    """Replaces known names and addresses in free text with pseudonyms, longest first."""

    def __init__(self, replacements: Mapping[str, str]) -> None:
        usable = {k.strip(): v for k, v in replacements.items() if len(k.strip()) >= _MIN_NAME}
        self._lookup = {k.casefold(): v for k, v in usable.items()}
        if usable:
            alternatives = "|".join(
                re.escape(k) for k in sorted(usable, key=lambda k: (-len(k), k))
            )
            self._pattern: re.Pattern[str] | None = re.compile(
                rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE
            )
        else:
            self._pattern = None

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._lookup[m.group(0).casefold()], text)
        return _POSTCODE.sub("[postcode]", text)


def name_variants(
    given: str | None, family: str | None, aliases: Iterable[object] = ()
) -> set[str]:
    """Every way a recorded name may appear in text: in full, each part, and each alias."""
    found: set[str] = set()
    parts = [p for p in (given, family) if p]
    if parts:
        found.add(" ".join(parts))
    for part in parts:
        found.update(part.split())
    for alias in aliases:
        if isinstance(alias, Mapping):
            for field in ("given_name", "family_name"):
                value = alias.get(field)
                if isinstance(value, str) and value:
                    found.update(value.split())
    return found


def address_variants(address: str, postcode: str | None) -> set[str]:
    """The address in full, its first line, the street without its number, and the postcode."""
    found = {address}
    first = address.split(",")[0].strip()
    found.add(first)
    street = re.sub(r"^(flat\s+\w+\s*,?\s*)?\d+[a-z]?\s+", "", first, flags=re.IGNORECASE)
    if street != first and " " in street:
        found.add(street)
    if postcode:
        found.add(postcode)
    return found
