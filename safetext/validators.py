"""Refuse control characters in every form field that takes text."""

from __future__ import annotations

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
        if value is not None and CONTROL_CHARACTERS.search(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProhibitControlCharactersValidator)


validate_no_control_characters = ProhibitControlCharactersValidator()


def install_form_validators() -> None:
    """Give every forms.CharField (and subclass using the defaults) the control guard.

    Django already adds ProhibitNullCharactersValidator to each CharField; this adds the
    rest of the control characters, so one message covers NUL and its kin in every form of
    every app, allauth's included, without each form having to remember it.
    """
    forms.CharField.default_validators = [validate_no_control_characters]


__all__ = [
    "ProhibitControlCharactersValidator",
    "ProhibitNullCharactersValidator",
    "install_form_validators",
    "validate_no_control_characters",
]
