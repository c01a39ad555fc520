from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Newcomer@Example.com",
    "password1": "a-long-pass-phrase",
    "password2": "a-long-pass-phrase",
}


def test_signup_with_email_logs_in_and_lists_no_organisation() -> None:
    client = Client()
    response = client.post("/accounts/signup/", SIGNUP, follow=True)
    assert response.redirect_chain[-1][0] == "/organisations/"
    assert "You do not belong to any organisation yet." in response.content.decode()
    assert User.objects.get().email == "newcomer@example.com"


def test_signup_with_mandatory_verification_sends_email_through_outbox(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    # Not verified yet: the organisations page asks for login again.
    assert client.get("/organisations/").status_code == 302


def test_signup_rejects_mismatched_passwords_in_the_page() -> None:
    response = Client().post("/accounts/signup/", {**SIGNUP, "password2": "something-else-x"})
    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.exists()


def test_login_with_wrong_password_says_so() -> None:
    User.objects.create_user("known@example.com", "right-password-123")
    response = Client().post("/accounts/login/", {"login": "known@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
