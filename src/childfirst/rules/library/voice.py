"""The voice of the child: a child's call for help, and a parent's account taken instead of the child's.

Adults are too easily believed over children: a child's 999 call put down to a child messing about,
or a parent's explanation accepted without anyone speaking to the child.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, within

DISMISSED = re.compile(
    r"messing (?:about|around)|mucking about|prank|hoax|playing|no further action|\bnfa\b|"
    r"no police action",
    re.I,
)
# An adult's explanation: "explained", or "says"/"states" followed by a reassurance.
ACCOUNT_VERBS = (
    r"(?:explain\w*|(?:says|said|stat(?:es|ed)|insist\w*|assur\w*)\b[^.]{0,40}?\b"
    r"(?:it was|just|only|fell|accident\w*|fine|nothing|no problem|messing|playing|all (?:is )?"
    r"(?:well|ok|okay))\b)"
)
PARENT_WORDS = re.compile(
    r"\b(?:mother|mum|father|dad|parents?|step-?(?:mother|father|dad|mum)|carer|grand(?:mother|"
    rf"father|ma|pa))\b[^.]{{0,40}}?\b{ACCOUNT_VERBS}",
    re.I,
)
SEEN_AS = frozenset({"victim", "witness", "present", "subject"})
ACCOUNT_TYPES = frozenset(
    {
        EventType.DOMESTIC_ABUSE,
        EventType.VIOLENCE,
        EventType.SEXUAL_OFFENCE,
        EventType.CONCERN_FOR_CHILD,
        EventType.WELFARE_CHECK,
        EventType.CALL_999,
        EventType.CALL_101,
    }
)


def _quote(pattern: re.Pattern[str], event: EventView, sentence: bool = False) -> str | None:
    """The matching words of the record, or with ``sentence`` the rest of their sentence."""
    for text in (event.summary, event.outcome):
        if text and (found := pattern.search(text)):
            return _sentence(text, found.start(), found.end()) if sentence else found.group(0)
    return None


def _sentence(text: str, start: int, end: int) -> str:
    """The words of ``text`` from ``start`` to the end of the sentence that goes on past ``end``."""
    stop = text.find(".", end)
    return text[start : stop if stop != -1 else len(text)][:120]


def _child_call_dismissed(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or "caller" not in event.roles_of(case.child.key):
        return
    said = _quote(DISMISSED, event)
    if said is None:
        return
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"{case.child.name} (aged {case.age()}) made the {event.label}, and the record says "
            f'"{said}". A call from a child is a call for help until the child, spoken to alone, '
            "shows otherwise."
        ),
    )


CHILD_CALL_DISMISSED = Rule(
    id="voice.child-call-dismissed",
    title="A child's call to the police was put down to play",
    description=(
        "When a child calls 999 or 101 and the call is written off, for example as the child "
        "messing about, a prank or playing, or closed with no further action, the call is treated "
        "as a possible call for help whatever a parent says. Someone speaks to the child away "
        "from the adults in the house, and a supervisor reviews the closure."
    ),
    learning=("KI-05.3", "KI-05.4", "LP-01.2", "KI-01.0"),
    severity=Severity.HIGH,
    triggers=frozenset({EventType.CALL_999, EventType.CALL_101}),
    check=_child_call_dismissed,
    actions=(
        ActionSpec(
            "Visit and speak to the child alone about why they called",
            Role.RESPONSE_OFFICER,
            within(24),
        ),
        ActionSpec("Review how the call was closed", Role.SUPERVISOR, within(24)),
    ),
)


# What follows an adult's name when that adult gave the account (``_named_account``).
AFTER_NAME = re.compile(rf"[^.]{{0,20}}?\b{ACCOUNT_VERBS}\b", re.I)


def _word_edge(text: str, at: int) -> bool:
    """Whether a name may start or end at ``at`` in ``text``: it is not inside a longer word."""
    return not (0 < at < len(text) and _wordy(text[at - 1]) and _wordy(text[at]))


def _wordy(char: str) -> bool:
    return char.isalnum() or char == "_"


def _named_account(name: str, text: str, lowered: str) -> str | None:
    """The rest of the sentence from where ``text`` (``lowered``: the same, lower-cased) shows the
    named person giving the account.

    The name is found as a plain string, not by a pattern compiled for each name: records name
    thousands of different adults."""
    if len(lowered) != len(text):  # lower-casing moved the characters: match by a pattern
        pattern = re.compile(rf"\b{re.escape(name)}\b{AFTER_NAME.pattern}", re.I)
        found = pattern.search(text)
        return None if found is None else _sentence(text, found.start(), found.end())
    wanted = name.lower()
    at = lowered.find(wanted)
    while at != -1:
        end = at + len(wanted)
        if _word_edge(text, at) and _word_edge(text, end) and AFTER_NAME.match(text, end):
            return _sentence(text, at, end)
        at = lowered.find(wanted, at + 1)
    return None


def _parent_account(case: Case, event: EventView) -> str | None:
    """The words showing that a parent, carer or other adult at home gave the account, if any."""
    if said := _quote(PARENT_WORDS, event, sentence=True):
        return said
    adults = [c.person.name for c in case.household() if not c.person.is_child_on(case.day)]
    texts = [(text, text.lower()) for text in (event.summary, event.outcome) if text]
    for name in adults:
        for text, lowered in texts:
            if said := _named_account(name, text, lowered):
                return said
    return None


def _parent_account_accepted(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    roles = event.roles_of(case.child.key)
    if not case.child.is_child_on(case.day) or not roles & SEEN_AS or "caller" in roles:
        return
    if event.details.get("children_spoken_to") is True:
        return
    age = case.age()
    if age is not None and age < settings["min_age"]:
        return  # too young to give an account: the children-first check still asks if seen
    said = _parent_account(case, event)
    if said is None:
        return
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f'The {event.label} records an adult\'s account ("{said}") but does not say that '
            f"{case.child.name} (aged {case.age()}) was spoken to. Hear the child's own account."
        ),
        severity=Severity.HIGH if "victim" in roles else None,
    )


PARENT_ACCOUNT_ACCEPTED = Rule(
    id="voice.parent-account-accepted",
    title="A parent's account was recorded without the child's",
    description=(
        "When a child is the victim, a witness, present or the subject of an incident and the "
        "record gives a parent or carer's explanation but does not record that the child was "
        "spoken to, an officer goes back and speaks to the child alone, in a way suited to their "
        "age, and records what the child says in their own words. Babies and toddlers too young "
        "to give an account are left to the check that every child at an incident was seen."
    ),
    learning=("KI-05.4", "KI-05.3", "KI-04.6", "LP-01.2"),
    severity=Severity.MEDIUM,
    triggers=ACCOUNT_TYPES,
    check=_parent_account_accepted,
    parameters=(
        Parameter("min_age", 3, "Children younger than this are not expected to give an account."),
    ),
    actions=(
        ActionSpec(
            "Speak to the child alone and record their account in their own words",
            Role.RESPONSE_OFFICER,
            within(72),
        ),
    ),
)

RULES = (CHILD_CALL_DISMISSED, PARENT_ACCOUNT_ACCEPTED)
"""The voice of the child rules."""
