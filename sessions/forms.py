"""Forms of the sessions app (validation only; the services apply the workflow rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organisations.forms import timezone_choices
from programmes.models import Level
from sessions import policy
from sessions.recurrence import Segment, local_datetime

UNIT_CHOICES = [("week", _("week(s)")), ("month", _("month(s)"))]
OUTCOME_CHOICES = [("held", _("Held")), ("no_show", _("No-show: the session did not happen"))]
LEVEL_CHOICES = [("", _("Not covered")), *[(str(v), str(label)) for v, label in Level.choices]]

# Service error keys → the form field that shows the message.
FIELD_ALIASES = {"starts_at": "date", "ends_at": "duration_minutes", "count": "count"}


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the right fields (or on top of the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        target = FIELD_ALIASES.get(key, key)
        form.add_error(target if target in form.fields else None, errors)


class _SlotForm(forms.Form):
    """A date and time in a chosen timezone, and a length."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=policy.MAX_SESSION_MINUTES,
        widget=forms.NumberInput(attrs={"step": 5}),
        error_messages={
            "min_value": _("The session must end after it starts."),
            "max_value": _("A session lasts at most %(limit_value)s minutes."),
        },
    )
    timezone = forms.ChoiceField(label=_("Timezone"), choices=timezone_choices)
    location = forms.CharField(
        label=_("Place or video link"),
        max_length=500,
        help_text=_("A meeting room, an address or a video call link."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if {"date", "time", "duration_minutes", "timezone"} <= set(data):
            starts_at = local_datetime(data["date"], data["time"], data["timezone"])
            if starts_at is None:
                self.add_error(
                    "time",
                    _("This time does not exist on that day in %(tz)s (the clocks change).")
                    % {"tz": data["timezone"]},
                )
                return data
            data["starts_at"] = starts_at
            data["ends_at"] = starts_at + dt.timedelta(minutes=data["duration_minutes"])
        return data


class _AgendaMixin(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you plan to cover; the mentee sees it before the session."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics (the mentee's wishes, with the level they want)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources = forms.MultipleChoiceField(
        label=_("Resources to look at before the session"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the library, for the topics on the agenda."),
    )

    def set_options(
        self, *, topics: list[tuple[str, str]], resources: list[tuple[str, str]]
    ) -> None:
        cast(forms.ChoiceField, self.fields["topics"]).choices = topics
        cast(forms.ChoiceField, self.fields["resources"]).choices = resources


class SessionProposalForm(_SlotForm, _AgendaMixin):
    field_order = [
        "date",
        "time",
        "duration_minutes",
        "timezone",
        "location",
        "agenda",
        "topics",
        "resources",
    ]


class SessionSeriesForm(_SlotForm, _AgendaMixin):
    every = forms.IntegerField(label=_("One session every"), min_value=1, max_value=12)
    unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES)
    count = forms.IntegerField(
        label=_("Number of sessions"), min_value=1, max_value=policy.MAX_SERIES_SESSIONS
    )
    then_every = forms.IntegerField(
        label=_("Then one session every"), min_value=1, max_value=12, required=False
    )
    then_unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES, required=False)
    then_count = forms.IntegerField(
        label=_("Then number of sessions"),
        min_value=1,
        max_value=policy.MAX_SERIES_SESSIONS,
        required=False,
        help_text=_("Optional: e.g. monthly × 6, then quarterly (every 3 months) × 2."),
    )
    field_order = [
        "date",
        "time",
        "duration_minutes",
        "timezone",
        "every",
        "unit",
        "count",
        "then_every",
        "then_unit",
        "then_count",
        "location",
        "agenda",
        "topics",
        "resources",
    ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        then = [data.get("then_every"), data.get("then_count")]
        if any(then) and not all(then):
            self.add_error("then_count", _("Give both the second cadence and its number."))
        segments = []
        if data.get("every") and data.get("count") and data.get("unit"):
            segments.append(Segment(data["every"], data["unit"], data["count"]))
        if all(then):
            segments.append(
                Segment(data["then_every"], data.get("then_unit") or "month", data["then_count"])
            )
        data["segments"] = segments
        return data


class RescheduleForm(_SlotForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the other person with the new time."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisputeForm(forms.Form):
    note = forms.CharField(
        label=_("What is wrong in the log?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your mentor sees this note and can correct the log."),
    )


class SessionLogForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=OUTCOME_CHOICES, widget=forms.RadioSelect
    )
    actual_minutes = forms.IntegerField(
        label=_("Actual duration (minutes)"),
        min_value=1,
        max_value=policy.MAX_SESSION_MINUTES,
        required=False,
    )
    practised = forms.CharField(
        label=_("What the mentee practised"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    private_notes = forms.CharField(
        label=_("Private notes for the pair"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only you and your mentee see these; never HR, never the calendar."),
    )
    # The version of the log the page showed: a double submit is recognised, not re-applied.
    log_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic_fields: list[str] = []
        for topic_id, label in topics:
            name = f"level_{topic_id}"
            self.fields[name] = forms.ChoiceField(
                label=_("Level reached in %(topic)s") % {"topic": label},
                choices=LEVEL_CHOICES,
                required=False,
            )
            self.topic_fields.append(name)
        self.order_fields(["outcome", "actual_minutes", *self.topic_fields])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == "held" and not data.get("actual_minutes"):
            self.add_error("actual_minutes", _("How long did the session last?"))
        data["reached_levels"] = {
            name.removeprefix("level_"): int(data[name]) if data.get(name) else None
            for name in self.topic_fields
        }
        return data
