"""Free text with what is recorded about people, places, staff and agencies taken out.

A ``Scrubber`` is made for one page from ``Replacements``: every recorded name part, alias,
address, reference, username and agency of the records the page shows, each with the words that
replace it (a pseudonym, "[name]", "[reference]", "a school"...). Text and terms are compared
folded: accents dropped (NFKD), case folded, curly apostrophes straightened, so "Zoë", "ZOE" and
"zoe" are one name. A term matches whole words only; the words of a term may be joined by spaces,
hyphens, commas or full stops ("Smith-Jones", "Smith Jones"), a possessive keeps its "'s" ("Child
KQTR's"), and the longest term wins. A nickname that is also an ordinary English word ("Will",
"Bill", "Pat") counts only when written with a capital.

Then whatever is shaped like an identifier goes, recorded or not: e-mail addresses, UK postcodes,
dates (kept only when they are the day of an event the page shows, never when they are a date of
birth; see ``childfirst.written_dates``), UK phone numbers (mobile and landline, +44 forms, spaced or
not), NHS numbers (ten digits, spaced 3-3-4 or not), references with a slash or five digits and
any run of seven digits or more.

Nothing can recognise a name that was never recorded against anyone: pages say so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date

from childfirst.domain import nicknames, postcodes
from childfirst.domain.names import full_name
from childfirst.written_dates import WrittenDate, find_dates

AMBIGUOUS = "[name]"
_MIN_TERM = 2  # single letters (initials) are left alone: they would match too much
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_WORD = re.compile(r"\w+(?:'\w+)*")
_JOIN = re.compile(r"[\s,.\-/]{1,3}")
# Nicknames that are also everyday words: they count only when written with a capital.
COMMON_WORDS = frozenset(
    [
        "will",
        "bill",
        "pat",
        "kit",
        "dot",
        "sue",
        "ray",
        "don",
        "rich",
        "frank",
        "chuck",
        "ed",
        "em",
        "deep",
        "cat",
        "bob",
        "ted",
        "drew",
        "ant",
        "dick",
        "rob",
        "ads",
        "barb",
        "hal",
        "jack",
        "may",
        "lou",
        "art",
        "ken",
        "mick",
        "sandy",
        "nell",
        "ned",
        "tim",
        "jim",
        "nat",
        "liv",
        "bette",
        "chris",
    ]
)

_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-()]{0,2}\d){9,10}(?!\d)"
)
_NHS = re.compile(r"(?<![\w])\d{3}[\s\-]?\d{3}[\s\-]?\d{4}(?![\w])")
_SLASHED = re.compile(r"(?<![\w/])(?=[\w/]*\d)(?=[\w/]*[A-Za-z])\w+(?:/\w+)+(?![\w/])")
_CODED = re.compile(r"(?<![\w])(?=\w*[A-Za-z])(?=(?:[A-Za-z]*\d){5})\w+(?![\w])")
_LONG_NUMBER = re.compile(r"(?<![\w])\d{7,}(?![\w])")
# Tokens that may be an identifier recorded in the store: a letter or digit at each end, a digit.
_CANDIDATE = re.compile(r"(?<![\w/\-])[A-Za-z0-9][\w/\-.:]*[A-Za-z0-9](?![\w/\-])")


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.translate(_APOSTROPHES).casefold()


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the position it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    parts: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = char.lower() if char.isascii() else _fold_char(char)
        parts.append(folded)
        where.extend([index] * len(folded))
    return "".join(parts), where


def fold(text: str) -> str:
    """Text as terms are compared: accents dropped, case folded, apostrophes straightened."""
    return _folded(text)[0]


def term_words(term: str) -> tuple[str, ...]:
    """The words a term is matched by (folded; apostrophes inside a word dropped: O'Brien)."""
    return tuple(w.replace("'", "") for w in _WORD.findall(fold(term)))


class Replacements:
    """The terms of one page, each with what replaces it."""

    def __init__(self) -> None:
        self.labels: dict[tuple[str, ...], str] = {}
        self._recorded: set[tuple[str, ...]] = set()
        self._nicknames: set[tuple[str, ...]] = set()

    @staticmethod
    def _usable(term: str) -> tuple[str, ...] | None:
        words = term_words(term)
        if not words or (len(words) == 1 and len(words[0]) < _MIN_TERM):
            return None
        return words

    def name(self, term: str, label: str, *, nickname: bool = False) -> None:
        """A name of one person; a name two people share names nobody in particular."""
        words = self._usable(term)
        if words is None:
            return
        previous = self.labels.get(words)
        self.labels[words] = label if previous in (None, label) else AMBIGUOUS
        (self._nicknames if nickname else self._recorded).add(words)

    def add(self, term: str, label: str) -> None:
        """A term that keeps the first label it was given (an address, a school)."""
        words = self._usable(term)
        if words is not None:
            self.labels.setdefault(words, label)

    def replace(self, term: str, label: str) -> None:
        """A term that takes this label whatever it had (a reference, a username)."""
        words = self._usable(term)
        if words is not None:
            self.labels[words] = label

    def capitalised_only(self) -> frozenset[tuple[str, ...]]:
        """Nicknames that are everyday words and are nobody's recorded name."""
        return frozenset(
            w for w in self._nicknames - self._recorded if len(w) == 1 and w[0] in COMMON_WORDS
        )


class Scrubber:
    """Takes recorded terms and anything shaped like an identifier out of free text.

    ``event_days`` are the (local) days of the events the page shows, which a date in the text
    may keep; ``births`` the dates of birth of the people involved, which never stay.
    """

    def __init__(
        self,
        replacements: Replacements | Mapping[str, str],
        *,
        event_days: Iterable[date] = (),
        births: Iterable[date] = (),
    ) -> None:
        if not isinstance(replacements, Replacements):
            given = Replacements()
            for term, label in replacements.items():
                given.replace(term, label)
            replacements = given
        self._labels = dict(replacements.labels)
        self._capitalised = replacements.capitalised_only()
        self._lengths = sorted({len(k) for k in self._labels}, reverse=True)
        self._keep = frozenset(event_days)
        self._births = frozenset(births)

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        text = _EMAIL.sub("[email]", text)
        text = self._terms(text)
        text = postcodes.IN_TEXT.sub("[postcode]", text)
        text = self._dates(text)
        text = _PHONE.sub("[phone number]", text)
        text = _NHS.sub("[NHS number]", text)
        text = _SLASHED.sub("[reference]", text)
        text = _CODED.sub("[reference]", text)
        return _LONG_NUMBER.sub("[number]", text)

    def _terms(self, text: str) -> str:
        if not self._labels:
            return text
        folded, where = _folded(text)
        words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(folded)]
        out: list[str] = []
        done = 0
        i = 0
        while i < len(words):
            hit = self._match(text, folded, where, words, i)
            if hit is None:
                i += 1
                continue
            taken, end, label = hit
            start = where[words[i][0]]
            out.extend((text[done:start], label))
            done = end
            i += taken
        out.append(text[done:])
        return "".join(out)

    def _match(
        self,
        text: str,
        folded: str,
        where: list[int],
        words: list[tuple[int, int, str]],
        i: int,
    ) -> tuple[int, int, str] | None:
        """The longest term starting at word ``i``: how many words, where it ends, its label."""
        for n in self._lengths:
            if i + n > len(words):
                continue
            if any(
                _JOIN.fullmatch(folded, words[k][1], words[k + 1][0]) is None
                for k in range(i, i + n - 1)
            ):
                continue
            key = tuple(w.replace("'", "") for _, _, w in words[i : i + n])
            last_end = words[i + n - 1][1]
            label = self._labels.get(key)
            if label is None and words[i + n - 1][2].endswith("'s"):
                key = (*key[:-1], words[i + n - 1][2][:-2].replace("'", ""))
                label = self._labels.get(key)
                last_end -= 2
            if label is None:
                continue
            if key in self._capitalised and not text[where[words[i][0]]].isupper():
                continue
            return n, where[last_end - 1] + 1, label
        return None

    def _dates(self, text: str) -> str:
        out: list[str] = []
        done = 0
        for written in find_dates(text):
            if self._kept(written):
                continue
            out.extend((text[done : written.start], "[date]"))
            done = written.end
        out.append(text[done:])
        return "".join(out)

    def _kept(self, written: WrittenDate) -> bool:
        """Whether a date may stay: the day of an event shown, and nobody's date of birth."""
        if written.day is None:  # a month: only a month of birth goes
            years = set(written.years())
            return not any(b.month == written.month and b.year in years for b in self._births)
        if written.year is None:
            same = {(written.month, written.day)}
            return any((d.month, d.day) in same for d in self._keep) and not any(
                (b.month, b.day) in same for b in self._births
            )
        days = set(written.days())
        return bool(days & self._keep) and not days & self._births


def candidates(texts: Iterable[str | None]) -> set[str]:
    """Words of the texts that may be a recorded identifier (a reference, a source id, a
    vehicle's registration): those with a digit, alone and with the word before or after, as
    written and in capitals."""
    found: set[str] = set()
    for text in texts:
        if not text:
            continue
        tokens = [m.group(0) for m in _CANDIDATE.finditer(text)]
        for i, token in enumerate(tokens):
            if not any(c.isdigit() for c in token) or len(token) > 100:
                continue
            if not (len(token) >= 5 or any(c.isalpha() for c in token)):
                continue  # a short number alone ("12") is too common to stand for a record
            for phrase in (token, *(" ".join(tokens[j : j + 2]) for j in (i - 1, i) if j >= 0)):
                found.update((phrase, phrase.upper()))
    return found


def capitalised_words(texts: Iterable[str | None]) -> set[str]:
    """Words of the texts written with a capital: those that may be someone's name."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(
                w
                for w in _WORD.findall(text.translate(_APOSTROPHES))
                if len(w) >= _MIN_TERM and w[0].isupper() and not any(c.isdigit() for c in w)
            )
    return found


def nickname_variants(given: str) -> set[str]:
    """The other names someone recorded as ``given`` may be called (Katherine: Kate, Katie...)."""
    return set(nicknames.variants(given))


def _parts(name: str | None) -> list[str]:
    return [p for p in re.split(r"[\s\-]+", name or "") if p]


def name_variants(
    given: str | None,
    family: str | None,
    aliases: Iterable[object] = (),
    middle: str | None = None,
) -> tuple[set[str], set[str]]:
    """Every way a recorded name may appear in text, and the nicknames of its given names.

    Recorded: the name in full (with and without middle names), each part of each name
    (hyphenated and double-barrelled names also as their parts), and each alias the same way.
    Nicknames: each given or middle name's nicknames, alone and with the family name.
    """
    recorded: set[str] = set()
    nicks: set[str] = set()
    names: list[tuple[str | None, str | None, str | None]] = [(given, middle, family)]
    for alias in aliases:
        if isinstance(alias, Mapping):
            first, middles, last = (
                value if isinstance(value := alias.get(f), str) else None
                for f in ("given_name", "middle_names", "family_name")
            )
            names.append((first, middles, last))
    for first, middles, last in names:
        for whole in (
            full_name(first, last, middles, unknown=""),
            full_name(first, last, unknown=""),
            " ".join(p for p in (first, middles) if p),
        ):
            if whole:
                recorded.add(whole)
        for part in (first, middles, last):
            if part:
                recorded.add(part)
                recorded.update(_parts(part))
        for part in (*_parts(first), *_parts(middles)):
            for nickname in nickname_variants(part):
                nicks.add(nickname)
                if last:
                    nicks.add(f"{nickname} {last}")
    return recorded, nicks


def address_variants(address: str, postcode: str | None) -> set[str]:
    """The address in full; its lines but the last (the town, which names nobody) alone and
    run together; each of them without its house or flat number; and the postcode."""
    found = {address}
    lines = [line.strip() for line in address.split(",") if line.strip()]
    streets = lines[:-1] if len(lines) > 1 else lines
    for start in range(len(streets)):
        for end in range(start + 1, len(streets) + 1):
            found.add(", ".join(streets[start:end]))
    for line in streets:
        street = re.sub(r"^(flat\s+\w+\s*,?\s*)?\d+[a-z]?\s+", "", line, flags=re.IGNORECASE)
        if street != line and " " in street:
            found.add(street)
    if postcode:
        found.add(postcode)
    return {f for f in found if not re.fullmatch(r"(flat|unit|apartment)\s+\w+", f, re.I)}
