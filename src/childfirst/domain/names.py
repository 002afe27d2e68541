"""People's names: the form names are compared in, and a name as it is shown.

A name is compared cleaned (``clean``): lower case, accents dropped, only letters, spaces and
hyphens kept. It is shown as its given and family names (``full_name``), the middle names only
where asked for, and as ``UNKNOWN_NAME`` when nothing is recorded.
"""

from __future__ import annotations

import re
import unicodedata

UNKNOWN_NAME = "(name not recorded)"


def clean(name: str | None) -> str | None:
    """A name as compared: lower case, accents dropped, only letters, spaces and hyphens kept."""
    if not name:
        return None
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z\- ]+", "", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s+", " ", text).strip(" -")
    return text or None


def full_name(
    given: str | None,
    family: str | None,
    middle: str | None = None,
    *,
    unknown: str = UNKNOWN_NAME,
) -> str:
    """A person's name as shown: given, middle (when given) and family names, the parts recorded,
    or ``unknown`` when none is."""
    return " ".join(p for p in (given, middle, family) if p) or unknown
