"""Lumière Assurances: the French demo organisation, with one programme under way.

Inès (données) coache Gérard (directeur sinistres) ; Emma coache Thierry. No rating has been
released here: every figure stays hidden until five people have rated.
"""

from __future__ import annotations

from django_scopes import scope

from demo import lifecycle as do
from demo.cast import AFTERNOONS, MORNINGS, Seat, Story, cast
from demo.catalogue import LUMIERE_TOPICS, catalogue_seed
from demo.clock import DemoClock
from demo.people import DEMO_PASSWORD, LUMIERE_LOGINS, directory_csv, lumiere_directory
from matching.models import Pairing
from organisations.models import Member, Organisation
from programmes.models import Level, Participant, Programme, Topic

SLUG = "lumiere"
PROGRAMME_NAME = "Parcours numérique 2026"
D, P, X = Level.DISCOVER, Level.DEEPEN, Level.EXPLOIT
SALLE = "Salle Lumière, 3e étage, siège de Paris"


def lumiere_seed(*, clock: DemoClock) -> Organisation:
    """Create or complete Lumière Assurances; an existing programme is left as it is."""
    organisation = Organisation.objects.filter(slug=SLUG).first()
    if organisation is None:
        organisation = _found(clock)
    with scope(organisation=organisation):
        if not Programme.objects.filter(organisation=organisation, name=PROGRAMME_NAME).exists():
            story = Story(
                organisation=organisation,
                admin=Member.objects.get(organisation=organisation, email=LUMIERE_LOGINS[0].email),
                topics={t.name: t for t in Topic.objects.filter(organisation=organisation)},
                members={m.email: m for m in Member.objects.filter(organisation=organisation)},
                clock=clock,
                password=DEMO_PASSWORD,
                logins=frozenset(person.email for person in LUMIERE_LOGINS),
            )
            _parcours(story)
    return organisation


def _found(clock: DemoClock) -> Organisation:
    rh = LUMIERE_LOGINS[0]
    with clock.travel(-120):
        user = do.signup(
            email=rh.email, password=DEMO_PASSWORD, first_name=rh.first_name, last_name=rh.last_name
        )
        organisation, _admin = do.organisation_open(
            admin=user,
            name="Lumière Assurances",
            slug=SLUG,
            timezone="Europe/Paris",
            language="fr",
            directory=directory_csv(lumiere_directory(), "LUM"),
        )
        with scope(organisation=organisation):
            catalogue_seed(organisation=organisation, topics=LUMIERE_TOPICS, french=True)
    return organisation


MENTORS = (
    Seat("ines", {"IA générative": X, "Excel": X}, availability=MORNINGS + AFTERNOONS,
         text="J'utilise Copilot et Excel tous les jours ; j'aime montrer les raccourcis."),
    Seat("emma.girard", {"LinkedIn": X, "Microsoft Teams": P}, availability=AFTERNOONS,
         text="Je publie pour nos agences sur LinkedIn chaque semaine."),
)  # fmt: skip
MENTEES = (
    Seat("gerard", {"IA générative": D, "Excel": P}, availability=MORNINGS,
         text="Savoir résumer un dossier sinistre avec Copilot et suivre mes indicateurs."),
    Seat("thierry.vidal", {"LinkedIn": D}, availability=AFTERNOONS,
         text="Avoir un profil LinkedIn à jour et suivre nos clients entreprises."),
)  # fmt: skip


def _parcours(story: Story) -> None:
    organisation, admin, clock = story.organisation, story.admin, story.clock
    start = -45
    cohort = do.Cohort(
        name=PROGRAMME_NAME,
        description="Nos jeunes talents accompagnent les cadres confirmés sur les outils "
        "numériques de leur choix : mentorat inversé, à leur rythme.",
        goals="Chaque participant·e utilise un nouvel outil dans son travail quotidien.",
        starts_on=clock.day(start),
        ends_on=clock.day(start + 180),
        topics=[story.topics[item.name] for item in LUMIERE_TOPICS],
        target_sessions=6,
    )
    with clock.travel(start - 30):
        programme = do.programme_open(organisation=organisation, admin=admin, cohort=cohort)
    mentors = cast(
        story, programme, Participant.Role.MENTOR, MENTORS,
        invited=start - 28, enrolled=start - 26, reviewed=start - 23,
    )  # fmt: skip
    mentees = cast(
        story, programme, Participant.Role.MENTEE, MENTEES,
        invited=start - 28, enrolled=start - 25, reviewed=start - 23,
    )  # fmt: skip
    with clock.travel(start - 20):
        programme = do.advance(organisation=organisation, admin=admin, programme=programme)
        pins = [
            (mentors["ines"], mentees["gerard"]),
            (mentors["emma.girard"], mentees["thierry.vidal"]),
        ]
        run = do.match(organisation=organisation, admin=admin, programme=programme, pins=pins)
    with clock.travel(start - 19):
        pairings = do.publish(organisation=organisation, admin=admin, run=run)
    with clock.travel(start - 17):
        pairings = [do.both_accept(organisation=organisation, pairing=p) for p in pairings]
    with clock.travel(start):
        do.advance(organisation=organisation, admin=admin, programme=programme)
    by_mentee = {p.mentee_id: p for p in pairings}
    _ines_gerard(story, by_mentee[mentees["gerard"].pk])
    _emma_thierry(story, by_mentee[mentees["thierry.vidal"].pk])


def _session(
    story: Story, pairing: Pairing, day: int, topics: list[str], *, hour: int = 10,
    held: str = "", confirmed: bool = False, accepted: bool = True, agenda: str = "",
) -> None:  # fmt: skip
    organisation, clock = story.organisation, story.clock
    chosen = [story.topics[name] for name in topics]
    with clock.travel(min(day - 7, -1), 9):
        session = do.propose(
            organisation=organisation, pairing=pairing, starts_at=clock.at(day, hour),
            topics=chosen, location=SALLE, agenda=agenda, with_resources=day > 0,
        )  # fmt: skip
    if not accepted:
        return
    with clock.travel(min(day - 6, -1), 14):
        session = do.accept(organisation=organisation, session=session)
    if not held:
        return
    with clock.travel(day, hour + 2):
        session = do.log(
            organisation=organisation,
            session=session,
            entry=do.Log(reached={chosen[0]: D}, practised=held),
        )
    if confirmed:
        with clock.travel(day + 1, 9):
            do.confirm(organisation=organisation, session=session)


def _ines_gerard(story: Story, pairing: Pairing) -> None:
    _session(
        story,
        pairing,
        -21,
        ["IA générative"],
        confirmed=True,
        held="Première question à Copilot ; les données à ne jamais lui confier.",
    )
    _session(
        story,
        pairing,
        -7,
        ["Excel"],
        held="Un tableau croisé dynamique à partir de l'export des sinistres.",
    )
    _session(
        story,
        pairing,
        4,
        ["IA générative", "Excel"],
        agenda="Résumer un dossier avec Copilot, puis le tableau de bord mensuel.",
    )
    _session(story, pairing, 18, ["Excel"], accepted=False, agenda="Graphiques qui parlent.")


def _emma_thierry(story: Story, pairing: Pairing) -> None:
    _session(
        story,
        pairing,
        -14,
        ["LinkedIn"],
        hour=14,
        confirmed=True,
        held="Profil mis à jour, premières relations avec les clients.",
    )
    _session(story, pairing, 6, ["LinkedIn"], hour=14, agenda="Une première publication.")
