"""Forms of the feedback app: the anonymous rating, withdrawal, thanks and thresholds."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from feedback.sealing import receipt_code_normalise
from feedback.services import COMMENT_MAX_LENGTH, K_MAX, NOTE_MAX_LENGTH, RatingAnswers
from programmes.models import Topic

SCALE = [(value, str(value)) for value in range(1, 6)]
RECOMMEND = [(value, str(value)) for value in range(11)]


def _scale(label: Any, help_text: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )


class RatingForm(forms.Form):
    """Scores 1–5, recommend 0–10 (optional), a comment (optional), the topic if several."""

    clarity = _scale(_("Clarity of the explanations"), _("1 = hard to follow, 5 = very clear"))
    usefulness = _scale(_("Useful for my work"), _("1 = not at all, 5 = very useful"))
    pace = _scale(_("Pace adapted to me"), _("1 = far too fast or slow, 5 = just right"))
    confidence = _scale(_("Confidence gained"), _("1 = none, 5 = a lot more confident"))
    recommend = forms.TypedChoiceField(
        label=_("Would you recommend this programme to a peer?"),
        help_text=_("0 = certainly not, 10 = certainly. Optional."),
        choices=RECOMMEND,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=_(
            "Shown word for word to your mentor and HR once enough people have commented. "
            "Avoid details that would identify you."
        ),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    topic = forms.ChoiceField(
        label=_("What was this session mostly about?"), required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, topics: list[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the session's own topics are offered (and accepted); with one or none, no question.
        if len(topics) > 1:
            topic = cast(forms.ChoiceField, self.fields["topic"])
            topic.choices = [(str(t.pk), t.name) for t in topics]
            topic.required = True
        else:
            del self.fields["topic"]

    def answers(self) -> RatingAnswers:
        data = self.cleaned_data
        return RatingAnswers(
            clarity=data["clarity"],
            usefulness=data["usefulness"],
            pace=data["pace"],
            confidence=data["confidence"],
            recommend=data.get("recommend"),
            comment=data.get("comment", ""),
            topic_id=data.get("topic") or None,
        )


class WithdrawForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        help_text=_("The code shown once after you rated, e.g. 7K2QD-M4XJ9-PRT6A-0HW3N."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if receipt_code_normalise(code) is None:
            raise ValidationError(_("This does not look like a receipt code."))
        return code


class ThankYouForm(forms.Form):
    message = forms.CharField(
        label=_("Your note"),
        help_text=_("Sent with your name: this note is not anonymous."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ThresholdsForm(forms.Form):
    k_scores = forms.IntegerField(
        label=_("Minimum distinct raters before scores are shown"),
        min_value=3,
        max_value=K_MAX,
        help_text=_("Never below 3. Default 5."),
    )
    k_comments = forms.IntegerField(
        label=_("Minimum distinct raters before comments are shown"),
        min_value=3,
        max_value=K_MAX,
        help_text=_("At least as many as for scores: free text identifies more. Default 10."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        k_scores, k_comments = data.get("k_scores"), data.get("k_comments")
        if k_scores is not None and k_comments is not None and k_comments < k_scores:
            self.add_error(
                "k_comments",
                _("Comments identify more than scores: ask for at least as many raters."),
            )
        return data


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching fields (or on top of the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
