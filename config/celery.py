"""The Celery application; tasks are discovered in each app's tasks.py."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Every task's `delay_on_commit` is broker-safe (see config/broker.py).
app = Celery("flipside", task_cls="config.broker:SafeDjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
