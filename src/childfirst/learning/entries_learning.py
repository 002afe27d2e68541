"""Learning points: what police practice should do instead, paraphrased from the case reviews."""

from __future__ import annotations

from childfirst.learning.model import EntryKind, LearningEntry, Theme, briefing_entry

_CHILDREN_FIRST = "Children first"
_DISCLOSURE = "Disclosure takes time"
_EVIDENCE = "Best evidence from children"
_RECOGNISING = "Recognising abuse"
_PARTNERS = "Working with other agencies"
_RECORDS = "Records and timely sharing"
_FACILITIES = "Processes and facilities for children"
_MISSING = "Runaway and missing children"
_REPEAT_MISSING = "Repeat missing episodes"
_PERPETRATORS = "Disrupting perpetrators"
_PROSECUTION = "Prosecuting perpetrators"


_lp = briefing_entry(EntryKind.LEARNING_POINT)


LEARNING_POINTS: tuple[LearningEntry, ...] = (
    _lp(
        "LP-01.0",
        _CHILDREN_FIRST,
        Theme.CHILDREN_FIRST,
        "Treat every under-18 as a child first",
        "Anyone under 18 is a child before anything else, and officers should always think about "
        "the child's welfare, safety and well-being.",
    ),
    _lp(
        "LP-01.1",
        _CHILDREN_FIRST,
        Theme.HIDDEN_ADULTS,
        "Consider the impact of adults' offending on children",
        "Officers dealing with a family should think about how the adults' offending affects the "
        "children, even where the children are not directly part of it.",
    ),
    _lp(
        "LP-01.2",
        _CHILDREN_FIRST,
        Theme.CHILDREN_FIRST,
        "Ask about every child at every incident",
        "Checking on the safety and welfare of any children connected to an incident should be a "
        "standard part of every police response.",
    ),
    _lp(
        "LP-01.3",
        _CHILDREN_FIRST,
        Theme.TRUST_AND_ENGAGEMENT,
        "Build trust from the first contact",
        "A young person often first meets the police as a victim or a suspect, so officers need to "
        "act with care to earn trust and respect. Stop and search, above all of younger children, "
        "should be used only when truly unavoidable.",
    ),
    _lp(
        "LP-02.0",
        _DISCLOSURE,
        Theme.DISCLOSURE,
        "Telling someone takes courage and time",
        "Children often need a long time to find the courage to tell anyone about abuse or "
        "neglect.",
    ),
    _lp(
        "LP-02.1",
        _DISCLOSURE,
        Theme.DISCLOSURE,
        "Take every disclosure seriously; a retraction does not outweigh it",
        "Every attempt by a child to disclose should be treated seriously and investigated "
        "properly, and a later retraction should not count for more than the first account. The "
        "hold an abuser has over a child may stop the child helping an investigation.",
    ),
    _lp(
        "LP-02.2",
        _DISCLOSURE,
        Theme.DISCLOSURE,
        "A disclosure triggers support, not only an investigation",
        "A disclosure should lead to a rounded assessment of the child's needs as well as an "
        "investigation; support helps children feel safer, stand by what they said and face less "
        "further harm. Protection must carry on even if the child cannot back the investigation.",
    ),
    _lp(
        "LP-03.1",
        _EVIDENCE,
        Theme.INTERVIEWING,
        "Interview children apart from family and friends",
        "Children should be interviewed away from relatives and friends, in front of whom they "
        "may be too embarrassed or frightened to speak.",
    ),
    _lp(
        "LP-03.2",
        _EVIDENCE,
        Theme.INTERVIEWING,
        "Specialist interviewers, working with social care",
        "Only someone trained to interview children should do so, because abuse cases need "
        "specialist skill both for best evidence and for the child's welfare. The best "
        "arrangement is a police child protection team working jointly with social care.",
    ),
    _lp(
        "LP-03.3",
        _EVIDENCE,
        Theme.INTERVIEWING,
        "Interview without delay",
        "The child's interview should take place promptly after the report, so that evidence is "
        "not lost.",
    ),
    _lp(
        "LP-04.1",
        _RECOGNISING,
        Theme.TRAUMA_AWARENESS,
        "Fear, shame and loyalty in abused children",
        "Abused children can be frightened, ashamed or loyal to the person abusing them. If a "
        "child is reluctant to help an investigation, protection and support must not be "
        "withdrawn.",
    ),
    _lp(
        "LP-04.2",
        _RECOGNISING,
        Theme.VOICE_OF_THE_CHILD,
        "Non-verbal signs of abuse",
        "Officers should be alert to the signs of abuse a child shows without putting them into "
        "words.",
        outside_software="Noticing a child's non-verbal signs is an observational skill built by "
        "training and supervision, which a system can neither observe nor supply.",
    ),
    _lp(
        "LP-05.1",
        _PARTNERS,
        Theme.TERMINOLOGY,
        "A shared understanding of terms and procedures",
        "Police should know the basic vocabulary and procedures of partner agencies, and make "
        "sure partners understand how the police work in turn.",
    ),
    _lp(
        "LP-05.2",
        _PARTNERS,
        Theme.EXPLOITATION,
        "Refer children in risky situations to support",
        "When officers meet young people who are engaging in risky behaviour, or caught up in it, "
        "they should make a referral to the support services that fit.",
    ),
    _lp(
        "LP-06.1",
        _RECORDS,
        Theme.RECORDING,
        "Accurate, objective records, shared in time",
        "Incidents should be recorded accurately and without judgement, the records made "
        "available to the agencies that need them, and information passed on promptly so that "
        "children get help when they need it.",
    ),
    _lp(
        "LP-07.1",
        _FACILITIES,
        Theme.CUSTODY,
        "The same protection for 17-year-olds",
        "Procedures should be reviewed so that 17-year-olds receive the same protections as "
        "younger children.",
    ),
    _lp(
        "LP-07.2",
        _FACILITIES,
        Theme.CUSTODY,
        "Custody facilities and support suited to children",
        "Forces should keep a separate area for holding children and young people in custody, "
        "with access to support services that suit their age and needs.",
        outside_software="A separate custody area and child-appropriate support services are "
        "matters of buildings and commissioning, not of software.",
    ),
    _lp(
        "LP-08.0",
        _MISSING,
        Theme.MISSING,
        "Follow the statutory guidance on missing children",
        "Agencies should work together so that the guidance for runaway and missing children is "
        "followed; in England that is the 2014 Department for Education statutory guidance "
        "covering children missing from home or care.",
    ),
    _lp(
        "LP-09.0",
        _REPEAT_MISSING,
        Theme.MISSING,
        "Follow through on repeat missing episodes",
        "When a child goes missing again and again, the police response should be set up to see "
        "each episode through. Agencies should jointly work out why the child keeps going missing "
        "and what help the child needs.",
    ),
    _lp(
        "LP-10.0",
        _PERPETRATORS,
        Theme.PERPETRATORS,
        "Identify and disrupt perpetrators early",
        "People who abuse children should be identified early, their activity disrupted and a "
        "case assembled against them; police can also apply for civil orders that restrict those "
        "who pose a risk of sexual harm.",
    ),
    _lp(
        "LP-10.1",
        _PERPETRATORS,
        Theme.PERPETRATORS,
        "Orders in England and Wales",
        "In England and Wales the police can apply for a Sexual Harm Prevention Order or a Sexual "
        "Risk Order; both were inserted into the Sexual Offences Act 2003 in 2014 (Anti-social "
        "Behaviour, Crime and Policing Act 2014), and the Home Office has issued guidance on them.",
    ),
    _lp(
        "LP-10.2",
        _PERPETRATORS,
        Theme.PERPETRATORS,
        "Orders in Northern Ireland",
        "In Northern Ireland the equivalent is the Risk of Sexual Harm Order under the Sexual "
        "Offences Act 2003, on which the Department of Justice has issued guidance.",
    ),
    _lp(
        "LP-10.3",
        _PERPETRATORS,
        Theme.PERPETRATORS,
        "Orders in Scotland",
        "Scotland has its own versions of both orders, the Sexual Harm Prevention Order and the "
        "Sexual Risk Order, which came in with its Abusive Behaviour and Sexual Harm (Scotland) "
        "Act 2016.",
    ),
    _lp(
        "LP-11.0",
        _PROSECUTION,
        Theme.EVIDENCE_AND_PROTECTION,
        "Prosecute, with or without the child's co-operation",
        "Prosecuting those who abuse children lets victims feel safe and trust that agencies can "
        "protect them. An investigation should go ahead whether the child co-operates or not.",
    ),
)
