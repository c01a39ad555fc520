"""The enrolment form of mentors and mentees, with its topic-level table and availability grid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from organisations.models import Member
from programmes.constants import (
    BLOCK_HOURS,
    BLOCK_STARTS,
    LANGUAGE_CHOICES,
    SLOTS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    hours_for_slot_keys,
    slot_keys_for_hours,
)
from programmes.models import Level, Participant, Topic
from programmes.services.enrolment import GOALS_MAX, PITCH_MAX

MENTOR_LEVELS = [
    ("0", _("I can't teach it")),
    ("1", _("Discover: I can give a first contact")),
    ("2", _("Deepen: I can help someone experiment")),
    ("3", _("Exploit: I can show its full potential")),
]
MENTEE_LEVELS = [
    ("0", _("Not for me this time")),
    ("1", _("Discover: I have never really used it")),
    ("2", _("Deepen: I use it and want to go further")),
    ("3", _("Exploit: I use it but not fully")),
]


class TopicLevelsWidget(forms.Widget):
    """One level choice per topic, posted as `<name>_<topic id>`."""

    def __init__(self, topics: list[Topic], choices: list[tuple[str, Any]]) -> None:
        super().__init__()
        self.topics = topics
        self.choices = choices

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> dict[str, str]:
        return {str(t.pk): str(data.get(f"{name}_{t.pk}", "0")) for t in self.topics}

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return False

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_{self.topics[0].pk}" if self.topics and id_ else id_

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        value = value or {}
        rows = [
            {
                "topic": topic,
                "name": f"{name}_{topic.pk}",
                "id": f"id_{name}_{topic.pk}",
                "value": str(value.get(str(topic.pk), "0")),
                "descriptions": [(level.label, topic.description_for(level)) for level in Level],
            }
            for topic in self.topics
        ]
        html = render_to_string(
            "programmes/widgets/topic_levels.html", {"rows": rows, "choices": self.choices}
        )
        return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template


class TopicLevelsField(forms.Field):
    """A {topic id: level} mapping; at least one topic must have a level."""

    default_error_messages = {
        "invalid": _("Choose a level from the list for each topic."),
        "required": _("Choose a level for at least one topic."),
    }

    def to_python(self, value: Any) -> dict[str, int]:
        levels: dict[str, int] = {}
        for topic_id, raw in (value or {}).items():
            try:
                level = int(raw or 0)
            except (TypeError, ValueError):
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            if level not in (0, *Level.values):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            levels[topic_id] = level
        return levels

    def validate(self, value: dict[str, int]) -> None:
        if self.required and not any(value.values()):
            raise forms.ValidationError(self.error_messages["required"], code="required")


class AvailabilityGridWidget(forms.CheckboxSelectMultiple):
    """Working days × two-hour blocks, as a table of labelled checkboxes (keyboard: Tab/Space)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        ticked = set(value or [])
        blocks = [f"{start:02d}:00–{start + BLOCK_HOURS:02d}:00" for start in BLOCK_STARTS]
        rows = [
            {
                "day": label,
                "short": WEEKDAY_ABBREVIATIONS[day],
                "cells": [
                    {
                        "key": f"{day}-{start}",
                        "id": f"id_{name}_{day}_{start}",
                        "checked": f"{day}-{start}" in ticked,
                        "label": f"{label} {block}",
                    }
                    for start, block in zip(BLOCK_STARTS, blocks, strict=True)
                ],
            }
            for day, label in WEEKDAYS
        ]
        html = render_to_string(
            "programmes/widgets/availability_grid.html",
            {"name": name, "rows": rows, "blocks": blocks},
        )
        return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"id_availability_{SLOTS[0].day}_{SLOTS[0].start}" if id_ else id_


class EnrolmentForm(forms.Form):
    """Mentors: what they teach, capacity, pitch. Mentees: what they want, goals, preferences."""

    def __init__(
        self,
        *args: Any,
        participant: Participant,
        topics: list[Topic],
        colleagues: QuerySet[Member],
        timezone_name: str,
        **kwargs: Any,
    ) -> None:
        self.participant = participant
        is_mentor = participant.role == Participant.Role.MENTOR
        if "initial" not in kwargs:
            kwargs["initial"] = _initial(participant)
        super().__init__(*args, **kwargs)
        self.fields["topics"] = TopicLevelsField(
            label=_("The topics you can teach, and up to which level")
            if is_mentor
            else _("The topics you want to learn, and at which level"),
            widget=TopicLevelsWidget(topics, MENTOR_LEVELS if is_mentor else MENTEE_LEVELS),
        )
        self.fields["languages"] = forms.MultipleChoiceField(
            label=_("Languages you can hold a session in"),
            choices=LANGUAGE_CHOICES,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
            error_messages={"required": _("Choose at least one language.")},
        )
        self.fields["availability"] = forms.MultipleChoiceField(
            label=_("When you are usually available"),
            choices=[(slot.key, slot.key) for slot in SLOTS],
            widget=AvailabilityGridWidget,
            help_text=_("Times in your timezone (%(tz)s). Tick every block that suits you.")
            % {"tz": timezone_name},
            error_messages={"required": _("Tick at least one time slot when you are available.")},
        )
        if is_mentor:
            maximum = participant.programme.mentor_capacity_max
            self.fields["capacity"] = forms.TypedChoiceField(
                label=_("How many mentees you can take"),
                choices=[(n, str(n)) for n in range(1, maximum + 1)],
                coerce=int,
                help_text=_("This programme allows up to %(n)d.") % {"n": maximum},
            )
            self.fields["pitch"] = forms.CharField(
                label=_("A short pitch"),
                max_length=PITCH_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Read by HR and by your future mentee: what you enjoy sharing."),
            )
        else:
            self.fields["goals"] = forms.CharField(
                label=_("What you want to achieve"),
                max_length=GOALS_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("For example: “post on LinkedIn with confidence”."),
            )
            self.fields["avoid"] = forms.ModelMultipleChoiceField(
                label=_("People you would rather not be paired with (optional)"),
                queryset=colleagues,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 6}),
                help_text=_(
                    "Private: only the matching uses it; nobody else sees this list. "
                    "Hold Ctrl (⌘ on a Mac) to choose several."
                ),
            )

    def service_values(self) -> dict[str, Any]:
        """Return the cleaned values as `participant_enrol` takes them."""
        data = self.cleaned_data
        return {
            "topic_levels": data["topics"],
            "languages": data["languages"],
            "availability": hours_for_slot_keys(data["availability"]),
            "capacity": data.get("capacity", 1),
            "pitch": data.get("pitch", ""),
            "goals": data.get("goals", ""),
            "avoid_member_ids": [str(m.pk) for m in data.get("avoid") or []],
        }


def _initial(participant: Participant) -> dict[str, Any]:
    return {
        "topics": {str(pt.topic_id): pt.level for pt in participant.topics.all()},
        "languages": participant.languages or participant.member.languages,
        "availability": sorted(slot_keys_for_hours(participant.availability or [])),
        "capacity": participant.capacity,
        "pitch": participant.pitch,
        "goals": participant.goals,
        "avoid": participant.avoid_member_ids,
    }
