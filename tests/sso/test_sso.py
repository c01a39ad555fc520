"""Single sign-on configuration and the rules of linking people who sign in through it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from sso.adapter import SocialAccountAdapter
from sso.crypto import secret_decrypt, secret_encrypt
from sso.discovery import issuer_check
from sso.models import IdentityProvider
from sso.services import SsoRefused, provider_save, sso_link_member
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def _provider(cast: Cast, **overrides: Any) -> IdentityProvider:
    fields: dict[str, Any] = {
        "organisation": cast.org_a,
        "name": "A IdP",
        "issuer": "https://login.a.example",
        "client_id": "client-a",
        "client_secret": "secret-of-a",
        "email_domains": ["a.test"],
        "is_enabled": True,
        "is_mandatory": False,
    }
    fields.update(overrides)
    with scopes_disabled():
        return provider_save(**fields)


def test_client_secret_is_stored_encrypted(cast: Cast) -> None:
    provider = _provider(cast)
    with scopes_disabled():
        stored = IdentityProvider.objects.get(pk=provider.pk).client_secret_encrypted
    assert "secret-of-a" not in stored
    assert secret_decrypt(stored) == "secret-of-a"


def test_a_secret_does_not_decrypt_under_another_key(settings: Any) -> None:
    token = secret_encrypt("s3cret")
    settings.SSO_SECRET_KEY = "another key"
    with pytest.raises(ImproperlyConfigured):
        secret_decrypt(token)


def test_blank_secret_keeps_the_stored_one(cast: Cast) -> None:
    _provider(cast)
    provider = _provider(cast, client_secret="", name="Renamed")
    assert provider.name == "Renamed"
    assert secret_decrypt(provider.client_secret_encrypted) == "secret-of-a"


def test_a_domain_is_routed_by_one_organisation_only(cast: Cast) -> None:
    _provider(cast)
    with pytest.raises(ValidationError) as error:
        _provider(cast, organisation=cast.org_b, client_id="b", email_domains=["A.test"])
    assert "routed by another organisation" in str(error.value)


def test_mandatory_needs_a_successful_connection_test(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        _provider(cast, is_mandatory=True)
    assert "Test the connection" in str(error.value)
    with scopes_disabled():
        assert not IdentityProvider.objects.exists()


@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        ("http://login.example.com", "https"),
        ("https://127.0.0.1", "internal"),
        ("https://10.1.2.3/realm", "internal"),
        ("https://169.254.169.254", "internal"),
    ],
)
def test_issuer_must_be_public_https_in_production(
    settings: Any, issuer: str, message: str
) -> None:
    settings.SSO_ALLOW_INSECURE_ISSUERS = False
    with pytest.raises(ValidationError) as error:
        issuer_check(issuer)
    assert message in str(error.value)


def test_login_page_lists_no_organisation_provider(cast: Cast) -> None:
    provider = _provider(cast)
    adapter = SocialAccountAdapter()
    assert adapter.list_apps(None) == []
    assert adapter.list_apps(None, provider="openid_connect") == []
    [app] = adapter.list_apps(None, provider=provider.provider_key)
    assert app.client_id == "client-a"
    assert app.secret == "secret-of-a"
    assert app.pk is None  # never written to allauth's SocialApp table


def test_link_refuses_unverified_other_domain_and_unknown_people(cast: Cast) -> None:
    provider = _provider(cast)
    with scopes_disabled():
        provider = IdentityProvider.objects.select_related("organisation").get(pk=provider.pk)
    with pytest.raises(SsoRefused, match="did not confirm"):
        sso_link_member(provider=provider, email="bob@a.test", email_verified=False)
    with pytest.raises(SsoRefused, match=r"cannot sign in addresses of b\.test"):
        sso_link_member(provider=provider, email="mallory@b.test", email_verified=True)
    with pytest.raises(SsoRefused, match="not in Org A"):
        sso_link_member(provider=provider, email="nobody@a.test", email_verified=True)


def test_link_uses_the_directory_entry_of_the_providers_organisation(cast: Cast) -> None:
    provider = _provider(cast)
    entry = MemberFactory.create(organisation=cast.org_a, email="dan@a.test")
    with scopes_disabled():
        provider = IdentityProvider.objects.select_related("organisation").get(pk=provider.pk)
        user = sso_link_member(provider=provider, email="Dan@A.test", email_verified=True)
        entry.refresh_from_db()
    assert entry.user == user
    assert not user.has_usable_password()
    assert cast.bob.user is not None
    assert sso_link_member(provider=provider, email="bob@a.test", email_verified=True) == (
        cast.bob.user
    )


def test_mandatory_sso_refuses_the_right_password_only(cast: Cast) -> None:
    provider = _provider(cast)
    with scopes_disabled():
        IdentityProvider.objects.filter(pk=provider.pk).update(last_test_ok=True, is_mandatory=True)
    client = Client()
    wrong = client.post(reverse("account_login"), {"login": "bob@a.test", "password": "nope"})
    assert "requires signing in" not in wrong.content.decode()
    right = client.post(
        reverse("account_login"), {"login": "bob@a.test", "password": TEST_PASSWORD}
    )
    assert right.status_code == 200
    assert "Org A requires signing in through its identity provider" in right.content.decode()
    assert client.get(reverse("organisation-list")).status_code == 302  # not signed in
    # Members of organisations without mandatory SSO keep their password.
    other = Client().post(
        reverse("account_login"), {"login": "mallory@b.test", "password": TEST_PASSWORD}
    )
    assert other.status_code == 302


def test_login_page_routes_an_email_to_its_provider(cast: Cast) -> None:
    provider = _provider(cast)
    response = Client().post(reverse("sso-start"), {"email": "someone@A.test"})
    assert response.status_code == 302
    assert f"/accounts/oidc/{provider.provider_key}/login/" in response["Location"]
    unknown = Client().post(reverse("sso-start"), {"email": "someone@elsewhere.test"})
    assert "No organisation signs in with this address" in unknown.content.decode()


def test_a_session_from_a_provider_opens_its_own_organisation_only(cast: Cast) -> None:
    MemberFactory.create(organisation=cast.org_b, email="bob@a.test", user=cast.bob.user)
    client = Client()
    assert cast.bob.user is not None
    client.force_login(cast.bob.user)
    session = client.session
    session["sso_organisation_id"] = str(cast.org_a.pk)
    session.save()
    assert client.get(reverse("organisation-home", args=["org-a"])).status_code == 200
    refused = client.get(reverse("organisation-home", args=["org-b"]))
    assert refused.status_code == 403
    assert "another organisation's identity provider" in refused.content.decode()
