"""Acme's next programmes: one in matching with a finished run, one in enrolment."""

from __future__ import annotations

from demo import lifecycle as do
from demo.cast import AFTERNOONS, LATE, MORNINGS, Seat, Story, cast
from matching.services.pairings import mentor_wishes_set
from programmes.models import Level, Participant

D, P, X = Level.DISCOVER, Level.DEEPEN, Level.EXPLOIT
Status = Participant.Status
MENTOR, MENTEE = Participant.Role.MENTOR, Participant.Role.MENTEE
MATCHING_PROGRAMME = "Matching demo"

# Juniors who teach; the last one has not finished the training (its reason shows).
MATCHING_MENTORS = (
    Seat("maya", {"LinkedIn": X, "Canva": P}, capacity=2, availability=MORNINGS + AFTERNOONS),
    Seat("theo", {"Microsoft Teams": X, "Generative AI": X}, capacity=2,
         availability=MORNINGS + LATE),
    Seat("sofia.romero", {"LinkedIn": X, "Smartphone at work": P}, availability=AFTERNOONS),
    Seat("hugo.laurent", {"Excel": X, "Power BI": X}, availability=AFTERNOONS),
    Seat("priya.shah", {"Microsoft Teams": P, "Generative AI": P}, availability=LATE),
    # The only one teaching Canva at exploit, and in the CMO's management chain.
    Seat("zoe.bertin", {"Canva": X, "LinkedIn": P}),
    Seat("nathan.david", {"Power BI": X, "Excel": X}, availability=AFTERNOONS),
    Seat("yasmine.brahimi", {"Password manager and two-step login": X, "Smartphone at work": X}),
    Seat("mateo.ruiz", {"Canva": P, "Generative AI": P}, availability=LATE),
    Seat("lena.schmidt", {"Excel": P, "Password manager and two-step login": P}, steps=0),
)  # fmt: skip
# Seniors who learn. Isabelle's only Canva teacher is Zoé (in her chain); Michael is six hours
# from every LinkedIn expert: both stay unmatched, with the reason. Helen would like Priya.
MATCHING_MENTEES = (
    Seat("bernard", {"Power BI": P, "Excel": X}, availability=MORNINGS + AFTERNOONS),
    Seat("helen", {"LinkedIn": P, "Microsoft Teams": X}, availability=MORNINGS + LATE,
         wishes=("priya.shah",)),
    Seat("isabelle.rousseau", {"Canva": X}),
    Seat("philippe.moreau", {"Power BI": D, "Generative AI": D}, availability=AFTERNOONS + LATE),
    Seat("anne.lefebvre", {"Excel": P}),
    Seat("tom.baker", {"Password manager and two-step login": D}),
    Seat("antoine.mercier", {"LinkedIn": D, "Smartphone at work": D}, availability=AFTERNOONS),
    Seat("arthur.michel", {"Generative AI": P}, availability=LATE),
    Seat("paul.lemoine", {"Microsoft Teams": D}),
    Seat("camille.roux", {"Power BI": P}, availability=AFTERNOONS),
    Seat("elodie.simon", {"Canva": P}, availability=LATE),
    Seat("michael.brown", {"LinkedIn": X}),
)  # fmt: skip


def matching_demo(story: Story) -> None:
    """ "Matching demo": ten mentors, twelve mentees, a finished run waiting to be published."""
    organisation, admin, clock = story.organisation, story.admin, story.clock
    cohort = do.Cohort(
        name=MATCHING_PROGRAMME,
        description="A small cohort to try matching: run it, read why, pin, forbid, publish.",
        goals="Every mentee finds a mentor who teaches what they want, at their pace.",
        starts_on=clock.day(21),
        ends_on=clock.day(21 + 182),
        topics=list(story.topics.values()),
    )
    with clock.travel(-30):
        programme = do.programme_open(organisation=organisation, admin=admin, cohort=cohort)
    mentors = cast(
        story, programme, MENTOR, MATCHING_MENTORS, invited=-28, enrolled=-25, reviewed=-12
    )
    mentees = cast(
        story, programme, MENTEE, MATCHING_MENTEES, invited=-28, enrolled=-24, reviewed=-12
    )
    with clock.travel(-20, 13):
        for seat in MATCHING_MENTEES:
            if seat.wishes:
                mentor_wishes_set(
                    organisation=organisation,
                    mentee=mentees[seat.who],
                    mentors=[mentors[who] for who in seat.wishes],
                )
    with clock.travel(-1, 16):
        programme = do.advance(organisation=organisation, admin=admin, programme=programme)
    # Last of all, so that it is the newest run of the organisation.
    with clock.travel(0, 8):
        do.match(organisation=organisation, admin=admin, programme=programme)


# Filled with the demo logins and colleagues in every status an HR admin meets.
BOOST_MENTORS = (
    Seat("maya", {"LinkedIn": X, "Excel": P}, capacity=2),
    Seat("theo", {"Microsoft Teams": X, "Generative AI": P}, capacity=2, steps=2),
    Seat("zoe.bertin", {"LinkedIn": X, "Generative AI": P}, availability=AFTERNOONS),
    Seat("nathan.david", {"Power BI": X, "Excel": X}, capacity=2, availability=AFTERNOONS),
    Seat("yasmine.brahimi", {"Password manager and two-step login": X}, availability=LATE),
    Seat("lucia.fernandez", {"Excel": P}, steps=1, status=Status.APPLIED),
    Seat("louis.bonnet", {"Microsoft Teams": P}, steps=1, status=Status.APPLIED),
    Seat("mateo.ruiz", {"Generative AI": P}, steps=0, status=Status.DECLINED,
         note="We have enough Generative AI mentors this time — thank you!"),
    Seat("maxime.chevalier", {}, status=Status.INVITED),
    Seat("kevin.nguyen", {}, status=Status.INVITED),
    Seat("emma.wilson", {"Excel": D}, steps=0, status=Status.WITHDRAWN),
)  # fmt: skip
BOOST_MENTEES = (
    Seat("bernard", {"Excel": X, "Generative AI": D}),
    Seat("helen", {"LinkedIn": P}),
    Seat("anne.lefebvre", {"Excel": P}, availability=AFTERNOONS),
    Seat("camille.roux", {"Power BI": D}),
    Seat("arthur.michel", {"Generative AI": D}, availability=LATE),
    Seat("james.oconnor", {"LinkedIn": P, "Microsoft Teams": D}),
    Seat("paul.lemoine", {"Password manager and two-step login": D}, availability=LATE),
    Seat("philippe.moreau", {"Power BI": P}, availability=AFTERNOONS),
    Seat("antoine.mercier", {}, status=Status.INVITED),
    Seat("george.evans", {}, status=Status.INVITED),
    Seat("samuel.cohen", {}, status=Status.INVITED),
    Seat("michael.brown", {"LinkedIn": D}, status=Status.WITHDRAWN),
)  # fmt: skip
BOOST_TOPICS = (
    "LinkedIn",
    "Microsoft Teams",
    "Generative AI",
    "Excel",
    "Power BI",
    "Password manager and two-step login",
)


def digital_boost(story: Story) -> None:
    """ "Digital Boost 2027": enrolment open, with applications to review."""
    organisation, admin, clock = story.organisation, story.admin, story.clock
    starts = clock.day(28)
    cohort = do.Cohort(
        name="Digital Boost 2027",
        description=(
            "Six months in which volunteers from our younger teams coach experienced "
            "colleagues on the digital tools of their choice, at their pace."
        ),
        goals="Every participant uses one new tool in their daily work by the end.",
        starts_on=starts,
        ends_on=clock.day(28 + 182),
        topics=[story.topics[name] for name in BOOST_TOPICS],
    )
    with clock.travel(-14):
        programme = do.programme_open(organisation=organisation, admin=admin, cohort=cohort)
    cast(story, programme, MENTOR, BOOST_MENTORS, invited=-12, enrolled=-10, reviewed=-3)
    cast(story, programme, MENTEE, BOOST_MENTEES, invited=-12, enrolled=-9, reviewed=-3)


CHAPTERS = (
    ("Digital Boost 2027", digital_boost),
    (MATCHING_PROGRAMME, matching_demo),
)
