"""Which language a page is served in, and the top bar's switcher."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.conftest import Cast


def _lang(response: Any) -> str:
    html = response.content.decode()
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : html.index('"', start)]


def test_language_follows_the_organisation_default(cast: Cast, bob_client: Client) -> None:
    with scopes_disabled():
        cast.org_a.default_language = "fr"
        cast.org_a.save(update_fields=["default_language"])
        cast.bob.languages = []
        cast.bob.save(update_fields=["languages"])
    response = bob_client.get(reverse("organisation-home", args=[cast.org_a.slug]))
    assert _lang(response) == "fr"
    assert response["Content-Language"] == "fr"


def test_language_prefers_the_members_language(cast: Cast, bob_client: Client) -> None:
    with scopes_disabled():
        cast.org_a.default_language = "fr"
        cast.org_a.save(update_fields=["default_language"])
        cast.bob.languages = ["en", "fr"]
        cast.bob.save(update_fields=["languages"])
    response = bob_client.get(
        reverse("organisation-home", args=[cast.org_a.slug]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert _lang(response) == "en"


def test_language_falls_back_to_the_browser_for_visitors(db: None) -> None:
    response = Client().get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert _lang(response) == "fr"
    assert "Se connecter" in response.content.decode() or "Connexion" in response.content.decode()


def test_language_outside_an_organisation_follows_the_membership(
    cast: Cast, bob_client: Client
) -> None:
    with scopes_disabled():
        cast.bob.languages = ["fr"]
        cast.bob.save(update_fields=["languages"])
    response = bob_client.get(reverse("account-security"), HTTP_ACCEPT_LANGUAGE="en")
    assert _lang(response) == "fr"


def test_switcher_choice_wins_over_person_and_organisation(cast: Cast, bob_client: Client) -> None:
    with scopes_disabled():
        cast.bob.languages = ["fr"]
        cast.bob.save(update_fields=["languages"])
    home = reverse("organisation-home", args=[cast.org_a.slug])
    page = bob_client.get(home).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    response = bob_client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    assert _lang(bob_client.get(home)) == "en"
    bob_client.post(reverse("set_language"), {"language": "fr", "next": home})
    assert _lang(bob_client.get(home)) == "fr"
