"""Forms of the topic catalogue and its resources."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from programmes.files import ALLOWED_EXTENSIONS, MAX_RESOURCE_BYTES, resource_file_check
from programmes.models import Level, Resource


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One sentence: what the tool is for."),
    )
    discover_description = forms.CharField(
        label=_("Discover — a first contact with the tool"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deepen_description = forms.CharField(
        label=_("Deepen — already uses it, wants to experiment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exploit_description = forms.CharField(
        label=_("Exploit — uses it, but not to its full potential"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResourceForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Resource.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("For a link: the page's address."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For a short text: a tip, a checklist, a how-to."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("For a file: at most %(size)d MB; %(types)s.")
        % {"size": MAX_RESOURCE_BYTES // (1024 * 1024), "types": ALLOWED_EXTENSIONS},
    )

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_file = has_file

    def clean_url(self) -> str:
        url: str = self.cleaned_data.get("url") or ""
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Use a web address starting with https://."))
        return url

    def clean_file(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("file")
        if upload:
            try:
                resource_file_check(name=upload.name or "", size=upload.size or 0, stream=upload)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Resource.Kind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("A link resource needs its address."))
        if kind == Resource.Kind.TEXT and not (data.get("body") or "").strip():
            self.add_error("body", _("A text resource needs its text."))
        if (
            kind == Resource.Kind.FILE
            and not data.get("file")
            and not self.has_file
            and "file" not in self.errors
        ):
            self.add_error("file", _("Choose a file to upload."))
        return data


class ResourceFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *Level.choices],
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", _("All topics")), *topics]
