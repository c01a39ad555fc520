"""Journey: an HR admin connects a real OpenID Connect provider; people sign in through it.

The provider is django-allauth's own `allauth.idp.oidc`, running in its own gunicorn process
with its own database; every redirect (authorize, login, consent, callback) is real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from organisations.models import Member
from sso.models import IdentityProvider
from sso.services import provider_save
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, MemberFactory, OrganisationFactory, member_with_login
from tests.support.idp.process import IdentityProviderProcess, identity_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    "bob@a.test:idp-pass-bob",
    "carol@a.test:idp-pass-carol",
    "!eve@a.test:idp-pass-eve",
    "zed@a.test:idp-pass-zed",
]


def _sso_sign_in(page: Page, base: str, email: str, password: str) -> None:
    """From Flipside's login page through the provider's login and consent, back to Flipside.

    Cookies are cleared first: logging out of Flipside leaves the provider's own session.
    """
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Sign in with your organisation's identity provider").click()
    page.get_by_label("Work email").fill(email)
    page.get_by_role("button", name="Continue").click()
    _through_provider(page, email, password)


def _through_provider(page: Page, email: str, password: str) -> None:
    page.get_by_role("button", name="Continue").click()  # allauth: "Sign In Via …"
    page.wait_for_url("http://127.0.0.1:*/accounts/login/**")  # the provider's own login
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.get_by_role("button", name="Authorize").click()


def _connect_provider(page: Page, base: str, idp: IdentityProviderProcess, shots: Path) -> None:
    page.goto(f"{base}/o/org-a/")
    page.get_by_role("link", name="Sign-in settings").click()
    page.get_by_role("link", name="Single sign-on").click()
    page.get_by_label("Name shown on the button").fill("Acme IdP")
    page.get_by_label("Issuer URL").fill(idp.issuer)
    page.get_by_label("Client id").fill("flipside-a")
    page.get_by_label("Client secret").fill("client-secret-of-a")
    page.get_by_label("Email domains").fill("a.test")
    page.get_by_label("Enable sign-in through this provider").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Identity provider saved.")).to_be_visible()
    callback = page.locator("code.copyable").inner_text().strip()
    assert callback.startswith(f"{base}/accounts/oidc/org-")
    idp.register_client("flipside-a", "client-secret-of-a", callback)
    page.get_by_role("button", name="Test the connection").click()
    expect(page.get_by_text("Connection works")).to_be_visible()
    page.get_by_label("Members must sign in through it (passwords refused)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Identity provider saved.")).to_be_visible()
    page.screenshot(path=shots / "sso-settings.png", full_page=True)


def test_sso_journey_through_a_real_provider(page: Page, live_server: Any, tmp_path: Path) -> None:
    base = live_server.url
    org_a = OrganisationFactory.create(name="Org A", slug="org-a")
    org_b = OrganisationFactory.create(name="Org B", slug="org-b")
    member_with_login(org_a, email="alice@a.test", role=Member.Role.ADMIN)
    MemberFactory.create(organisation=org_a, email="bob@a.test")  # in the directory, no login
    carol = member_with_login(org_a, email="carol@a.test")  # has a password login...
    MemberFactory.create(organisation=org_b, email="carol@a.test", user=carol.user)  # ...and B
    MemberFactory.create(organisation=org_a, email="eve@a.test")
    with identity_provider(tmp_path, PEOPLE) as idp:
        log_in(page, base, "alice@a.test", TEST_PASSWORD)
        _connect_provider(page, base, idp, tmp_path)
        page.get_by_role("button", name="Log out").click()

        # Mandatory SSO: carol's correct password is refused, with the way out named.
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email").fill("carol@a.test")
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign In", exact=True).click()
        expect(
            page.get_by_text("Org A requires signing in through its identity provider")
        ).to_be_visible()
        page.screenshot(path=tmp_path / "sso-password-refused.png", full_page=True)

        # Bob has no login yet: the provider vouches for him, his directory entry is linked.
        _sso_sign_in(page, base, "bob@a.test", "idp-pass-bob")
        page.wait_for_url(f"{base}/organisations/")
        expect(page.get_by_role("link", name="Org A")).to_be_visible()
        with scopes_disabled():
            bob = Member.objects.get(organisation=org_a, email="bob@a.test")
        assert bob.user is not None and not bob.user.has_usable_password()
        page.get_by_role("button", name="Log out").click()

        # Carol signs in through A's provider: A opens, B (where she also is) does not.
        _sso_sign_in(page, base, "carol@a.test", "idp-pass-carol")
        page.wait_for_url(f"{base}/organisations/")
        page.goto(f"{base}/o/org-a/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Org A")
        response = page.goto(f"{base}/o/org-b/")
        assert response is not None and response.status == 403
        expect(page.get_by_text("another organisation's identity provider")).to_be_visible()
        page.get_by_role("button", name="Log out").click()

        # Not in the directory, or email not verified by the provider: refused, no login made.
        _sso_sign_in(page, base, "zed@a.test", "idp-pass-zed")
        expect(page.get_by_text("zed@a.test is not in Org A's directory")).to_be_visible()
        page.screenshot(path=tmp_path / "sso-refused.png", full_page=True)
        _sso_sign_in(page, base, "eve@a.test", "idp-pass-eve")
        expect(page.get_by_text("did not confirm your email address")).to_be_visible()

        # Organisation B's provider (same real provider, B's own client) never signs anyone
        # into A's directory entries: bob@a.test is refused by it.
        page.context.clear_cookies()
        with scopes_disabled():
            provider_b = provider_save(
                organisation=org_b,
                name="B IdP",
                issuer=idp.issuer,
                client_id="flipside-b",
                client_secret="client-secret-of-b",
                email_domains=["b.test"],
                is_enabled=True,
                is_mandatory=False,
            )
        idp.register_client(
            "flipside-b",
            "client-secret-of-b",
            f"{base}/accounts/oidc/{provider_b.provider_key}/login/callback/",
        )
        page.goto(f"{base}/accounts/oidc/{provider_b.provider_key}/login/?process=login")
        _through_provider(page, "bob@a.test", "idp-pass-bob")
        expect(
            page.get_by_text("Org B's identity provider cannot sign in addresses of a.test")
        ).to_be_visible()
    with scopes_disabled():
        linked = set(SocialAccount.objects.values_list("user__email", flat=True))
        assert linked == {"bob@a.test", "carol@a.test"}
        assert IdentityProvider.objects.count() == 2
        # The secret is stored encrypted, never as given.
        stored = IdentityProvider.objects.get(organisation=org_a).client_secret_encrypted
    assert "client-secret-of-a" not in stored
