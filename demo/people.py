"""Who works at the demo organisations: Acme (English) and Lumière Assurances (French)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from organisations.models import Member

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


LUMIERE_LOGINS = (
    DemoPerson(
        "rh@lumiere.test",
        "Nathalie",
        "Rey",
        "Ressources humaines",
        "Développement RH",
        "HR admin",
        Member.Role.ADMIN,
        languages=("fr", "en"),
        manager_email="sylvie.garnier@lumiere.test",
    ),
    DemoPerson(
        "ines@lumiere.test",
        "Inès",
        "Belkacem",
        "Informatique",
        "Données",
        "mentor",
        languages=("fr", "en", "ar"),
        manager_email="julie.morel@lumiere.test",
    ),
    DemoPerson(
        "gerard@lumiere.test",
        "Gérard",
        "Lemaire",
        "Sinistres",
        "Indemnisation",
        "mentee",
        languages=("fr",),
        manager_email="helene.marchetti@lumiere.test",
    ),
)
_LUMIERE_SITES = {
    "PAR": ("Paris", "Europe/Paris"),
    "LYS": ("Lyon", "Europe/Paris"),
    "BOD": ("Bordeaux", "Europe/Paris"),
}
_LUMIERE_COLLEAGUES = """
helene.marchetti|Hélène|Marchetti|Direction générale|Direction|Directrice générale||fr en|PAR
sylvie.garnier|Sylvie|Garnier|Ressources humaines|Direction|DRH|helene.marchetti|fr en|PAR
karim.haddad|Karim|Haddad|Ressources humaines|Développement RH|Chargé RH (alternant)|rh|fr ar|PAR
jean-marc.fabre|Jean-Marc|Fabre|Informatique|Direction|DSI|helene.marchetti|fr|PAR
julie.morel|Julie|Morel|Informatique|Données|Responsable données|jean-marc.fabre|fr en|PAR
lucas.petitjean|Lucas|Petitjean|Informatique|Support|Technicien (junior)|jean-marc.fabre|fr|LYS
agathe.roussel|Agathe|Roussel|Sinistres|Indemnisation|Gestionnaire (junior)|gerard|fr en|BOD
bruno.caillaud|Bruno|Caillaud|Sinistres|Expertise|Expert senior|gerard|fr|BOD
martine.lacroix|Martine|Lacroix|Souscription|Direction|Directrice|helene.marchetti|fr|PAR
thierry.vidal|Thierry|Vidal|Souscription|Entreprises|Souscripteur|martine.lacroix|fr|LYS
chloe.nguyen|Chloé|Nguyen|Souscription|Particuliers|Conseillère (junior)|martine.lacroix|fr en|LYS
francois.blanchard|François|Blanchard|Commercial|Agences|Directeur ventes|helene.marchetti|fr|PAR
emma.girard|Emma|Girard|Commercial|Digital|Marketing (junior)|francois.blanchard|fr en es|PAR
"""


def _directory(
    logins: Sequence[DemoPerson], colleagues: str, sites: dict[str, tuple[str, str]], domain: str
) -> list[DemoPerson]:
    by_local = {person.email.split("@")[0]: person for person in logins}

    def email(local: str) -> str:
        # Colleagues point at logins by their short names ("bernard", "helen").
        if local in by_local:
            return by_local[local].email
        return f"{local}@{domain}" if local else ""

    people = []
    for line in colleagues.strip().splitlines():
        local, first, last, department, team, title, manager, languages, site = line.split("|")
        location, timezone = sites[site]
        people.append(
            DemoPerson(
                email(local),
                first,
                last,
                department,
                team,
                title,
                languages=tuple(languages.split()),
                timezone=timezone,
                manager_email=email(manager),
                location=location,
            )
        )
    return [*logins, *people]


def acme_directory() -> list[DemoPerson]:
    """Return Acme's whole directory: the demo logins and their colleagues."""
    return _directory(DEMO_LOGINS, _COLLEAGUES, _SITES, "acme.test")


def lumiere_directory() -> list[DemoPerson]:
    """Return Lumière Assurances' directory: its demo logins and their colleagues."""
    return _directory(LUMIERE_LOGINS, _LUMIERE_COLLEAGUES, _LUMIERE_SITES, "lumiere.test")


def directory_csv(people: Sequence[DemoPerson], prefix: str) -> bytes:
    """Return a directory as the HRIS export the importer reads."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["email", "first_name", "last_name", "department", "team", "location", "timezone",
         "languages", "manager_email", "external_id"]
    )  # fmt: skip
    for number, person in enumerate(people, start=1):
        writer.writerow(
            [person.email, person.first_name, person.last_name, person.department, person.team,
             person.location, person.timezone, ";".join(person.languages), person.manager_email,
             f"{prefix}-{number:04d}"]
        )  # fmt: skip
    return buffer.getvalue().encode()
