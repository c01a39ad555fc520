"""Refuse control characters in every form field that takes text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from safetext.neutralise import CONTROL_CHARACTERS


@deconstructible
class ProhibitControlCharactersValidator:
    """Refuse C0/C1 control characters; tabs and line breaks stay allowed."""

    message = _(
        "Remove the invisible control characters from this text (for example a NUL byte "
        "pasted from another program)."
    )
    code = "control_characters"

    def __call__(self, value: object) -> None:
        # NUL is left to Django's own validator, so that a NUL is not reported twice.
        if value is not None and CONTROL_CHARACTERS.search(str(value).replace("\x00", "")):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProhibitControlCharactersValidator)


validate_no_control_characters = ProhibitControlCharactersValidator()


def install_form_validators() -> None:
    """Give every forms.CharField, and every subclass (email, URL, slug...), the guard.

    Django already adds ProhibitNullCharactersValidator to each CharField; this adds the
    rest of the control characters, so one message covers NUL and its kin in every form of
    every app, allauth's included, without each form having to remember it. Idempotent.
    """
    if getattr(forms.CharField.__init__, "_guards_controls", False):
        return
    original = forms.CharField.__init__

    def __init__(self: forms.CharField, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if validate_no_control_characters not in self.validators:
            self.validators.append(validate_no_control_characters)

    __init__._guards_controls = True  # type: ignore[attr-defined]
    forms.CharField.__init__ = __init__  # type: ignore[method-assign]


__all__ = [
    "ProhibitControlCharactersValidator",
    "ProhibitNullCharactersValidator",
    "install_form_validators",
    "validate_no_control_characters",
]
