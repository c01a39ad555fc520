"""The demo organisation ("Acme") seeded for the embedded default; safe to run repeatedly."""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django_scopes import scope

from accounts.models import User
from organisations.models import Member, Organisation
from organisations.services import directory_import_content

DEMO_PASSWORD = "flipside-demo"  # noqa: S105 - printed for local demos, refused in production


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    department: str
    team: str
    title: str
    role: str = Member.Role.MEMBER
    languages: tuple[str, ...] = ("en",)
    timezone: str = "Europe/Paris"
    manager_email: str = ""
    location: str = "Paris"


DEMO_LOGINS = (
    DemoPerson(
        "hr@acme.test",
        "Alice",
        "Martin",
        "People",
        "HR",
        "HR admin",
        Member.Role.ADMIN,
        languages=("fr", "en"),
        manager_email="nadia.benali@acme.test",
    ),
    # Juniors (mentors) and seniors (mentees) placed where reverse mentoring makes sense.
    DemoPerson(
        "maya@acme.test",
        "Maya",
        "Okafor",
        "Marketing",
        "Digital",
        "mentor",
        manager_email="karim.mansour@acme.test",
    ),
    DemoPerson(
        "theo@acme.test",
        "Théo",
        "Lambert",
        "Engineering",
        "Platform",
        "mentor",
        languages=("fr", "en"),
        manager_email="sophie.garnier@acme.test",
    ),
    DemoPerson(
        "bernard@acme.test",
        "Bernard",
        "Dubois",
        "Finance",
        "Controlling",
        "mentee",
        languages=("fr", "en"),
        manager_email="philippe.moreau@acme.test",
    ),
    DemoPerson(
        "helen@acme.test",
        "Helen",
        "Carter",
        "Sales",
        "Key accounts",
        "mentee",
        timezone="Europe/London",
        manager_email="ceo@acme.test",
        location="London",
    ),
)

# The rest of Acme's directory (no login): a CEO, five department heads, managers and staff.
# Columns: email, first name, last name, department, team, job, manager, languages, site.
_SITES = {
    "PAR": ("Paris", "Europe/Paris"),
    "LYS": ("Lyon", "Europe/Paris"),
    "LON": ("London", "Europe/London"),
    "NYC": ("New York", "America/New_York"),
}
_COLLEAGUES = """
ceo|Claire|Fontaine|Executive|Leadership|CEO||fr en|PAR
nadia.benali|Nadia|Benali|People|Leadership|Chief people officer|ceo|fr en es|PAR
julien.petit|Julien|Petit|People|Talent acquisition|Talent manager|nadia.benali|fr en|PAR
sofia.romero|Sofia|Romero|People|Talent acquisition|Recruiter (junior)|julien.petit|es en fr|PAR
lucas.girard|Lucas|Girard|People|Learning|Learning manager|nadia.benali|fr en|LYS
emma.wilson|Emma|Wilson|People|Learning|Learning designer (junior)|lucas.girard|en|LON
chloe.marchand|Chloé|Marchand|People|Payroll|Payroll officer|nadia.benali|fr|PAR
philippe.moreau|Philippe|Moreau|Finance|Leadership|Chief financial officer|ceo|fr en|PAR
anne.lefebvre|Anne|Lefebvre|Finance|Controlling|Senior controller|bernard|fr|PAR
hugo.laurent|Hugo|Laurent|Finance|Controlling|Analyst (junior)|bernard|fr en|PAR
ines.haddad|Inès|Haddad|Finance|Controlling|Analyst (junior)|bernard|fr en|LYS
markus.weber|Markus|Weber|Finance|Treasury|Treasury manager|philippe.moreau|de en|PAR
lena.schmidt|Lena|Schmidt|Finance|Treasury|Treasury analyst (junior)|markus.weber|de en fr|PAR
tom.baker|Tom|Baker|Finance|Treasury|Senior treasurer|markus.weber|en|LON
camille.roux|Camille|Roux|Finance|Accounting|Accounting manager|philippe.moreau|fr|PAR
nicolas.blanc|Nicolas|Blanc|Finance|Accounting|Accountant (junior)|camille.roux|fr en|PAR
james.oconnor|James|O'Connor|Sales|Key accounts|Key account manager|helen|en|LON
priya.shah|Priya|Shah|Sales|Key accounts|Sales associate (junior)|james.oconnor|en|LON
oliver.smith|Oliver|Smith|Sales|Key accounts|Senior account executive|james.oconnor|en|LON
sarah.johnson|Sarah|Johnson|Sales|North America|Sales manager|helen|en es|NYC
michael.brown|Michael|Brown|Sales|North America|Senior account executive|sarah.johnson|en|NYC
daniela.ortiz|Daniela|Ortiz|Sales|North America|Account executive|sarah.johnson|es en|NYC
kevin.nguyen|Kevin|Nguyen|Sales|North America|Sales associate (junior)|sarah.johnson|en|NYC
pierre.durand|Pierre|Durand|Sales|France|Sales manager|helen|fr en|PAR
manon.faure|Manon|Faure|Sales|France|Account executive (junior)|pierre.durand|fr en|PAR
antoine.mercier|Antoine|Mercier|Sales|France|Senior account executive|pierre.durand|fr|LYS
laura.garcia|Laura|García|Sales|Iberia|Account executive|pierre.durand|es fr en|PAR
isabelle.rousseau|Isabelle|Rousseau|Marketing|Leadership|Chief marketing officer|ceo|fr en|PAR
karim.mansour|Karim|Mansour|Marketing|Digital|Digital marketing manager|isabelle.rousseau|fr en|PAR
zoe.bertin|Zoé|Bertin|Marketing|Digital|Social media officer (junior)|karim.mansour|fr en|PAR
felix.wagner|Felix|Wagner|Marketing|Digital|SEO specialist|karim.mansour|de en|PAR
elodie.simon|Élodie|Simon|Marketing|Brand|Brand manager|isabelle.rousseau|fr en|PAR
lucia.fernandez|Lucía|Fernández|Marketing|Brand|Designer (junior)|elodie.simon|es en|PAR
arthur.michel|Arthur|Michel|Marketing|Brand|Senior brand strategist|elodie.simon|fr|LYS
grace.taylor|Grace|Taylor|Marketing|Communications|Communications manager|isabelle.rousseau|en|LON
jade.lopez|Jade|Lopez|Marketing|Communications|Press officer (junior)|grace.taylor|fr es|PAR
ethan.davis|Ethan|Davis|Marketing|Communications|Content writer|grace.taylor|en|NYC
thomas.muller|Thomas|Müller|Engineering|Leadership|Chief technology officer|ceo|de fr en|PAR
sophie.garnier|Sophie|Garnier|Engineering|Platform|Engineering manager|thomas.muller|fr en|PAR
maxime.chevalier|Maxime|Chevalier|Engineering|Platform|Developer (junior)|sophie.garnier|fr en|PAR
jonas.becker|Jonas|Becker|Engineering|Platform|Senior engineer|sophie.garnier|de en|PAR
alex.kim|Alex|Kim|Engineering|Platform|Site reliability engineer|sophie.garnier|en|NYC
raphael.andre|Raphaël|André|Engineering|Product|Product director|thomas.muller|fr en|PAR
lea.fournier|Léa|Fournier|Engineering|Product|Product manager|raphael.andre|fr en|PAR
mateo.ruiz|Mateo|Ruiz|Engineering|Product|Designer (junior)|raphael.andre|es en|PAR
hannah.fischer|Hannah|Fischer|Engineering|Product|Senior product manager|raphael.andre|de en|PAR
louis.bonnet|Louis|Bonnet|Engineering|Product|Developer (junior)|raphael.andre|fr|LYS
clara.hoffmann|Clara|Hoffmann|Engineering|Data|Head of data|thomas.muller|de en fr|PAR
nathan.david|Nathan|David|Engineering|Data|Data engineer (junior)|clara.hoffmann|fr en|PAR
amelie.perrin|Amélie|Perrin|Engineering|Data|Data scientist|clara.hoffmann|fr en|PAR
samuel.cohen|Samuel|Cohen|Engineering|Data|Senior data analyst|clara.hoffmann|en fr|NYC
elena.navarro|Elena|Navarro|Engineering|IT support|IT support manager|thomas.muller|es fr en|PAR
paul.lemoine|Paul|Lemoine|Engineering|IT support|Senior technician|elena.navarro|fr|PAR
yasmine.brahimi|Yasmine|Brahimi|Engineering|IT support|Technician (junior)|elena.navarro|fr en|PAR
george.evans|George|Evans|Engineering|IT support|Technician|elena.navarro|en|LON
"""


def _email(local: str) -> str:
    return "" if not local else local if "@" in local else f"{local}@acme.test"


def demo_directory() -> list[DemoPerson]:
    """Return Acme's whole directory: the demo logins and their colleagues."""
    logins = {person.email.split("@")[0]: person for person in DEMO_LOGINS}
    colleagues = []
    for line in _COLLEAGUES.strip().splitlines():
        local, first, last, department, team, title, manager, languages, site = line.split("|")
        location, timezone = _SITES[site]
        # Colleagues point at logins by their short names ("bernard", "helen").
        manager_email = logins[manager].email if manager in logins else _email(manager)
        colleagues.append(
            DemoPerson(
                _email(local),
                first,
                last,
                department,
                team,
                title,
                languages=tuple(languages.split()),
                timezone=timezone,
                manager_email=manager_email,
                location=location,
            )
        )
    return [*DEMO_LOGINS, *colleagues]


def demo_directory_csv() -> bytes:
    """Return Acme's directory as the HRIS export the importer reads."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["email", "first_name", "last_name", "department", "team", "location", "timezone",
         "languages", "manager_email", "external_id"]
    )  # fmt: skip
    for number, person in enumerate(demo_directory(), start=1):
        writer.writerow(
            [person.email, person.first_name, person.last_name, person.department, person.team,
             person.location, person.timezone, ";".join(person.languages), person.manager_email,
             f"ACME-{number:04d}"]
        )  # fmt: skip
    return buffer.getvalue().encode()


# Each app that has demo data offers `<app>.demo.demo_seed(organisation=…)`, run in this order
# inside the organisation's scope; every one of them must be safe to run again.
APP_SEEDERS = ("programmes", "matching", "sessions", "feedback", "reports")


def _run_app_seeders(organisation: Organisation) -> None:
    for app in APP_SEEDERS:
        if importlib.util.find_spec(f"{app}.demo") is None:
            continue
        importlib.import_module(f"{app}.demo").demo_seed(organisation=organisation)


@transaction.atomic
def demo_seed() -> list[DemoPerson]:
    """Create or refresh the Acme organisation and its demo logins; return the logins."""
    organisation, _ = Organisation.objects.get_or_create(
        slug="acme",
        defaults={"name": "Acme", "timezone": "Europe/Paris", "default_language": "en"},
    )
    with scope(organisation=organisation):
        admin = None
        for person in DEMO_LOGINS:
            user = User.objects.filter(email=person.email).first()
            if user is None:
                user = User.objects.create_user(
                    person.email,
                    DEMO_PASSWORD,
                    first_name=person.first_name,
                    last_name=person.last_name,
                )
            EmailAddress.objects.update_or_create(
                user=user, email=person.email, defaults={"verified": True, "primary": True}
            )
            fields = {
                "user": user,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "department": person.department,
                "team": person.team,
                "timezone": person.timezone,
                "languages": list(person.languages),
                "role": person.role,
                "is_active": True,
            }
            member, created = Member.objects.get_or_create(
                organisation=organisation, email=person.email, defaults=fields
            )
            changed = [name for name, value in fields.items() if getattr(member, name) != value]
            if not created and changed:  # a second run leaves unchanged rows untouched
                for name in changed:
                    setattr(member, name, fields[name])
                member.save()
            if person.role == Member.Role.ADMIN:
                admin = member
        # The rest of the directory goes through the importer, like a real HRIS export.
        directory_import_content(
            organisation=organisation, content=demo_directory_csv(), acting_member=admin
        )
        _run_app_seeders(organisation)
    return list(DEMO_LOGINS)
