"""`manage.py seed_demo`: create the demo organisations and print their logins."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.people import DEMO_PASSWORD
from demo.seed import demo_seed


class Command(BaseCommand):
    help = "Create the demo organisations Acme and Lumière Assurances and print their logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--send-emails",
            action="store_true",
            help="Send the story's ~350 emails of past months (else discarded).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("The demo organisations are for the embedded default only.")
        started = time.perf_counter()
        organisations = demo_seed(send_emails=options["send_emails"])
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo organisations ready in {seconds:.1f} s."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for organisation in organisations:
            self.stdout.write(f"{organisation.name} at /o/{organisation.slug}/")
            for person in organisation.logins:
                self.stdout.write(f"  {person.title:<9} {person.email}")
