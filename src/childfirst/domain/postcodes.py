"""UK postcodes: one pattern for the record, linkage, search and scrubbing.

A postcode is an outward code (the district: one or two letters, a digit, and a letter or digit
more) and an inward code (a digit and two letters). Its standard form is upper case with one space
between the two (``NM9 5YT``); records are stored in it, and ``standard`` reads any spacing and
case as it.
"""

from __future__ import annotations

import re

OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
INWARD = r"[0-9][A-Z]{2}"
# A postcode in its standard form.
PATTERN = re.compile(rf"{OUTWARD} {INWARD}")
# A postcode written anywhere in free text, in any case, with or without its space.
IN_TEXT = re.compile(rf"\b{OUTWARD} ?{INWARD}\b", re.IGNORECASE)
_OUTWARD = re.compile(OUTWARD)


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def standard(value: str | None) -> str | None:
    """A UK postcode in its standard form (``nm95yt`` -> ``NM9 5YT``), or None if it is not one."""
    if not value:
        return None
    compact = _compact(value)
    formatted = f"{compact[:-3]} {compact[-3:]}"
    return formatted if PATTERN.fullmatch(formatted) else None


def outward(value: str | None) -> str | None:
    """An outward code alone (``nm9`` -> ``NM9``), or None if the text is not one."""
    if not value:
        return None
    compact = _compact(value)
    return compact if _OUTWARD.fullmatch(compact) else None


def district(code: str) -> str:
    """The outward code (district) of a standard postcode: ``NM9 5YT`` -> ``NM9``."""
    return code.split(" ")[0]
