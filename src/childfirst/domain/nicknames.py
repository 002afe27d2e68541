"""Given names that the same person may be recorded under: diminutives, short forms and spellings.

Each group is one set of equivalent names; the first is the canonical form the linkage compares.
A name listed in two groups takes the first group it appears in, so ambiguous short forms (Chris,
Sam, Alex) are grouped with both their male and female full forms: sex and date of birth tell those
people apart. Spellings of names transliterated from other scripts are grouped the same way.
"""

from __future__ import annotations

from functools import cache

from childfirst.domain.names import clean

_GROUPS = """
daniel danny dan dani
danielle dani
elizabeth beth liz lizzie lizzy betty bette eliza libby elisabeth betsy
mohammed muhammad mohammad mohamed muhammed mohamad mohd mahomed
katherine catherine kathryn kate katie katy kathy cathy cat kat kathleen
william will bill billy liam willie
robert rob bob bobby robbie bert
michael mike mick mikey mickey
james jim jimmy jamie jem
thomas tom tommy
christopher chris kit topher krzysztof kris christine chrissie christina tina
matthew matt matty
joseph joe joey jo yusuf yousef yousuf
anthony tony ant antony
stephen steve steven stevie stefan
jonathan jon jonny john johnny
samuel sam sammy samantha sammie
alexander alex sandy xander alexandra lexi alexis
richard rich rick ricky richie dick
andrew andy drew
david dave davie davey
peter pete piotr
kenneth ken kenny
margaret maggie peggy meg megan marg
rebecca becky becca bex
jennifer jen jenny jenna
victoria vicky vicki tori
nicola nicky nikki nicole
jessica jess jessie
charlotte lottie
charles charlie chas chuck
abigail abbie abby abi
amelia millie
amy aimee
isabella bella izzy isabel isobel isabelle
oliver ollie olly
frederick freddie fred freddy
archibald archie
callum cal calum
zainab zeinab zaynab
fatima fatimah fatma
aisha ayesha aysha aishah
lewis louis
leanne lee-ann leann lianne
kirsty kirstie kirsten
olivia liv livvy
emily em emmy emilie
sophie sophia sofia
patricia pat trish tricia patsy
susan sue susie suzanne
gemma jemma
zoe zoey zoë
harry harrison henry hal harpreet
alfred alfie alf
joshua josh
ethan eathan
riley rylee
eleanor ellie elle nell nellie
lily lilly lillie
hannah hanna
joanne joanna jo jo-anne
louise lou louisa
natalie nat natalia
gary gaz garry
darren daz
adam ads
ryan rian
oluwaseun seun
funmilayo funmi
ifeanyi ify
amardeep deep
benjamin ben benny
edward ed eddie ted teddy ned
nathan nate nathaniel
timothy tim timmy
gregory greg
philip phil phillip
nicholas nick nicky
patrick paddy pat
raymond ray
ronald ron ronnie
donald don donny
gerald gerry jerry
terence terry terrance
lawrence larry laurence
francis frank frankie
jacob jake
deborah debbie debs debra
pamela pam
sandra sandy
barbara barb babs
dorothy dot dottie
caroline carol carole carolyn
stephanie steph
rachel rach
hayley haley hailey
stacey stacy
tracey tracy
karen karin
claire clare
lindsay lindsey
kimberley kimberly kim
""".strip()


@cache
def _canonical_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _GROUPS.splitlines():
        names = [n for n in (clean(x) for x in line.split()) if n]
        for name in names:
            table.setdefault(name, names[0])
    return table


@cache
def _group_table() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for line in _GROUPS.splitlines():
        names = {n for n in (clean(x) for x in line.split()) if n}
        for name in names:
            groups.setdefault(name, set()).update(names)
    return {name: frozenset(group) for name, group in groups.items()}


def canonical(name: str | None) -> str | None:
    """The canonical form of a cleaned given name: Danny -> daniel, Muhammad -> mohammed."""
    cleaned = clean(name)
    if cleaned is None:
        return None
    first = cleaned.split(" ")[0]
    return _canonical_table().get(first, first)


def equivalent(a: str, b: str) -> bool:
    """Whether two given names are recorded forms of one name."""
    return canonical(a) == canonical(b)


def variants(name: str | None) -> frozenset[str]:
    """The other names someone recorded under ``name`` may be called, as cleaned names: every
    name sharing a group of the table with it (Katherine: kate, katie, cathy...)."""
    cleaned = clean(name)
    if cleaned is None:
        return frozenset()
    return _group_table().get(cleaned, frozenset()) - {cleaned}


__all__ = ["canonical", "clean", "equivalent", "variants"]
