"""Forms of matching: weights of a run, manual pairs, swaps, comparisons, answers, wishes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from matching.engine import CRITERIA
from matching.explain import CRITERIA_LABELS
from matching.loading import DEFAULT_WEIGHTS, WEIGHT_MAX, WEIGHT_MIN
from matching.models import MatchProposal, MatchRun
from matching.services.pairings import DECLINE_REASON_MAX, WISHES_MAX
from programmes.models import Participant

CRITERIA_HELP = {
    "topic_fit": _("The mentor teaches the mentee's topics at (or above) the wanted level."),
    "availability": _("Common weekly time slots (4 or more count fully)."),
    "cross_department": _("Mentor and mentee work in different departments."),
    "language": _("The mentee's preferred language is shared (more if several are)."),
    "timezone": _("Their time zones are close (same zone counts fully)."),
    "preference": _("The mentor is on the mentee's optional wish list."),
}


class WeightsForm(forms.Form):
    """Importance of each soft criterion, 0 (ignored) to 10; only their ratios matter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", dict(DEFAULT_WEIGHTS))
        super().__init__(*args, **kwargs)
        for name in CRITERIA:
            self.fields[name] = forms.IntegerField(
                label=CRITERIA_LABELS[name],
                min_value=1 if name == "topic_fit" else WEIGHT_MIN,
                max_value=WEIGHT_MAX,
                help_text=CRITERIA_HELP[name],
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
                error_messages={
                    "required": _("Enter a whole number from 0 to 10."),
                    "invalid": _("Enter a whole number from 0 to 10."),
                    "min_value": _("Enter a whole number from %(limit_value)s to 10."),
                    "max_value": _("Enter a whole number from 0 to 10."),
                },
            )


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        member = obj.member
        return (
            f"{member.full_name} — {member.department}" if member.department else member.full_name
        )


class PairForm(forms.Form):
    """A mentor and a mentee of the run's programme (a manual pin or a forbid)."""

    def __init__(
        self,
        *args: Any,
        mentors: QuerySet[Participant],
        mentees: QuerySet[Participant],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"] = _PersonChoiceField(queryset=mentors, label=_("Mentor"))
        self.fields["mentee"] = _PersonChoiceField(queryset=mentees, label=_("Mentee"))


class _ProposalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MatchProposal) -> str:
        return _("%(mentee)s (mentor: %(mentor)s)") % {
            "mentee": obj.mentee.member.full_name,
            "mentor": obj.mentor.member.full_name,
        }


class SwapForm(forms.Form):
    """Two proposed pairs whose mentees exchange mentors."""

    def __init__(self, *args: Any, proposals: QuerySet[MatchProposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"] = _ProposalChoiceField(queryset=proposals, label=_("First mentee"))
        self.fields["second"] = _ProposalChoiceField(queryset=proposals, label=_("Second mentee"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("first"), data.get("second")
        if first and second and first.mentor_id == second.mentor_id:
            raise forms.ValidationError(_("Choose two mentees who have different mentors."))
        return data


class _RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MatchRun) -> str:
        return _("Run %(n)d") % {"n": obj.number} + (f" — {obj.note}" if obj.note else "")


class CompareForm(forms.Form):
    """The other run to compare with."""

    def __init__(self, *args: Any, runs: QuerySet[MatchRun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"] = _RunChoiceField(
            queryset=runs, label=_("Compare with"), empty_label=None
        )


class DeclineForm(forms.Form):
    """Why the proposed partner does not suit (read by HR only)."""

    reason = forms.CharField(
        label=_("Why does this proposal not suit you?"),
        max_length=DECLINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Read by HR only, to make a better proposal. Your partner is not told why."),
        error_messages={"required": _("Tell HR briefly why, so the next proposal fits.")},
    )


class _MentorChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return obj.member.full_name


class WishesForm(forms.Form):
    """Up to three mentors the mentee would like (optional, private)."""

    def __init__(self, *args: Any, mentors: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentors"] = _MentorChoices(
            queryset=mentors,
            required=False,
            label=_("Mentors you would like (up to %(n)d)") % {"n": WISHES_MAX},
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Optional and private: the matching favours them if they fit; they never see it."
            ),
        )

    def clean_mentors(self) -> Any:
        mentors = self.cleaned_data["mentors"]
        if len(mentors) > WISHES_MAX:
            raise forms.ValidationError(_("Choose at most %(n)d mentors.") % {"n": WISHES_MAX})
        return mentors
