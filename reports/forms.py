"""Forms of the reports app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme


class ReportOrderForm(forms.Form):
    # The view supplies the organisation's programmes (see __init__).
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        queryset=None, label=_("Programme")
    )
    period_start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    department = forms.ChoiceField(label=_("Department of the mentees"), required=False)

    def __init__(
        self, *args: Any, programmes: QuerySet[Programme], departments: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only this organisation's programmes are offered, and accepted.
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["department"].choices = [("", _("All departments"))] + [  # type: ignore[attr-defined]
            (name, name) for name in departments
        ]
        self.fields["period_start"].help_text = _("Leave both dates empty for the whole programme.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period is before its start."))
        return data
