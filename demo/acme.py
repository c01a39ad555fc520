"""Acme's story, lived day by day through the product (see docs/demo.md).

Two closed pilots whose ratings were released long ago, a running cohort with pairs that met,
will meet, cancelled or stalled, a programme in matching with a finished run, and one in
enrolment with every status. Each chapter is skipped when its programme already exists.
"""

from __future__ import annotations

from django_scopes import scope

from demo import acme_pilots, acme_upcoming
from demo import lifecycle as do
from demo.cast import Story
from demo.catalogue import TOPICS, catalogue_seed
from demo.clock import DemoClock
from demo.people import DEMO_LOGINS, DEMO_PASSWORD, acme_directory, directory_csv
from organisations.models import Member, Organisation
from programmes.models import Programme, Topic

SLUG = "acme"
ZONE = "Europe/Paris"


def acme_seed(*, clock: DemoClock) -> Organisation:
    """Create or complete Acme; existing chapters are left as they are."""
    organisation = Organisation.objects.filter(slug=SLUG).first()
    if organisation is None:
        organisation = _found(clock)
    with scope(organisation=organisation):
        admin = Member.objects.get(organisation=organisation, email=DEMO_LOGINS[0].email)
        topics = {t.name: t for t in Topic.objects.filter(organisation=organisation)}
        members = {m.email: m for m in Member.objects.filter(organisation=organisation)}
        story = Story(
            organisation=organisation,
            admin=admin,
            topics=topics,
            members=members,
            clock=clock,
            password=DEMO_PASSWORD,
            logins=frozenset(person.email for person in DEMO_LOGINS),
        )
        for name, chapter in (*acme_pilots.CHAPTERS, *acme_upcoming.CHAPTERS):
            if not Programme.objects.filter(organisation=organisation, name=name).exists():
                chapter(story)
    return organisation


def _found(clock: DemoClock) -> Organisation:
    hr = DEMO_LOGINS[0]
    # Acme signed up a little more than two years ago, before its first pilot.
    with clock.travel(-800):
        user = do.signup(
            email=hr.email, password=DEMO_PASSWORD, first_name=hr.first_name, last_name=hr.last_name
        )
        organisation, _admin = do.organisation_open(
            admin=user,
            name="Acme",
            slug=SLUG,
            timezone=ZONE,
            language="en",
            directory=directory_csv(acme_directory(), "ACME"),
        )
        with scope(organisation=organisation):
            catalogue_seed(organisation=organisation, topics=TOPICS)
    return organisation
