"""Search keys: what a name sounds like, so that spellings of one name find each other.

``sound`` is a phonetic key in the manner of Metaphone, tuned for names recorded in the UK: letter
groups that sound alike are written alike (ph/f, c/k/q, s/z, v/f, soft g/j, sch/sk), silent
letters go (kn, wr, gh, a final e, h after the first letter), vowels after the first letter are dropped and doubled
letters count once. Smith and Smyth, Stephens and Stevens, Mohammed and Muhammad, Catherine and
Katharine each share a key.

A person's given name is keyed through the nickname table first (Danny -> daniel), so a search for
a diminutive finds the full name and the other way round. Keys are stored beside each person
record and indexed; a search compares keys, never the names themselves, to find its candidates.
"""

from __future__ import annotations

import re
import unicodedata

from childfirst.domain import postcodes
from childfirst.domain.names import clean
from childfirst.domain.nicknames import canonical

KEY_LENGTH = 12
VOWELS = frozenset("aeiouy")

# Applied in order, on a name with its spaces and hyphens removed.
_START = (("kn", "n"), ("gn", "n"), ("pn", "n"), ("wr", "r"), ("ps", "s"), ("wh", "w"), ("x", "s"))
_GROUPS = (
    ("tch", "ch"),
    ("sch", "sk"),
    ("chr", "kr"),
    ("chl", "kl"),
    ("ch", "x"),
    ("sh", "x"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("cq", "k"),
    ("dg", "j"),
    ("mb", "m"),
    ("mps", "ms"),
)
_SOFT_C = re.compile(r"c(?=[eiy])")
_SOFT_G = re.compile(r"g(?=[eiy])")
_SILENT_GH = re.compile(r"(?<=.)gh")
_LETTERS = str.maketrans({"q": "k", "z": "s", "v": "f", "c": "k"})


def _compact(name: str | None) -> str | None:
    cleaned = clean(name)
    if cleaned is None:
        return None
    compact = cleaned.replace(" ", "").replace("-", "")
    return compact or None


def sound(name: str | None) -> str | None:
    """The phonetic key of a name: ``sound("Smyth") == sound("Smith") == "smt"``."""
    text = _compact(name)
    if text is None:
        return None
    for start, replacement in _START:
        if text.startswith(start):
            text = replacement + text[len(start) :]
            break
    if len(text) > 3 and text.endswith("e"):
        text = text[:-1]  # a silent final e: Browne, Lowe, Clarke
    if text.startswith("mac"):
        text = "mc" + text[3:]
    text = text.replace("x", "ks")
    text = _SILENT_GH.sub("", text)
    text = _SOFT_C.sub("s", text)
    text = _SOFT_G.sub("j", text)
    for group, replacement in _GROUPS:
        text = text.replace(group, replacement)
    text = text.translate(_LETTERS)
    key: list[str] = []
    for i, letter in enumerate(text):
        previous = text[i - 1] if i else ""
        following = text[i + 1] if i + 1 < len(text) else ""
        if letter in VOWELS:
            if i == 0:
                key.append("a")  # a leading vowel is kept, whichever it is
            continue
        if letter == "h" and (i > 0 or following not in VOWELS):
            continue  # h is heard only at the start, before a vowel
        if letter == "w" and following not in VOWELS:
            continue  # Lowe, Low; w is heard only before a vowel
        if key and key[-1] == letter and previous == letter:
            continue  # doubled letters count once
        key.append(letter)
    result = "".join(key)[:KEY_LENGTH]
    return result or None


def family_key(family_name: str | None) -> str | None:
    """The key a family name is found by."""
    return sound(family_name)


def given_key(given_name: str | None) -> str | None:
    """The key a given name is found by: its first name, through the nickname table."""
    return sound(canonical(given_name))


def postcode(text: str | None) -> str | None:
    """A postcode as stored (``"NM1 4AB"``), or its outward part alone (``"NM1"``); None when the
    text is not one."""
    return postcodes.standard(text) or postcodes.outward(text)


def printable(text: str | None) -> str:
    """Text with control characters (a NUL byte, for one, which PostgreSQL cannot store or
    compare) turned into spaces."""
    if not text:
        return ""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
