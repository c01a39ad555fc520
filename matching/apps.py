from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Answers to programmes.signals: the lifecycle checks, closing and withdrawal.
        from matching import receivers  # noqa: F401
