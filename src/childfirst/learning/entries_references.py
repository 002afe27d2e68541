"""References: the statutory duties, standards and orders that workflows must apply."""

from __future__ import annotations

from childfirst.learning.model import EntryKind, LearningEntry, Theme

_DFE_MISSING = "DfE statutory guidance on children who run away or go missing (2014)"


def _ref(
    entry_id: str,
    section: str,
    source: str,
    theme: Theme,
    title: str,
    text: str,
) -> LearningEntry:
    return LearningEntry(
        id=entry_id,
        kind=EntryKind.REFERENCE,
        theme=theme,
        title=title,
        text=text,
        section=section,
        source=source,
    )


REFERENCES: tuple[LearningEntry, ...] = (
    _ref(
        "REF-ENCOMPASS",
        "Domestic Abuse Act 2021 s49A",
        "Domestic Abuse Act 2021 s49A, inserted by Victims and Prisoners Act 2024 s20",
        Theme.DOMESTIC_ABUSE,
        "Operation Encompass: the school is told before the next school day",
        "After police attend a domestic abuse incident with a related child (reception age to "
        "17), the child's school must be told before the next school day begins; for a child "
        "educated at home, the local authority is told. This has been a statutory duty since "
        "7 November 2025.",
    ),
    _ref(
        "REF-RHI-72H",
        "DfE missing children guidance (2014)",
        _DFE_MISSING,
        Theme.MISSING,
        "Return home interview within 72 hours",
        "A child who has been missing must be offered a return home interview within 72 hours of "
        "coming back.",
    ),
    _ref(
        "REF-MARAC",
        "MARAC protocols",
        "local MARAC protocols",
        Theme.DOMESTIC_ABUSE,
        "MARAC referral criteria",
        "A case is referred to the multi-agency risk assessment conference when the DASH "
        "checklist has 14 or more ticks, when the same perpetrator is behind 5 or more incidents "
        "or 3 or more crimes in 12 months that escalate, or on professional judgement. A case is a "
        "repeat when a new incident happens within 12 months of its last MARAC.",
    ),
    _ref(
        "REF-PACE-CHILD",
        "PACE Code C",
        "PACE Code C",
        Theme.CUSTODY,
        "Child detainees under PACE",
        "Every detainee under 18 is a child under PACE, 17-year-olds included since 2015. An "
        "appropriate adult must be found, and the person responsible for the child's welfare must "
        "be told of the detention.",
    ),
    _ref(
        "REF-PACE-38-6",
        "PACE s38(6)",
        "Police and Criminal Evidence Act 1984 s38(6); PACE Code C",
        Theme.CUSTODY,
        "A charged child refused bail moves to local authority accommodation",
        "When a child has been charged and refused bail, the child is to be transferred from the "
        "police station to local authority accommodation.",
    ),
    _ref(
        "REF-PNC-48H",
        "Police guidance on missing persons",
        "police guidance",
        Theme.MISSING,
        "Missing person recorded on the PNC within 48 hours",
        "A missing person report is to be entered on the Police National Computer within 48 hours.",
    ),
    _ref(
        "REF-CPIS",
        "CP-IS",
        "NHS England: Child Protection - Information Sharing (CP-IS)",
        Theme.INFORMATION_SHARING,
        "Child protection status visible in unscheduled care",
        "Unscheduled-care settings, such as emergency departments, can see that a child is on a "
        "child protection plan or is looked after.",
    ),
    _ref(
        "REF-ORDERS-EW",
        "Sexual Offences Act 2003",
        "Sexual Offences Act 2003 as amended by the Anti-social Behaviour, Crime and Policing "
        "Act 2014",
        Theme.PERPETRATORS,
        "Sexual Harm Prevention Order and Sexual Risk Order (England and Wales)",
        "In England and Wales the police can seek a Sexual Harm Prevention Order against a person "
        "convicted or cautioned for a relevant offence, or a Sexual Risk Order, which needs no "
        "conviction, to restrict someone who poses a risk of sexual harm.",
    ),
    _ref(
        "REF-ORDERS-NI",
        "Sexual Offences Act 2003",
        "Sexual Offences Act 2003",
        Theme.PERPETRATORS,
        "Risk of Sexual Harm Order (Northern Ireland)",
        "In Northern Ireland the police can seek a Risk of Sexual Harm Order to restrict an adult "
        "whose conduct towards children shows a risk of sexual harm.",
    ),
    _ref(
        "REF-ORDERS-SCOT",
        "Abusive Behaviour and Sexual Harm (Scotland) Act 2016",
        "Abusive Behaviour and Sexual Harm (Scotland) Act 2016",
        Theme.PERPETRATORS,
        "Sexual Harm Prevention Order and Sexual Risk Order (Scotland)",
        "In Scotland the police can seek a Sexual Harm Prevention Order or a Sexual Risk Order "
        "under the 2016 Act to restrict someone who poses a risk of sexual harm.",
    ),
    _ref(
        "REF-DFE-MISSING-2014",
        "DfE missing children guidance (2014)",
        _DFE_MISSING,
        Theme.MISSING,
        "Statutory guidance on missing children (England)",
        "In England, statutory guidance from the Department for Education sets out what local "
        "authorities and their partners must do when a child runs away or goes missing from home "
        "or care, including offering a return home interview.",
    ),
)
