"""Forms of the organisations app (validation only; services do the writes)."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organisations.importing import MAX_UPLOAD_BYTES, parse_languages, valid_timezones
from organisations.models import Member


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """Return IANA timezones as form choices."""
    return [(name, name) for name in sorted(valid_timezones().values())]


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


class OrganisationSecurityForm(forms.Form):
    admins_require_mfa = forms.BooleanField(
        label=_("HR admins must use two-factor authentication"),
        required=False,
        help_text=_(
            "An HR admin without an authenticator app or a passkey is sent to set one up "
            "before any page of the organisation."
        ),
    )


STATUS_CHOICES = [
    ("active", _("Current staff")),
    ("left", _("People who left")),
    ("all", _("Everyone")),
]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    department = forms.ChoiceField(label=_("Department"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args: Any, departments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = cast(forms.ChoiceField, self.fields["department"])
        department.choices = [("", _("All departments")), *((d, d) for d in departments)]

    def filters(self) -> dict[str, str]:
        """Return the filters to apply; invalid input falls back to the unfiltered default."""
        if not self.is_bound or not self.is_valid():
            return {"search": "", "department": "", "status": "active"}
        data = self.cleaned_data
        return {
            "search": data["q"],
            "department": data["department"],
            "status": data["status"] or "active",
        }


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Directory file (CSV or Excel)"),
        help_text=_(
            "CSV (UTF-8, UTF-16 or Windows-1252; comma or semicolon separated) or .xlsx; "
            "at most 5 MB and 50,000 rows."
        ),
    )

    filename = ""

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        self.filename = upload.name or ""
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This file is %(size).1f MB; the limit is %(limit)s MB. Split it into parts."),
                params={"size": upload.size / 2**20, "limit": MAX_UPLOAD_BYTES >> 20},
            )
        content: bytes = upload.read(MAX_UPLOAD_BYTES + 1)
        if not content.strip():
            raise forms.ValidationError(_("The file is empty."))
        return content


class DirectoryApplyForm(forms.Form):
    fingerprint = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    deactivate_missing = forms.BooleanField(
        label=_("Also deactivate the people who are not in the file"), required=False
    )


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} · {obj.email}"


class MemberForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    team = forms.CharField(label=_("Team"), max_length=100, required=False)
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    timezone = forms.ChoiceField(label=_("Timezone"), choices=timezone_choices)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Two-letter codes separated by commas, e.g. “fr, en”."),
    )
    manager = ManagerChoiceField(
        label=_("Manager"), queryset=None, required=False, empty_label=_("No manager")
    )

    def __init__(self, *args: Any, managers: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, member: Member) -> dict[str, Any]:
        return {
            "first_name": member.first_name,
            "last_name": member.last_name,
            "department": member.department,
            "team": member.team,
            "location": member.location,
            "timezone": member.timezone,
            "languages": ", ".join(member.languages or []),
            "manager": member.manager_id,
        }

    def clean_languages(self) -> list[str]:
        codes, unknown = parse_languages(self.cleaned_data["languages"])
        if unknown:
            raise forms.ValidationError(
                _("Unknown language: %(tokens)s. Use two-letter codes such as en, fr, de."),
                params={"tokens": ", ".join(unknown[:5])},
            )
        return codes


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Member.Role.choices)
