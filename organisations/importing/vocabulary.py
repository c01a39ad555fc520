"""What the importer recognises: columns, header spellings, languages and timezones."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from functools import cache

from django.conf.locale import LANG_INFO
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from safetext.neutralise import FORMULA_STARTS as SAFETEXT_FORMULA_STARTS

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_TEXT_LENGTH = 100
MAX_EMAIL_LENGTH = 254
DELIMITERS = (",", ";", "\t")

# Order of the columns in exports and in the documentation.
COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "department",
    "team",
    "location",
    "timezone",
    "languages",
    "manager_email",
    "external_id",
)
REQUIRED_COLUMNS = ("email", "first_name", "last_name")
TEXT_COLUMNS = ("first_name", "last_name", "department", "team", "location", "external_id")

FIELD_LABELS: dict[str, Promise] = {
    "": gettext_lazy("Row"),
    "email": gettext_lazy("Email"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "department": gettext_lazy("Department"),
    "team": gettext_lazy("Team"),
    "location": gettext_lazy("Location"),
    "timezone": gettext_lazy("Timezone"),
    "languages": gettext_lazy("Languages"),
    "manager_email": gettext_lazy("Manager email"),
    "external_id": gettext_lazy("External id"),
    "is_active": gettext_lazy("Active"),
}

ERROR_LABELS: dict[str, Promise] = {
    "file": gettext_lazy("File problem"),
    "cell_count": gettext_lazy("Wrong number of values"),
    "required": gettext_lazy("Missing value"),
    "too_long": gettext_lazy("Value too long"),
    "invalid_email": gettext_lazy("Invalid email address"),
    "duplicate_email": gettext_lazy("Email repeated in the file"),
    "duplicate_external_id": gettext_lazy("External id repeated in the file"),
    "identity_conflict": gettext_lazy("Conflicts with another person"),
    "unknown_timezone": gettext_lazy("Unknown timezone"),
    "invalid_language": gettext_lazy("Unknown language"),
    "unknown_manager": gettext_lazy("Unknown manager"),
    "manager_cycle": gettext_lazy("Manager cycle"),
}

# Header spellings seen in HRIS exports, compared after `_header_key` (lowercase ASCII
# letters and digits only), so "First name", "first_name", "FirstName" and "Prénom" all match.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "emailaddress", "mail", "workemail", "businessemail", "primaryemail",
              "courriel", "adresseemail", "emailprofessionnel"),
    "first_name": ("firstname", "givenname", "forename", "first", "prenom"),
    "last_name": ("lastname", "surname", "familyname", "last", "nom", "nomdefamille"),
    "department": ("department", "dept", "departement", "division", "service"),
    "team": ("team", "teamname", "equipe"),
    "location": ("location", "office", "site", "city", "worklocation", "lieu", "ville"),
    "timezone": ("timezone", "tz", "timezonename", "fuseauhoraire", "fuseau"),
    "languages": ("languages", "language", "langs", "spokenlanguages", "langues", "langue"),
    "manager_email": ("manageremail", "manager", "managersemail", "manageremailaddress",
                      "linemanager", "linemanageremail", "reportsto", "reportstoemail",
                      "supervisor", "supervisoremail", "emailmanager", "emaildumanager"),
    "external_id": ("externalid", "employeeid", "employeenumber", "employeeno", "hrisid",
                    "workerid", "personid", "staffid", "id", "matricule"),
}  # fmt: skip
HEADER_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}

# ISO 639-1 (two-letter) language codes.
_ISO_639_1_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia
id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo
lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl
ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk
tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
ISO_639_1 = frozenset(_ISO_639_1_CODES.split())
LANGUAGE_SEPARATORS = re.compile(r"[;|,/]")
# Our exports prefix cells starting with these with "'" (safetext.csv_cell); imports undo it.
FORMULA_STARTS = SAFETEXT_FORMULA_STARTS


@cache
def valid_timezones() -> dict[str, str]:
    """Return lowercase IANA names → canonical spelling (without the system's pseudo-zones)."""
    names = zoneinfo.available_timezones() - {"localtime", "Factory", "posixrules"}
    return {name.lower(): name for name in names}


def canonical_timezone(value: str) -> str | None:
    """Return the IANA spelling of a timezone name (case-insensitive), or None."""
    return valid_timezones().get(value.strip().lower())


@cache
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for info in LANG_INFO.values():
        code = str(info.get("code", "")).split("-")[0]
        if code in ISO_639_1:
            for key in ("name", "name_local"):
                if info.get(key):
                    names.setdefault(fold(str(info[key])), code)
    return names


def fold(text: str) -> str:
    """Lowercase and strip accents, for lenient comparisons of names."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def language_code(token: str) -> str | None:
    """Return the ISO 639-1 code for a code ("fr"), a tag ("fr-CA", "en_GB") or a name."""
    text = token.strip().lower().replace("_", "-")
    if text in ISO_639_1:
        return text
    primary = text.split("-")[0]
    if len(primary) == 2 and primary in ISO_639_1 and re.fullmatch(r"[a-z]{2}(-[a-z0-9]+)*", text):
        return primary
    return _language_names().get(fold(text))


def parse_languages(value: str) -> tuple[list[str], list[str]]:
    """Split a languages cell on ; | , or /; return (codes in order, unrecognised tokens)."""
    codes: list[str] = []
    unknown: list[str] = []
    for raw in LANGUAGE_SEPARATORS.split(value):
        token = raw.strip()
        if not token:
            continue
        found = language_code(token)
        if found is None and " " in token:
            # "en fr": space-separated codes are common in hand-made files.
            parts = [language_code(part) for part in token.split()]
            if all(parts):
                for part in parts:
                    if part and part not in codes:
                        codes.append(part)
                continue
        if found is None:
            unknown.append(token)
        elif found not in codes:
            codes.append(found)
    return codes, unknown
