"""Fixed vocabularies of the programmes app: languages, the availability grid, defaults."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Languages a participant can hold a session in (ISO 639-1 codes, stored as codes).
LANGUAGE_CHOICES: list[tuple[str, Promise]] = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("pt", _("Portuguese")),
    ("pl", _("Polish")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
    ("hi", _("Hindi")),
]
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGE_CHOICES)

# The availability grid: working days × two-hour blocks. A ticked cell stores the hours of its
# block as hour-of-week ints (0 = Monday 00:00–01:00 … 167 = Sunday 23:00–24:00) in the
# member's own timezone, the format `Participant.availability` documents.
WEEKDAYS: list[tuple[int, Promise]] = [
    (0, pgettext_lazy("availability grid", "Monday")),
    (1, pgettext_lazy("availability grid", "Tuesday")),
    (2, pgettext_lazy("availability grid", "Wednesday")),
    (3, pgettext_lazy("availability grid", "Thursday")),
    (4, pgettext_lazy("availability grid", "Friday")),
]
WEEKDAY_ABBREVIATIONS: dict[int, Promise] = {
    0: pgettext_lazy("availability grid", "Mon"),
    1: pgettext_lazy("availability grid", "Tue"),
    2: pgettext_lazy("availability grid", "Wed"),
    3: pgettext_lazy("availability grid", "Thu"),
    4: pgettext_lazy("availability grid", "Fri"),
}
BLOCK_HOURS = 2
BLOCK_STARTS = (8, 10, 12, 14, 16, 18)


@dataclass(frozen=True)
class Slot:
    """One cell of the availability grid."""

    day: int
    start: int

    @property
    def key(self) -> str:
        return f"{self.day}-{self.start}"

    @property
    def hours(self) -> list[int]:
        return [self.day * 24 + self.start + offset for offset in range(BLOCK_HOURS)]


SLOTS = [Slot(day, start) for day, _label in WEEKDAYS for start in BLOCK_STARTS]
SLOTS_BY_KEY = {slot.key: slot for slot in SLOTS}


def slot_keys_for_hours(hours: list[int]) -> set[str]:
    """Return the grid cells touched by stored hours (data from elsewhere may be hour-grained)."""
    stored = set(hours)
    return {slot.key for slot in SLOTS if stored.intersection(slot.hours)}


def hours_for_slot_keys(keys: list[str]) -> list[int]:
    """Return the sorted hour-of-week ints of grid cells."""
    return sorted({hour for key in keys for hour in SLOTS_BY_KEY[key].hours})


# Golden rule 3: the short training every new programme starts with (HR edits it afterwards).
DEFAULT_TRAINING_STEPS: list[tuple[Promise, Promise]] = [
    (
        _("Your posture: listen, don't lecture"),
        _(
            "You are not there to show how much you know. Ask what your mentee already does, "
            "what they want to achieve and what worries them. Let them hold the mouse or the "
            "phone. The senior sets the pace: silence while they try is progress, not a gap "
            "to fill."
        ),
    ),
    (
        _("Confidentiality"),
        _(
            "What your mentee tells you — their questions, hesitations, mistakes, anything "
            "about their team — stays between you. Never mention it to colleagues or managers. "
            "If something worries you, talk to the HR team, not to the mentee's manager."
        ),
    ),
    (
        _("How to run a session"),
        _(
            "Agree on a short agenda at the start (one tool, one goal). Spend most of the time "
            "on hands-on practice with your mentee's real work. Finish with two or three next "
            "steps they will try before the next session, and write them in the session log."
        ),
    ),
    (
        _("Adapting to your mentee's pace and experience"),
        _(
            "Your mentee has years of experience you do not have: link each tool to their job "
            "and ask how they would use it. Repeat without impatience, write down the steps "
            "for them, and stop when they are tired. Discover, deepen or exploit: check the "
            "level they asked for and the resources for that level."
        ),
    ),
]
