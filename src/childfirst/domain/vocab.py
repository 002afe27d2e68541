"""The controlled vocabularies of the record.

Each term carries a plain-English label so that partners outside the police read the same meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Jurisdiction(StrEnum):
    ENGLAND_AND_WALES = "england_and_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class AgencyKind(StrEnum):
    POLICE = "police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    EDUCATION = "education"
    HEALTH = "health"
    PROBATION = "probation"
    HOUSING = "housing"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class DobPrecision(StrEnum):
    """How much of a recorded date of birth can be trusted."""

    EXACT = "exact"
    MONTH = "month"  # the day is not known
    YEAR = "year"  # only the year is known
    ESTIMATED = "estimated"  # an officer's estimate of age, turned into a date


class Ethnicity(StrEnum):
    """Self-defined ethnicity, 2021 Census categories. Used ONLY for disproportionality monitoring."""

    ASIAN_BANGLADESHI = "asian_bangladeshi"
    ASIAN_CHINESE = "asian_chinese"
    ASIAN_INDIAN = "asian_indian"
    ASIAN_PAKISTANI = "asian_pakistani"
    ASIAN_OTHER = "asian_other"
    BLACK_AFRICAN = "black_african"
    BLACK_CARIBBEAN = "black_caribbean"
    BLACK_OTHER = "black_other"
    MIXED_WHITE_ASIAN = "mixed_white_asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean"
    MIXED_OTHER = "mixed_other"
    WHITE_BRITISH = "white_british"
    WHITE_IRISH = "white_irish"
    WHITE_GYPSY_IRISH_TRAVELLER = "white_gypsy_irish_traveller"
    WHITE_ROMA = "white_roma"
    WHITE_OTHER = "white_other"
    OTHER_ARAB = "other_arab"
    OTHER_ANY = "other_any"
    NOT_STATED = "not_stated"


class ObjectType(StrEnum):
    VEHICLE = "vehicle"
    PHONE = "phone"
    ONLINE_ACCOUNT = "online_account"
    WEAPON = "weapon"
    OTHER = "other"


class RelationshipType(StrEnum):
    """How one person stands to another: read as "person is <type> of other"."""

    PARENT = "parent"
    STEP_PARENT = "step_parent"
    CARER = "carer"
    FOSTER_CARER = "foster_carer"
    PARTNER = "partner"
    EX_PARTNER = "ex_partner"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    HOUSEHOLD_MEMBER = "household_member"
    ASSOCIATE = "associate"


class LinkRole(StrEnum):
    """The role of a person or object in an event: one link per role."""

    VICTIM = "victim"
    WITNESS = "witness"
    SUSPECT = "suspect"
    REPORTER = "reporter"
    CALLER = "caller"
    SUBJECT = "subject"
    PRESENT = "present"
    # A child connected to the incident whom the officer accounted for but who was not there.
    NOT_PRESENT = "not_present"
    DETAINEE = "detainee"
    INTERPRETER = "interpreter"
    INTERVIEWER = "interviewer"
    APPROPRIATE_ADULT = "appropriate_adult"
    PARENT_OR_CARER = "parent_or_carer"
    FOUND_WITH = "found_with"
    PROFESSIONAL = "professional"
    USED = "used"
    SEIZED = "seized"


@dataclass(frozen=True)
class EventKind:
    """What an event type means, in words a partner agency understands."""

    label: str
    meaning: str


class EventType(StrEnum):
    DOMESTIC_ABUSE = "domestic_abuse"
    MISSING_REPORTED = "missing_reported"
    MISSING_RETURNED = "missing_returned"
    CONCERN_FOR_CHILD = "concern_for_child"
    VIOLENCE = "violence"
    SEXUAL_OFFENCE = "sexual_offence"
    STOP_AND_SEARCH = "stop_and_search"
    ARREST = "arrest"
    CUSTODY_DETENTION = "custody_detention"
    CALL_999 = "call_999"
    CALL_101 = "call_101"
    WELFARE_CHECK = "welfare_check"
    DISCLOSURE = "disclosure"
    RETRACTION = "retraction"
    INTERVIEW = "interview"
    STRATEGY_DISCUSSION = "strategy_discussion"
    REFERRAL = "referral"
    COURT_OUTCOME = "court_outcome"
    ORDER = "order"
    CRIMINAL_DAMAGE = "criminal_damage"
    PUBLIC_ORDER = "public_order"
    THEFT = "theft"
    ANTISOCIAL_BEHAVIOUR = "antisocial_behaviour"
    ROAD_TRAFFIC = "road_traffic"
    DRUGS = "drugs"
    SELF_HARM = "self_harm"
    CHILD_PROTECTION_PLAN_STARTED = "child_protection_plan_started"
    CHILD_PROTECTION_PLAN_ENDED = "child_protection_plan_ended"
    CHILD_IN_NEED_ASSESSMENT = "child_in_need_assessment"
    LOOKED_AFTER_STARTED = "looked_after_started"
    LOOKED_AFTER_ENDED = "looked_after_ended"
    PLACEMENT_CHANGE = "placement_change"
    RETURN_HOME_INTERVIEW = "return_home_interview"
    SCHOOL_ATTENDANCE_CONCERN = "school_attendance_concern"
    SCHOOL_SAFEGUARDING_CONCERN = "school_safeguarding_concern"
    SCHOOL_EXCLUSION = "school_exclusion"
    EMERGENCY_DEPARTMENT_ATTENDANCE = "emergency_department_attendance"
    HEALTH_SAFEGUARDING_CONCERN = "health_safeguarding_concern"
    SUBSTANCE_MISUSE_TREATMENT = "substance_misuse_treatment"
    BIRTH = "birth"
    DEATH = "death"

    @property
    def kind(self) -> EventKind:
        return EVENT_KINDS[self]


EVENT_KINDS: dict[EventType, EventKind] = {
    EventType.DOMESTIC_ABUSE: EventKind(
        "Domestic abuse incident",
        "Police attended or recorded abuse between partners, ex-partners or family members.",
    ),
    EventType.MISSING_REPORTED: EventKind(
        "Missing person reported", "Someone was reported to the police as missing."
    ),
    EventType.MISSING_RETURNED: EventKind(
        "Missing person returned", "A missing person was found or came back."
    ),
    EventType.CONCERN_FOR_CHILD: EventKind(
        "Concern for a child", "Police recorded a worry about a child's safety or welfare."
    ),
    EventType.VIOLENCE: EventKind("Violence", "An assault or other violence against a person."),
    EventType.SEXUAL_OFFENCE: EventKind("Sexual offence", "A sexual offence was reported."),
    EventType.STOP_AND_SEARCH: EventKind(
        "Stop and search", "A person was stopped and searched by police."
    ),
    EventType.ARREST: EventKind("Arrest", "A person was arrested."),
    EventType.CUSTODY_DETENTION: EventKind(
        "Custody detention", "A person was held in a police custody suite."
    ),
    EventType.CALL_999: EventKind("999 call", "An emergency call to the police."),
    EventType.CALL_101: EventKind("101 call", "A non-emergency call to the police."),
    EventType.WELFARE_CHECK: EventKind(
        "Welfare ('safe and well') check",
        "Police visited to check on someone. It means no immediate danger was seen at that "
        "moment; it is not an assessment that there are no safeguarding concerns.",
    ),
    EventType.DISCLOSURE: EventKind(
        "Disclosure", "A child or adult told someone about abuse they have suffered."
    ),
    EventType.RETRACTION: EventKind(
        "Retraction", "An allegation was withdrawn. A withdrawal does not mean it was untrue."
    ),
    EventType.INTERVIEW: EventKind("Interview", "A victim, witness or suspect was interviewed."),
    EventType.STRATEGY_DISCUSSION: EventKind(
        "Strategy discussion",
        "A formal multi-agency discussion about whether a child is suffering significant harm.",
    ),
    EventType.REFERRAL: EventKind("Referral", "A referral to another agency."),
    EventType.COURT_OUTCOME: EventKind("Court outcome", "The result of a court case."),
    EventType.ORDER: EventKind(
        "Order", "A court or police order, such as a protective or prevention order."
    ),
    EventType.CRIMINAL_DAMAGE: EventKind("Criminal damage", "Property was damaged on purpose."),
    EventType.PUBLIC_ORDER: EventKind(
        "Public order", "Breach of the peace, drunk and disorderly or a similar offence."
    ),
    EventType.THEFT: EventKind("Theft", "Theft, burglary or robbery."),
    EventType.ANTISOCIAL_BEHAVIOUR: EventKind(
        "Anti-social behaviour", "Nuisance or anti-social behaviour reported to police."
    ),
    EventType.ROAD_TRAFFIC: EventKind("Road traffic", "A road traffic collision or offence."),
    EventType.DRUGS: EventKind("Drugs", "Possession or supply of controlled drugs."),
    EventType.SELF_HARM: EventKind("Self-harm", "Self-harm or a suicide attempt."),
    EventType.CHILD_PROTECTION_PLAN_STARTED: EventKind(
        "Child protection plan started",
        "Children's social care put the child on a child protection plan.",
    ),
    EventType.CHILD_PROTECTION_PLAN_ENDED: EventKind(
        "Child protection plan ended", "The child's child protection plan ended."
    ),
    EventType.CHILD_IN_NEED_ASSESSMENT: EventKind(
        "Child and family assessment", "Children's social care assessed the child's needs."
    ),
    EventType.LOOKED_AFTER_STARTED: EventKind(
        "Became looked after", "The child came into the care of the local authority."
    ),
    EventType.LOOKED_AFTER_ENDED: EventKind(
        "Stopped being looked after", "The child left the care of the local authority."
    ),
    EventType.PLACEMENT_CHANGE: EventKind(
        "Placement change", "A looked-after child moved placement (foster or residential)."
    ),
    EventType.RETURN_HOME_INTERVIEW: EventKind(
        "Return home interview",
        "An independent conversation with a child after a missing episode.",
    ),
    EventType.SCHOOL_ATTENDANCE_CONCERN: EventKind(
        "School attendance concern", "The school is worried about the child's attendance."
    ),
    EventType.SCHOOL_SAFEGUARDING_CONCERN: EventKind(
        "School safeguarding concern",
        "The school's safeguarding lead recorded a concern about the child.",
    ),
    EventType.SCHOOL_EXCLUSION: EventKind("School exclusion", "The child was excluded."),
    EventType.EMERGENCY_DEPARTMENT_ATTENDANCE: EventKind(
        "Emergency department attendance", "Attendance at an emergency department."
    ),
    EventType.HEALTH_SAFEGUARDING_CONCERN: EventKind(
        "Health safeguarding concern", "A health professional recorded a safeguarding concern."
    ),
    EventType.SUBSTANCE_MISUSE_TREATMENT: EventKind(
        "Substance misuse treatment", "An adult started drug or alcohol treatment."
    ),
    EventType.BIRTH: EventKind("Birth", "A child was born."),
    EventType.DEATH: EventKind("Death", "A person died."),
}
