from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetextConfig(AppConfig):
    name = "safetext"
    verbose_name = _("Safe text")

    def ready(self) -> None:
        from safetext.validators import install_form_validators

        install_form_validators()
