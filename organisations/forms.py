"""Forms of the organisations app (validation only; services do the writes)."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """Return IANA timezones as form choices."""
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Web address"),
        max_length=60,
        help_text=_("Lowercase letters, digits and hyphens; used in links as /o/<address>/."),
    )
    timezone = forms.ChoiceField(label=_("Timezone"), choices=timezone_choices, initial="UTC")
    default_language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].lower()
        if slug in {"new", "admin", "static", "accounts"}:
            raise forms.ValidationError(_("This address is reserved."))
        return slug


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
