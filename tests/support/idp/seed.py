"""Create the provider's database and people, or register Flipside as a client.

Usage: python -m tests.support.idp.seed people EMAIL:PASSWORD...   (`!email`: unverified)
       python -m tests.support.idp.seed client CLIENT_ID CLIENT_SECRET REDIRECT_URI
"""

from __future__ import annotations

import os
import sys

import django


def main(argv: list[str]) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.support.idp.settings"
    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.contrib.auth.models import User
    from django.core.management import call_command

    command, *args = argv
    if command == "client":
        client_id, secret, redirect_uri = args
        client = Client(id=client_id, name="Flipside", skip_consent=False)
        client.set_secret(secret)
        client.set_redirect_uris([redirect_uri])
        client.set_scopes(["openid", "email", "profile"])
        client.set_default_scopes(["openid", "email", "profile"])
        client.save()
        return
    call_command("migrate", verbosity=0)
    for entry in args:
        email, password = entry.split(":", 1)
        verified = not email.startswith("!")
        email = email.lstrip("!")
        user = User.objects.create_user(
            username=email, email=email, password=password, first_name=email.split("@")[0]
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)


if __name__ == "__main__":
    main(sys.argv[1:])
