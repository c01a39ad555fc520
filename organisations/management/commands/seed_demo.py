"""`manage.py seed_demo`: create the demo organisation and print its logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from organisations.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create or refresh the demo organisation 'Acme' and print its logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("The demo organisation is for the embedded default only.")
        people = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo organisation 'Acme' is ready at /o/acme/."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for person in people:
            self.stdout.write(f"  {person.title:<9} {person.email}")
