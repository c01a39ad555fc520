"""Typed readers for environment variables that fail loudly on bad values."""

from __future__ import annotations

import os
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    """Return a string variable; raise when it is required and missing."""
    value = _raw(name)
    if value:
        return value
    if required or default is None:
        raise ImproperlyConfigured(f"Environment variable {name} must be set.")
    return default


def env_optional(name: str) -> str | None:
    """Return a string variable, or None when it is unset or empty."""
    return _raw(name) or None


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean variable written as 1/0, true/false, yes/no or on/off."""
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return an integer variable, checked against an optional minimum."""
    value = _raw(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below its minimum {minimum}.")
    return number


def env_list(name: str, default: Sequence[str] = ()) -> list[str]:
    """Return a comma-separated list variable without empty items."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: Sequence[str], default: str) -> str:
    """Return a variable that must be one of `choices`."""
    value = _raw(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}.")
    return value
