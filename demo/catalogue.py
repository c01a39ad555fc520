"""The demo catalogues: digital tools with their three levels and a small resource library."""

from __future__ import annotations

from dataclasses import dataclass

from organisations.models import Organisation
from programmes.models import Level, Resource, Topic
from programmes.services.resources import resource_create
from programmes.services.topics import topic_create


@dataclass(frozen=True)
class DemoTopic:
    name: str
    summary: str
    discover: str
    deepen: str
    exploit: str
    help_url: str


TOPICS = (
    DemoTopic(
        "LinkedIn",
        "Your professional network and profile.",
        "Create or tidy your profile, find colleagues and former colleagues, read the feed.",
        "Post and comment with confidence, share company news, join groups, set your privacy.",
        "Build a posting habit, write articles, read your analytics, grow your network.",
        "https://www.linkedin.com/help/linkedin",
    ),
    DemoTopic(
        "Microsoft Teams",
        "Chat, meetings and shared files in one place.",
        "Join a meeting, chat, share your screen, find a file in a channel.",
        "Organise channels and tabs, co-edit documents, use recordings and transcripts.",
        "Approvals and Planner, large meetings and webinars, taming notifications.",
        "https://support.microsoft.com/teams",
    ),
    DemoTopic(
        "Generative AI",
        "ChatGPT, Copilot and similar assistants for everyday work, used safely.",
        "What an assistant can and cannot do; a first prompt; the rules on confidential data.",
        "Summarise documents, draft emails and slides, refine prompts, check the answers.",
        "Reusable prompt templates, assistants inside Office, analysing data, knowing the limits.",
        "https://support.microsoft.com/copilot",
    ),
    DemoTopic(
        "Excel",
        "Spreadsheets beyond the basics, up to Power Query.",
        "Enter and format data, simple formulas, sort and filter a table.",
        "Pivot tables, lookups, charts; import a CSV file with Power Query.",
        "Power Query to clean and combine files, dynamic arrays, scheduled refresh.",
        "https://support.microsoft.com/excel",
    ),
    DemoTopic(
        "Power BI",
        "Dashboards everyone can read.",
        "Open and filter a shared report, export a table to Excel.",
        "Build a report from an Excel file, choose visuals, publish it to a workspace.",
        "Data models with relationships, DAX measures, row-level security.",
        "https://learn.microsoft.com/power-bi/",
    ),
    DemoTopic(
        "Password manager and two-step login",
        "Staying safe online, at work and at home.",
        "Why reused passwords are dangerous; install the password manager; turn on two-step login.",
        "Generate and share passwords safely, spot phishing, secure your phone.",
        "Passkeys, recovery codes, auditing your accounts, helping your team.",
        "https://www.cisa.gov/secure-our-world",
    ),
    DemoTopic(
        "Canva",
        "Visuals and presentations in minutes.",
        "Start from a template, change text and images, download a PDF.",
        "Use the brand kit, resize for social networks, collaborate on a design.",
        "Short videos and animations, team templates, the content planner.",
        "https://www.canva.com/learn/",
    ),
    DemoTopic(
        "Smartphone at work",
        "Your phone as a work tool, safely.",
        "Mail, calendar and Teams on your phone; scan a document with the camera.",
        "Sync notes and files, photograph expense receipts, dictate, focus modes.",
        "Shortcuts and automations, working offline, mobile security settings.",
        "https://support.apple.com/guide/iphone/welcome/ios",
    ),
)

LUMIERE_TOPICS = (
    DemoTopic(
        "Microsoft Teams",
        "Réunions, conversations et fichiers partagés au même endroit.",
        "Rejoindre une réunion, écrire dans une conversation, partager son écran.",
        "Organiser ses équipes et canaux, coéditer un document, retrouver un enregistrement.",
        "Webinaires, approbations, maîtriser ses notifications.",
        "https://support.microsoft.com/teams",
    ),
    DemoTopic(
        "IA générative",
        "Copilot et les assistants conversationnels au quotidien, en toute sécurité.",
        "Ce qu'un assistant sait faire ou non ; une première question ; les données interdites.",
        "Résumer un dossier sinistre, rédiger un courrier, vérifier les réponses.",
        "Modèles de requêtes réutilisables, analyse de données, limites et biais.",
        "https://support.microsoft.com/copilot",
    ),
    DemoTopic(
        "Excel",
        "Les tableaux au-delà des bases.",
        "Saisir, mettre en forme, trier et filtrer un tableau.",
        "Tableaux croisés dynamiques, RECHERCHEX, graphiques.",
        "Power Query pour nettoyer et combiner des fichiers.",
        "https://support.microsoft.com/excel",
    ),
    DemoTopic(
        "LinkedIn",
        "Son profil et son réseau professionnels.",
        "Créer ou rafraîchir son profil, retrouver ses collègues.",
        "Publier, commenter, relayer les actualités de l'entreprise.",
        "Rédiger des articles, lire ses statistiques, développer son réseau.",
        "https://www.linkedin.com/help/linkedin",
    ),
)


def _resources(item: DemoTopic, *, french: bool) -> list[tuple[int, str, str, str, str]]:
    if french:
        return [
            (Level.DISCOVER, Resource.Kind.TEXT, f"Première séance {item.name} : la liste",
             "1. Demandez ce que votre mentoré·e utilise déjà.\n2. Laissez-lui la souris.\n"
             f"3. Ensemble : {item.discover[0].lower()}{item.discover[1:]}", ""),
            (Level.DEEPEN, Resource.Kind.LINK, f"{item.name} : aide officielle", "", item.help_url),
        ]  # fmt: skip
    return [
        (Level.DISCOVER, Resource.Kind.TEXT, f"First session with {item.name}: a checklist",
         "1. Ask what your mentee already uses and what they want to do with it.\n"
         "2. Let them hold the mouse; you guide.\n"
         f"3. Together: {item.discover[0].lower()}{item.discover[1:]}\n"
         "4. Agree on one thing to try before the next session.", ""),
        (Level.DEEPEN, Resource.Kind.LINK, f"{item.name}: official help", "", item.help_url),
        (Level.EXPLOIT, Resource.Kind.TEXT, f"{item.name}: a challenge to go further",
         f"Pick a real task from your week and do it with {item.name}: "
         f"{item.exploit[0].lower()}{item.exploit[1:]} Compare with how you did it before.", ""),
    ]  # fmt: skip


def catalogue_seed(
    *, organisation: Organisation, topics: tuple[DemoTopic, ...], french: bool = False
) -> dict[str, Topic]:
    """Create the catalogue and its library through the topic and resource services."""
    created = {}
    for item in topics:
        topic = topic_create(
            organisation=organisation,
            name=item.name,
            summary=item.summary,
            discover_description=item.discover,
            deepen_description=item.deepen,
            exploit_description=item.exploit,
        )
        for level, kind, title, body, link in _resources(item, french=french):
            resource_create(
                organisation=organisation,
                topic=topic,
                level=level,
                kind=kind,
                title=title,
                body=body,
                url=link,
            )
        created[item.name] = topic
    return created
