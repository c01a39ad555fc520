from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The seeded demo organisations; the one app allowed to call every other app."""

    name = "demo"
    verbose_name = _("Demo data")
