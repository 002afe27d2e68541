"""Free-text summaries in the clipped style of real logs, varied so no two read quite alike."""

from __future__ import annotations

import random

TEMPLATES: dict[str, list[str]] = {
    "theft": [
        "{v} reports {item} stolen from {place}. No suspect identified, no CCTV.",
        "Theft of {item} from {place}. Victim {v} unsure when taken. Crime recorded, filed pending "
        "further information.",
        "{v} states {item} taken while left unattended at {place}. Passed to crime management "
        "unit.",
        "Report of {item} stolen from outside the address. {v} has checked with neighbours, "
        "nothing seen.",
    ],
    "asb": [
        "Caller {v} reports groups of youths shouting and throwing stones at windows. Area search "
        "negative.",
        "Ongoing noise nuisance from neighbouring address. {v} has kept a diary. Advice given, "
        "passed to neighbourhood team.",
        "Report of youths on motorbikes on the field behind the houses. Gone on arrival.",
        "{v} reports neighbours' dog barking for hours and loud music late at night. Council ASB "
        "team informed.",
    ],
    "rtc": [
        "Damage-only collision at junction, {v} driving {vehicle}. Details exchanged, no injuries.",
        "{v} stopped driving {vehicle}, no insurance. Vehicle seized under s165.",
        "Minor RTC, {vehicle} reversed into parked car. Driver {v} reported the collision.",
        "{v} driving {vehicle} at 42mph in a 30 limit. Traffic offence report issued.",
    ],
    "call_999": [
        "999 from {v}: reports a man shouting and banging on doors in the street. Units attended, "
        "male moved on.",
        "999 from {v}: believes someone is trying the door handles of cars. Area search negative.",
        "999 silent call traced to mobile registered to {v}. Call back, states pocket dial. No "
        "concerns.",
        "999 from {v}: smell of smoke from next door. Fire service attended, nothing found.",
        "999 from {v}: fell and cannot get up. Ambulance informed, police attended to force entry.",
    ],
    "call_101": [
        "101 call from {v} to report a lost purse, no crime.",
        "101 from {v} asking for advice about a dispute with a neighbour over a fence. Advised "
        "civil matter.",
        "101 from {v}: scam telephone call claiming to be from the bank. Action Fraud details "
        "given.",
        "101 from {v} reporting suspicious vehicle parked in the lane for two days. PNC checks, "
        "no trace.",
        "101 from {v} wanting an update on an earlier report. Passed to officer in the case.",
    ],
    "welfare": [
        "Concern for welfare of {v}, not seen by neighbours for several days. Officers attended, "
        "{v} "
        "safe and well.",
        "Welfare check requested by family of {v}. Spoken to at the door, no immediate concerns.",
        "Carer unable to get a reply from {v}. Entry gained, {v} found well, had been asleep.",
    ],
    "stop_search": [
        "{v} stopped and searched under s23 Misuse of Drugs Act, smell of cannabis. Nothing found.",
        "{v} searched under s1 PACE, seen looking into parked cars. Nothing found, words of "
        "advice.",
        "Stop and search of {v}, grounds: matched description of suspect for theft. Negative.",
    ],
    "drugs": [
        "{v} found in possession of a small quantity of cannabis. Community resolution.",
        "{v} found with wraps of a white powder, believed cocaine. Arrested, drugs sent for "
        "analysis.",
        "Search of {v} found cannabis and a grinder. Cannabis warning given.",
    ],
    "public_order": [
        "{v} drunk and disorderly outside licensed premises, refused to leave when asked. "
        "Arrested.",
        "{v} shouting and swearing at door staff at closing time. Section 5 public order.",
        "{v} involved in a disturbance in the street, aggressive towards officers. Arrested.",
    ],
    "violence": [
        "{v} assaulted by {s} outside the takeaway, punched to the face. Minor injuries.",
        "{v} reports being pushed and threatened by {s} during an argument over money.",
        "Fight between {v} and {s} at closing time, both with minor injuries, neither supports "
        "action.",
    ],
    "damage": [
        "Window at the address smashed. {v} suspects {s} following a dispute.",
        "Car belonging to {v} keyed along the side. {s} seen nearby.",
        "{s} kicked the front door of {v}'s address, causing damage to the panel.",
    ],
    "ed": [
        "Attended ED with {cause}. Treated and discharged.",
        "{cause}. Seen in minors, x-ray, discharged with advice.",
        "Self-presented with {cause}. Assessed, discharged to GP follow-up.",
        "Brought in by ambulance with {cause}. Observed and discharged.",
    ],
    "attendance": [
        "Attendance {pct}% this half term. Letter sent to parents, meeting offered.",
        "Persistent absence: {pct}% attendance. Education welfare officer home visit requested.",
        "Repeated unauthorised absence, term-time holiday taken. Attendance {pct}%.",
        "Late most mornings and attendance now {pct}%. Pastoral lead to call home.",
    ],
    "school_concern": [
        "Pupil arrived hungry and in unwashed uniform again. Logged on safeguarding system.",
        "Pupil told teaching assistant there is a lot of shouting at home. DSL informed.",
        "Pupil withdrawn in class, did not want to go home at end of day. DSL spoke with parent.",
        "Unexplained bruise to forearm noticed in PE. Pupil said fell off bike. Logged.",
        "Parent arrived to collect smelling strongly of alcohol. Second adult collected instead.",
    ],
    "exclusion": [
        "Suspended for {n} days for persistent disruptive behaviour.",
        "Suspended for {n} days following physical assault on another pupil.",
        "Suspended for {n} days: verbal abuse towards a member of staff.",
    ],
}

ITEMS = [
    "a pedal cycle",
    "a mobile phone",
    "a wallet",
    "parcels",
    "a catalytic converter",
    "tools from a van",
    "a handbag",
    "garden furniture",
    "a laptop",
    "fuel",
]
ED_CAUSES = [
    "a wrist injury after a fall",
    "chest pain",
    "a head injury playing football",
    "abdominal pain",
    "a laceration to the hand",
    "breathing difficulties",
    "an ankle injury",
    "a high temperature",
    "a dog bite",
    "an allergic reaction",
    "back pain",
    "a burn to the forearm",
]
VEHICLES = [
    "a silver Ford Focus",
    "a black Vauxhall Corsa",
    "a white Transit van",
    "a blue VW Golf",
    "a red Nissan Micra",
    "a grey BMW 3 Series",
]


def say(rng: random.Random, key: str, **fill: object) -> str:
    options = TEMPLATES[key]
    return options[rng.randrange(len(options))].format(**fill)
