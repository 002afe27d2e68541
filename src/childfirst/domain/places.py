"""One place, many records: each agency keeps its own record of an address.

Before person linkage exists, the rules still need to see that a child known to health and a man
known to the police live at the same address. A place key joins location records that are plainly
the same address: the same Unique Property Reference Number, or else the same postcode and the same
address text once case, punctuation and spacing are set aside.
"""

from __future__ import annotations

import re

_NOT_WORD = re.compile(r"[^A-Z0-9]+")


def place_key(address: str, postcode: str | None, uprn: str | None) -> str:
    if uprn:
        return f"uprn:{uprn}"
    text = _NOT_WORD.sub(" ", address.upper()).strip()
    return f"addr:{postcode or ''}:{text}"
