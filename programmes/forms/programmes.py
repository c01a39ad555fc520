"""Forms of programmes: set-up, lifecycle transitions, training steps, invitations, review."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organisations.models import Member, Organisation
from programmes.models import Participant, Programme, Topic

CSV_MAX_BYTES = 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What participants read when they are invited."),
    )
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    session_minutes = forms.IntegerField(
        label=_("Session length (minutes)"), min_value=15, max_value=240, initial=60
    )
    cadence_every = forms.IntegerField(
        label=_("One session every"), min_value=1, max_value=12, initial=2
    )
    cadence_unit = forms.ChoiceField(
        label=_("Cadence unit"), choices=Programme.CadenceUnit.choices, initial="week"
    )
    target_sessions = forms.IntegerField(
        label=_("Target number of sessions"), min_value=1, max_value=52, initial=6
    )
    mentor_capacity_max = forms.TypedChoiceField(
        label=_("Mentees per mentor (maximum)"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        initial=1,
    )
    topics: forms.ModelMultipleChoiceField[Topic] = forms.ModelMultipleChoiceField(
        label=_("Topics offered"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only active topics of your catalogue can be offered."),
    )
    k_scores = forms.IntegerField(
        label=_("Minimum raters before scores are shown"),
        min_value=3,
        max_value=100,
        help_text=_("Never below 3, so a rating cannot be traced back to its author."),
    )
    k_comments = forms.IntegerField(
        label=_("Minimum raters before comments are shown"), min_value=3, max_value=100
    )
    requires_training = forms.BooleanField(
        label=_("Mentors must complete the training before matching"), required=False
    )
    exclude_same_team = forms.BooleanField(
        label=_("Never pair people from the same team"), required=False
    )
    max_timezone_difference_hours = forms.IntegerField(
        label=_("Largest timezone difference in a pair (hours)"),
        min_value=0,
        max_value=24,
        initial=4,
    )

    def __init__(
        self,
        *args: Any,
        topics: QuerySet[Topic],
        organisation: Organisation,
        editable: frozenset[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics  # type: ignore[attr-defined]
        self.fields["k_scores"].initial = organisation.k_scores
        self.fields["k_comments"].initial = organisation.k_comments
        if not self.is_bound and "requires_training" not in self.initial:
            self.initial.update(requires_training=True, exclude_same_team=True)
        for name, field in self.fields.items():
            if editable is not None and name not in editable:
                field.disabled = True
                field.help_text = _("Fixed once matching has started.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("The end date must come after the start date."))
        return data

    def service_values(self) -> dict[str, Any]:
        """Return the cleaned values as the programme services take them."""
        values = dict(self.cleaned_data)
        values["topics"] = list(values.get("topics") or [])
        return values


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Programme.Status.choices, widget=forms.HiddenInput)


class TrainingStepForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Content"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the mentor reads or does in this step."),
    )


class StepMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


ROLE_CHOICES = Participant.Role.choices


class InviteMembersForm(forms.Form):
    mode = forms.CharField(widget=forms.HiddenInput, initial="members")
    role = forms.ChoiceField(label=_("Invite as"), choices=ROLE_CHOICES, widget=forms.RadioSelect)
    members: forms.ModelMultipleChoiceField[Member] = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one person.")},
    )

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members  # type: ignore[attr-defined]


class InviteDepartmentForm(forms.Form):
    mode = forms.CharField(widget=forms.HiddenInput, initial="department")
    role = forms.ChoiceField(label=_("Invite as"), choices=ROLE_CHOICES, widget=forms.RadioSelect)
    department = forms.ChoiceField(label=_("Department"))

    def __init__(self, *args: Any, departments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [
            ("", "—"),
            *((d, d) for d in departments),
        ]


class InviteCsvForm(forms.Form):
    mode = forms.CharField(widget=forms.HiddenInput, initial="csv")
    role = forms.ChoiceField(label=_("Invite as"), choices=ROLE_CHOICES, widget=forms.RadioSelect)
    csv_file = forms.FileField(
        label=_("CSV file of emails"),
        required=False,
        help_text=_("One email per line (first column); a header line “email” is skipped."),
    )
    csv_text = forms.CharField(
        label=_("…or paste the emails"),
        required=False,
        max_length=CSV_MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_csv_file(self) -> str:
        upload: UploadedFile | None = self.cleaned_data.get("csv_file")
        if not upload:
            return ""
        if (upload.size or 0) > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 text (CSV).")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = "\n".join(part for part in (data.get("csv_file"), data.get("csv_text")) if part)
        if not text.strip() and not self.errors.get("csv_file"):
            self.add_error("csv_file", _("Choose a file or paste at least one email."))
        data["text"] = text.replace("\x00", "")
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: enrol as mentor")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the decision; required when declining."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not (data.get("note") or "").strip():
            self.add_error("note", _("Tell the applicant why; they will read this note."))
        return data


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *ROLE_CHOICES]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Participant.Status.choices],
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    training = forms.ChoiceField(
        label=_("Training"),
        required=False,
        choices=[("", _("Any")), ("done", _("Completed")), ("not-done", _("Not completed"))],
    )

    def __init__(
        self,
        *args: Any,
        departments: list[str],
        topics: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [
            ("", _("All departments"))
        ] + [(d, d) for d in departments]
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", _("All topics")), *topics]
