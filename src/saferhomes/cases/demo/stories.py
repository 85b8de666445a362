"""What happens in the demo cases: stories per kind of case, in an officer's words, and how cases are spread over
states and ages."""

from __future__ import annotations

from dataclasses import dataclass

from saferhomes.cases.models import (
    Category,
    HateStrand,
    Outcome,
    Status,
    SubType,
)
from saferhomes.housing.models import ContactMethod

# ---------------------------------------------------------------------------------------------------------------
# What happens: stories per kind of case, in an officer's words.


@dataclass(frozen=True)
class Story:
    sub_types: tuple[str, ...]
    category: str
    summary: str
    incidents: tuple[str, ...]
    actions: tuple[str, ...]
    criminal: bool = False
    urgent: bool = False
    place: str = "home"  # home: at a neighbour's home; outside: a communal or public place


ASB_STORIES: list[tuple[Story, float]] = [
    (
        Story(
            (SubType.NOISE,),
            Category.NUISANCE,
            "Loud music late at night from {where}",
            (
                "Loud music and shouting from {where} from about 11pm until 3am. Could not sleep.",
                "Bass music through the ceiling from {where} between 10pm and 1am, then banging on the walls.",
                "A party at {where} with around 15 people; noise in the stairwell until 4am.",
                "Music from {where} all afternoon; asked them to turn it down and was sworn at.",
            ),
            (
                "Send diary sheets to the reporter",
                "Write to the occupant of {where} about the noise",
                "Install noise recording equipment at the reporter's home",
                "Refer to the council's environmental health noise team",
            ),
        ),
        24,
    ),
    (
        Story(
            (SubType.VERBAL_ABUSE,),
            Category.PERSONAL,
            "Verbal abuse and intimidation from a neighbour at {where}",
            (
                "The neighbour from {where} shouted abuse on the stairs and blocked the way.",
                "Called names across the landing in front of the children by the occupant of {where}.",
                "Followed to the bus stop by the neighbour from {where}, who made comments all the way.",
            ),
            ("Interview the alleged perpetrator at {where}", "Offer mediation to both households"),
        ),
        12,
    ),
    (
        Story(
            (SubType.THREATS,),
            Category.PERSONAL,
            "Threats of violence from the occupant of {where}",
            (
                "Threatened to 'smash the door in' by the occupant of {where}; police called, log number given.",
                "Threatening note pushed through the letterbox, believed to be from {where}.",
            ),
            ("Share information with the police neighbourhood team", "Visit the reporter to review their safety"),
            criminal=True,
            urgent=True,
        ),
        6,
    ),
    (
        Story(
            (SubType.VIOLENCE,),
            Category.PERSONAL,
            "Assault outside the block by a resident of {where}",
            (
                "Punched in the car park by the resident of {where} after an argument about parking; police attended.",
                "Pushed down the stairs by the resident of {where}; went to A&E with a sprained wrist.",
            ),
            ("Share information with the police neighbourhood team", "Consider a civil injunction"),
            criminal=True,
            urgent=True,
        ),
        3,
    ),
    (
        Story(
            (SubType.DRUGS,),
            Category.NUISANCE,
            "Suspected drug dealing from {where}",
            (
                "Frequent visitors to {where}, each staying a few minutes; strong smell of cannabis in the corridor.",
                "Needles found by the bin store near {where}.",
                "Cars pulling up outside {where} late at night; people going in and out for a few minutes each.",
            ),
            ("Share intelligence with the police", "Arrange for the needles to be removed safely"),
            criminal=True,
        ),
        9,
    ),
    (
        Story(
            (SubType.ALCOHOL, SubType.COMMUNAL),
            Category.NUISANCE,
            "Street drinking and shouting by the communal entrance",
            (
                "A group drinking by the entrance to {where} all afternoon; bottles left on the steps.",
                "Shouting and swearing by the drinkers at the entrance to {where} until after midnight.",
            ),
            ("Ask the police to patrol in the evenings", "Remove the bottles and clean the entrance"),
            place="outside",
        ),
        5,
    ),
    (
        Story(
            (SubType.COMMUNAL,),
            Category.NUISANCE,
            "Young people gathering in the stairwell, smoking and leaving litter",
            (
                "A group of young people smoking in the stairwell of {where}; litter and spray paint left behind.",
                "Young people kicking a ball against the doors in {where} until 10pm.",
            ),
            ("Talk to the families of the young people involved", "Fit a door entry system to {where}"),
            place="outside",
        ),
        7,
    ),
    (
        Story(
            (SubType.VANDALISM,),
            Category.ENVIRONMENTAL,
            "Damage to the communal door and lift at {where}",
            ("The communal door at {where} was kicked in overnight.", "Lift buttons at {where} burnt out again."),
            ("Raise a repair for the communal door", "Check the CCTV for the night of the damage"),
            criminal=True,
            place="outside",
        ),
        6,
    ),
    (
        Story(
            (SubType.GRAFFITI,),
            Category.ENVIRONMENTAL,
            "Graffiti on the garages behind {where}",
            ("New graffiti tags on the garage doors behind {where}.",),
            ("Order graffiti removal",),
            place="outside",
        ),
        4,
    ),
    (
        Story(
            (SubType.RUBBISH,),
            Category.ENVIRONMENTAL,
            "Fly-tipping by the bin store at {where}",
            (
                "A mattress and bags of rubbish dumped by the bin store at {where}.",
                "Builder's waste left on the grass next to {where}.",
            ),
            ("Arrange a bulk waste collection", "Write to all residents about fly-tipping"),
            place="outside",
        ),
        6,
    ),
    (
        Story(
            (SubType.PETS,),
            Category.NUISANCE,
            "Dog barking and fouling in the shared garden by {where}",
            (
                "The dog at {where} barked for most of the day while the owner was out.",
                "Dog mess left in the shared garden by the tenant of {where}.",
            ),
            ("Write to the tenant of {where} about their dog", "Check the tenancy allows a dog"),
        ),
        5,
    ),
    (
        Story(
            (SubType.VEHICLES,),
            Category.NUISANCE,
            "Nuisance parking and an abandoned car at {where}",
            ("A car with no tax parked across the bin store at {where} for two weeks.",),
            ("Report the untaxed car to the council",),
            place="outside",
        ),
        3,
    ),
    (
        Story(
            (SubType.GARDEN,),
            Category.ENVIRONMENTAL,
            "Overgrown garden and rubbish piled up at {where}",
            ("The garden at {where} is overgrown and rats have been seen by the rubbish.",),
            ("Inspect the garden at {where}", "Refer to pest control"),
        ),
        3,
    ),
]

HATE_STORIES: dict[str, Story] = {
    HateStrand.RACE: Story(
        (SubType.VERBAL_ABUSE,),
        Category.PERSONAL,
        "Racist abuse from the occupant of {where}",
        (
            "Racist names shouted from the balcony of {where} while walking the children to school.",
            "Racist abuse and spitting in the lift by the occupant of {where}; police informed.",
        ),
        ("Report the incident to the police as a hate crime", "Offer the reporter a visit from victim support"),
    ),
    HateStrand.RELIGION: Story(
        (SubType.VERBAL_ABUSE, SubType.THREATS),
        Category.PERSONAL,
        "Abuse about the reporter's religion from a neighbour at {where}",
        ("Headscarf pulled and abuse about her religion by the neighbour from {where}.",),
        ("Report the incident to the police as a hate crime",),
    ),
    HateStrand.DISABILITY: Story(
        (SubType.VERBAL_ABUSE, SubType.VANDALISM),
        Category.PERSONAL,
        "Disability hate incidents: mocked and mobility scooter damaged",
        (
            "Mocked about his disability by young people outside {where}.",
            "Mobility scooter tyres slashed outside {where}.",
        ),
        ("Report the damage to the police as a hate crime", "Arrange safe storage for the mobility scooter"),
    ),
    HateStrand.SEXUAL_ORIENTATION: Story(
        (SubType.GRAFFITI, SubType.VERBAL_ABUSE),
        Category.PERSONAL,
        "Homophobic graffiti on the reporter's door",
        ("Homophobic words painted on the front door overnight.", "Homophobic abuse shouted from {where}."),
        ("Remove the graffiti within 24 hours", "Report the incident to the police as a hate crime"),
    ),
    HateStrand.TRANSGENDER: Story(
        (SubType.VERBAL_ABUSE,),
        Category.PERSONAL,
        "Transphobic notes pushed through the reporter's door",
        ("Transphobic notes pushed through the letterbox, believed to be from {where}.",),
        ("Report the incident to the police as a hate crime", "Check in with the reporter weekly"),
    ),
}
HATE_STRAND_WEIGHTS = [
    (HateStrand.RACE, 45.0),
    (HateStrand.RELIGION, 15.0),
    (HateStrand.DISABILITY, 15.0),
    (HateStrand.SEXUAL_ORIENTATION, 15.0),
    (HateStrand.TRANSGENDER, 10.0),
]

DA_STORY = Story(
    (SubType.DOMESTIC_ABUSE,),
    Category.PERSONAL,
    "Domestic abuse by {relationship}",
    (
        "{relationship_cap} came to the flat uninvited and would not leave; police called.",
        "Threatening messages from {relationship} overnight.",
        "Pushed during an argument with {relationship}; the children were in the next room.",
        "{relationship_cap} waited outside the school gates and followed her home.",
    ),
    (
        "Complete the DA risk checklist with the victim",
        "Refer to the independent domestic violence adviser (IDVA) service",
        "Fit extra locks and a door viewer (sanctuary scheme)",
        "Discuss a management transfer with the victim",
    ),
    criminal=True,
    urgent=True,
)
# What a DA reporter tells us about contacting them safely, and the ways that rules out (Party.contact_avoid).
DA_SAFE_CONTACT: list[tuple[str, list[str]]] = [
    ("Text only, and only between 10am and 2pm; never phone, and do not leave voicemails.", [ContactMethod.PHONE]),
    ("Call the mobile, never the landline; ask for her by first name only.", []),
    (
        "Do not visit or send letters to the home: meet at the neighbourhood office.",
        [ContactMethod.VISIT, ContactMethod.LETTER],
    ),
]

OUTCOMES: list[tuple[str, float]] = [
    (Outcome.RESOLVED, 50),
    (Outcome.NO_FURTHER_ACTION, 14),
    (Outcome.REFERRED_ON, 12),
    (Outcome.LEGAL_ACTION_CONCLUDED, 5),
    (Outcome.REPORTER_WITHDREW, 8),
    (Outcome.UNABLE_TO_CONTACT, 6),
]
OUTCOME_SUMMARIES: dict[str, str] = {
    Outcome.RESOLVED: "The behaviour stopped after our letter and a visit; no further reports for six weeks.",
    Outcome.NO_FURTHER_ACTION: "Not enough evidence to take further action after diary sheets and monitoring.",
    Outcome.REFERRED_ON: "Referred to the council's ASB team and the police, who are leading on this now.",
    Outcome.LEGAL_ACTION_CONCLUDED: "The court granted a civil injunction for 12 months; no breaches reported since.",
    Outcome.REPORTER_WITHDREW: "The reporter asked us to close the case; they are happy it has settled down.",
    Outcome.UNABLE_TO_CONTACT: "We could not reach the reporter to discuss the outcome after several attempts.",
}
SATISFACTION: list[tuple[int, float]] = [(5, 30), (4, 30), (3, 14), (2, 12), (1, 14)]
DO_BETTER = [
    "",
    "",
    "",
    "Kept me updated more often.",
    "It took too long before anyone came out to see me.",
    "Nothing, the officer was really helpful.",
    "Told me what you were doing with the other tenant.",
    "Answered the phone when I called the office.",
    "Acted sooner. It went on for months.",
]
DA_PLAN_UPDATES = [
    "Texted at the agreed time; she replied that she is safe and nothing new has happened.",
    "Called at the agreed time: she feels safer since the locks were fitted. IDVA still in touch.",
    "Met at the neighbourhood office as agreed; went through the safety plan again.",
]
PLAN_UPDATES = [
    "Update call: explained what we have done since the last contact; things are quieter this week.",
    "Left a message as agreed in the contact plan; they called back later and confirmed no new incidents.",
    "Visited as agreed. Two new incidents to add to the diary; reassured them we are still working on it.",
    "Emailed an update on the letter sent to the neighbour; they replied that it has been better.",
    "Update: told them the police have been informed and what happens next.",
]
NOTES = [
    "Checked the housing file: no previous complaints about this household.",
    "Spoke to the caretaker, who has seen the same thing on his rounds.",
    "Police neighbourhood team aware; they will add the address to their patrols.",
    "Reporter prefers calls after 5pm because of work.",
]
NOT_DISCUSSED_REASON = (
    "Three calls on different days and a letter asking them to get in touch; no reply. Closing as unable to contact."
)

STATUS_WEIGHTS: list[tuple[str, float]] = [
    (Status.NEW, 4),
    (Status.TRIAGED, 4),
    (Status.OPEN, 36),
    (Status.CLOSING, 5),
    (Status.CLOSED, 47),
    (Status.REOPENED, 4),
]
# How long before "now" a case in each state was received: (shortest, longest) in days.
AGE_DAYS: dict[str, tuple[float, float]] = {
    Status.NEW: (0.05, 3),
    Status.TRIAGED: (1, 8),
    Status.OPEN: (6, 220),
    Status.CLOSING: (30, 220),
    Status.CLOSED: (40, 540),
    Status.REOPENED: (70, 400),
}
