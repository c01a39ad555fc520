"""Forms of single sign-on (validation only; services do the writes)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _


class ProviderForm(forms.Form):
    name = forms.CharField(
        label=_("Name shown on the button"), max_length=100, initial="Company sign-in"
    )
    issuer = forms.URLField(
        label=_("Issuer URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "E.g. https://login.microsoftonline.com/<tenant-id>/v2.0 or https://<org>.okta.com"
        ),
    )
    client_id = forms.CharField(label=_("Client id"), max_length=300)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave blank to keep the current secret."),
    )
    email_domains = forms.CharField(
        label=_("Email domains"),
        max_length=2000,
        help_text=_("Separated by commas: people with these addresses are sent to this provider."),
    )
    is_enabled = forms.BooleanField(label=_("Enable sign-in through this provider"), required=False)
    is_mandatory = forms.BooleanField(
        label=_("Members must sign in through it (passwords refused)"), required=False
    )

    def clean_email_domains(self) -> list[str]:
        raw: str = self.cleaned_data["email_domains"]
        return [part for part in re.split(r"[\s,;]+", raw) if part]


class SsoStartForm(forms.Form):
    email = forms.EmailField(label=_("Work email"), max_length=254)
