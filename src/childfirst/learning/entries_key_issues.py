"""Key issues: the failings in police practice that the case reviews found, paraphrased."""

from __future__ import annotations

from childfirst.learning.model import EntryKind, LearningEntry, Theme, briefing_entry

_TRUST = "Trust and engagement with the police"
_TRAUMA = "Understanding abuse and trauma"
_ONE_AT_A_TIME = "Incidents handled one at a time"
_DISCLOSURE = "Responding when children speak out"
_ADULTS = "Adults at the centre, children overlooked"
_SHARING = "Information the police held"
_TERMS = "Terms and processes across agencies"
_EVIDENCE = "Evidence and protection"
_CUSTODY = "Children held in police cells overnight"
_PROTECTION = "Protecting children in the police response"


_ki = briefing_entry(EntryKind.KEY_ISSUE)


KEY_ISSUES: tuple[LearningEntry, ...] = (
    _ki(
        "KI-01.0",
        _TRUST,
        Theme.TRUST_AND_ENGAGEMENT,
        "Victims held back from asking the police for help",
        "Many victims did not turn to the police because they were afraid, distrustful or ashamed, "
        "or doubted that officers could do anything for them. Other children and families, by "
        "contrast, placed real value on the protection the police gave them.",
    ),
    _ki(
        "KI-01.1",
        _TRUST,
        Theme.TRUST_AND_ENGAGEMENT,
        "Victims treated as offenders; disproportionate stop and search",
        "Some communities kept their distance from the police, and some victims of serious crime "
        "felt handled as suspects: black adolescent boys were stopped and searched at "
        "disproportionate rates, and abused children ended up with convictions for petty offences. "
        "Ethnicity is held only to monitor for unequal treatment of this kind and is never a risk "
        "input.",
    ),
    _ki(
        "KI-01.2",
        _TRUST,
        Theme.TRUST_AND_ENGAGEMENT,
        "Families who reported abuse felt unprotected",
        "Where abusers acted as a network, or could not be convicted for want of evidence, "
        "families who came forward were intimidated and threatened, and concluded that the "
        "police could not keep them safe.",
    ),
    _ki(
        "KI-01.3",
        _TRUST,
        Theme.TRUST_AND_ENGAGEMENT,
        "Embarrassment about police at the door",
        "Some families were ashamed to have officers call at the house, and so did not ring the "
        "police when they needed help.",
        outside_software="It turns on how families feel about a police presence at home, which "
        "depends on local policing style and community confidence rather than on records or "
        "workflows.",
    ),
    _ki(
        "KI-01.4",
        _TRUST,
        Theme.TRUST_AND_ENGAGEMENT,
        "Young children frightened by police contact",
        "Some younger children found officers intimidating and assumed they were in trouble when "
        "spoken to, although the officers were there to keep them safe.",
        outside_software="How a young child experiences a conversation with an officer depends on "
        "the officer's manner and training, which a system cannot supply.",
    ),
    _ki(
        "KI-01.5",
        _TRUST,
        Theme.TRUST_AND_ENGAGEMENT,
        "Community support officers: trusted but under-equipped",
        "Young people got on well with community support officers, who had more time for regular, "
        "informal contact with them. Those officers were not always trained for, or confident in, "
        "giving the depth of help the young people needed.",
        outside_software="The gap is the training and confidence of community officers, which is a "
        "matter for workforce development rather than software.",
    ),
    _ki(
        "KI-01.6",
        _TRUST,
        Theme.TRUST_AND_ENGAGEMENT,
        "Family liaison officers valued by bereaved parents",
        "Parents whose child had died said the support of a family liaison officer mattered to "
        "them.",
        outside_software="The benefit comes from a trained officer's personal support to a "
        "bereaved family, a staffing matter that a record can note but not provide.",
    ),
    _ki(
        "KI-02.1",
        _TRAUMA,
        Theme.TRAUMA_AWARENESS,
        "Trauma responses misread as no offence",
        "Officers who did not understand the effects of trauma found victims' behaviour hard to "
        "read, and took a victim going back to, or showing fondness for, the abuser to mean that "
        "no crime had happened. Such behaviour is common after abuse and is no evidence against an "
        "allegation.",
    ),
    _ki(
        "KI-02.2",
        _TRAUMA,
        Theme.EXPLOITATION,
        "Exploited girls not seen as victims",
        'In child sexual exploitation cases girls were treated as willing partners, or as "child '
        'prostitutes", and blamed for the danger they were in, instead of being recognised as '
        'children suffering sexual abuse. Words such as "consenting" have no place in describing '
        "a child's abuse.",
    ),
    _ki(
        "KI-02.3",
        _TRAUMA,
        Theme.RECORDING,
        "Records that played down harm",
        "Recording sometimes minimised what had happened: domestic abuse logged as a nuisance, "
        'physical abuse "no-crimed" as over-chastisement, and a child\'s suicide attempt written '
        'off as "childish".',
    ),
    _ki(
        "KI-02.4",
        _TRAUMA,
        Theme.CHILDREN_FIRST,
        "Age and risk-taking left out of vulnerability",
        "Assessments of vulnerability sometimes ignored the child's age and risk-taking behaviour, "
        "so the danger the child faced was underestimated.",
    ),
    _ki(
        "KI-03.0",
        _ONE_AT_A_TIME,
        Theme.CUMULATIVE_HARM,
        "Incidents handled one at a time",
        "Incidents were often dealt with singly, with no look at what lay behind them or at the "
        "harm building up across them.",
    ),
    _ki(
        "KI-03.1",
        _ONE_AT_A_TIME,
        Theme.CUMULATIVE_HARM,
        "Presenting behaviour dealt with, causes ignored",
        "Attention went to the behaviour in front of officers, such as a young person's offending, "
        "drink or drug use, or anti-social and risky conduct, without asking why the young person "
        "was acting that way.",
    ),
    _ki(
        "KI-03.2",
        _ONE_AT_A_TIME,
        Theme.DOMESTIC_ABUSE,
        "Domestic abuse seen as separate incidents; children not checked",
        "Domestic abuse call-outs were handled as isolated events instead of a pattern, and their "
        "combined effect on the children was often missed. The emergency response was usually "
        "sound, but follow-up was weak: children were not always seen afterwards, nor their "
        "welfare checked.",
    ),
    _ki(
        "KI-03.3",
        _ONE_AT_A_TIME,
        Theme.MISSING,
        "Repeat missing episodes normalised",
        "Where a child kept going missing from home or care, the episodes came to look normal "
        "rather than a growing concern; reports were seen as wasting police time and some parents "
        "were even asked to stop making them. Parents and children lost faith that the police "
        "would protect them.",
    ),
    _ki(
        "KI-04.0",
        _DISCLOSURE,
        Theme.DISCLOSURE,
        "Disclosures met without rounded support",
        "When children told someone about abuse, a response that was neither joined up nor "
        "supportive led some to withdraw what they had said, and weakened the evidence.",
    ),
    _ki(
        "KI-04.1",
        _DISCLOSURE,
        Theme.INTERVIEWING,
        "Joint interviewing worked well",
        "Interviews that police child protection officers and children's social care carried out "
        "together were an example of good practice.",
    ),
    _ki(
        "KI-04.2",
        _DISCLOSURE,
        Theme.INTERVIEWING,
        "Delays waiting for specialist interviewers",
        "Holding on until a specialist team was free sometimes put back the interview, and "
        "evidence was lost.",
    ),
    _ki(
        "KI-04.3",
        _DISCLOSURE,
        Theme.INTERVIEWING,
        "Inexperience in talking to children",
        "Officers with little experience of talking to children made weaker judgements about "
        "whether an offence had occurred and gathered poorer evidence.",
    ),
    _ki(
        "KI-04.4",
        _DISCLOSURE,
        Theme.INTERVIEWING,
        "Children interviewed in front of parents",
        "Children were often spoken to with a parent or carer in the room, which stopped them "
        "speaking freely: they felt embarrassed or ashamed, or the adult present was the abuser "
        "or might pass on what they said.",
    ),
    _ki(
        "KI-04.5",
        _DISCLOSURE,
        Theme.INTERVIEWING,
        "Children used as interpreters",
        "Where parents had limited English, children were sometimes asked to interpret, even in "
        "adult conversations about domestic abuse or the abuse of children. A child should never "
        "interpret in such matters.",
    ),
    _ki(
        "KI-04.6",
        _DISCLOSURE,
        Theme.VOICE_OF_THE_CHILD,
        "Child witnesses not interviewed",
        "Officers sometimes took an account from the adult who reported an offence but did not "
        "speak to the children who had seen it.",
    ),
    _ki(
        "KI-05.1",
        _ADULTS,
        Theme.HIDDEN_ADULTS,
        "Violent adults not seen as a risk to children",
        "Adults with a history of violence towards other adults were rarely treated as a direct "
        "danger to children, despite what that violence did to the children around them. At "
        "times only the police knew of that history.",
    ),
    _ki(
        "KI-05.2",
        _ADULTS,
        Theme.DOMESTIC_ABUSE,
        "Adult victim the sole focus in domestic abuse",
        "At domestic abuse incidents officers concentrated on keeping the adult victim safe, and "
        "worries about the other parent's care of the children were often dismissed because the "
        "perpetrator had raised them. Such worries still need weighing for the children, whoever "
        "raises them.",
    ),
    _ki(
        "KI-05.3",
        _ADULTS,
        Theme.VOICE_OF_THE_CHILD,
        "Adults believed over children",
        "Adults' accounts were often given more weight than children's; a parent's claim that "
        "999 calls were children playing about was accepted, instead of treating the calls as "
        "real requests for help.",
    ),
    _ki(
        "KI-05.4",
        _ADULTS,
        Theme.VOICE_OF_THE_CHILD,
        "Parents' accounts accepted without seeing the child",
        "Officers sometimes took a parent's version of events at face value without talking to "
        "the child directly.",
    ),
    _ki(
        "KI-06.1",
        _SHARING,
        Theme.INFORMATION_SHARING,
        "Dangerous associates known only to the police",
        "The police were at times the only agency aware that a young person was spending time "
        "with people who might harm them, and did not always pass this on to partner agencies or "
        "warn the young person.",
    ),
    _ki(
        "KI-06.2",
        _SHARING,
        Theme.HIDDEN_ADULTS,
        "Police not told that offenders were in contact with children",
        "Partner agencies did not always tell the police promptly about children; officers might "
        "know of a person's offending without knowing that the person regularly saw children.",
    ),
    _ki(
        "KI-06.3",
        _SHARING,
        Theme.INFORMATION_SHARING,
        "Referrals to children's services missed",
        "Cases were not always referred on to the right agency; a parent's serious drink or drug "
        "misuse might be passed to treatment services while children's services were never told.",
    ),
    _ki(
        "KI-06.4",
        _SHARING,
        Theme.INFORMATION_SHARING,
        "Records not shared between forces",
        "Getting records from one police force to another ran into difficulties.",
    ),
    _ki(
        "KI-07.1",
        _TERMS,
        Theme.TERMINOLOGY,
        "Police checks and decisions misread by partners",
        'Partners took a "safe and well" or "welfare" check by the police to mean there were no '
        "safeguarding concerns, when it only meant nothing needed action at that moment. In the "
        "same way, a charge dropped for lack of evidence was read as proof that the accused posed "
        "no risk to children.",
    ),
    _ki(
        "KI-07.2",
        _TERMS,
        Theme.TERMINOLOGY,
        "Informal discussions mistaken for strategy meetings",
        "Officers sometimes attended inter-agency meetings they believed were formal strategy "
        "meetings but that were only informal conversations, so they overestimated how seriously "
        "the other agencies were taking the concern.",
    ),
    _ki(
        "KI-07.3",
        _TERMS,
        Theme.EVIDENCE_AND_PROTECTION,
        "Too much weight on medical opinion",
        "Police sometimes leaned too heavily on medical evidence: a doctor's reluctance to say "
        "outright that an injury came from abuse was taken to show there had been none, even when "
        "what the police knew of the family pointed strongly to abuse.",
    ),
    _ki(
        "KI-07.4",
        _TERMS,
        Theme.EVIDENCE_AND_PROTECTION,
        "Different sense of urgency between police and social workers",
        "Once a child was somewhere safe, such as a hospital, social workers sometimes saw less "
        "urgency, while the police had to act quickly to interview the child and secure evidence.",
    ),
    _ki(
        "KI-08.1",
        _EVIDENCE,
        Theme.EVIDENCE_AND_PROTECTION,
        "Protection held back by evidential thresholds",
        "Action to protect children was put off while a higher standard of evidence was awaited, "
        "and the abuse carried on in the meantime. When a victim would not give a statement, "
        "little or nothing was done.",
    ),
    _ki(
        "KI-09.1",
        _CUSTODY,
        Theme.CUSTODY,
        "Children held in adult custody space",
        "Arrest and detention distressed young people, and some very vulnerable children were "
        "kept in areas built for adults with no separate provision for children.",
        outside_software="It needs a custody space designed for children, which is a decision "
        "about buildings rather than something a system can provide.",
    ),
    _ki(
        "KI-09.2",
        _CUSTODY,
        Theme.CUSTODY,
        "17-year-olds treated as adults in custody",
        "Seventeen-year-olds in custody were dealt with as adults, so their parents were not told "
        "they had been detained.",
    ),
    _ki(
        "KI-09.3",
        _CUSTODY,
        Theme.CUSTODY,
        "No mental health or substance support for child detainees",
        "Young detainees who needed, and sometimes asked for, help from mental health or drug and "
        "alcohol services could not get it, because the support on offer was designed for adults.",
        outside_software="The gap is in the services commissioned for custody, which a system can "
        "prompt a referral to but cannot supply.",
    ),
    _ki(
        "KI-10.1",
        _PROTECTION,
        Theme.EXPLOITATION,
        "Abused children arrested for minor offences",
        "Abused children were arrested for low-level offences, a breach of the peace, say, or "
        "drunkenness, with no thought for the reasons behind how they were behaving.",
    ),
    _ki(
        "KI-10.2",
        _PROTECTION,
        Theme.CHILDREN_FIRST,
        "Looked-after children drawn into the justice system",
        "Children in care, particularly in children's homes, came to police attention over "
        "incidents that any other child's family would have dealt with at home.",
    ),
    _ki(
        "KI-10.3",
        _PROTECTION,
        Theme.HARMFUL_SEXUAL_BEHAVIOUR,
        "Harmful sexual behaviour left unaddressed",
        "Officers were unsure how to respond to harmful sexual behaviour by young people, and "
        "reluctance to criminalise the young person causing harm sometimes left other children "
        "unprotected from it.",
    ),
)
