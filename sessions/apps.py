from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringSessionsConfig(AppConfig):
    # "sessions" would clash with django.contrib.sessions; use this label in every command.
    name = "sessions"
    label = "mentoring_sessions"
    verbose_name = _("Mentoring sessions")
