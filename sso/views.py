"""Views of single sign-on: the organisation's provider settings and the login-page router."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.tenancy import TenantRequest, tenant_view
from sso.forms import ProviderForm, SsoStartForm
from sso.selectors import provider_for_email, provider_for_organisation
from sso.services import provider_save, provider_test
from ui.http import refuse_unless_post


@tenant_view(admin=True)
def sso_settings_view(request: TenantRequest) -> HttpResponse:
    """Connect the organisation's OpenID Connect provider."""
    organisation = request.organisation
    provider = provider_for_organisation(organisation=organisation)
    initial = {}
    if provider is not None:
        initial = {
            "name": provider.name,
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "email_domains": ", ".join(d.domain for d in provider.domains.all()),
            "is_enabled": provider.is_enabled,
            "is_mandatory": provider.is_mandatory,
        }
    form = ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            provider_save(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Identity provider saved."))
            return redirect("sso-settings", org_slug=organisation.slug)
    callback = None
    if provider is not None:
        path = reverse("openid_connect_callback", kwargs={"provider_id": provider.provider_key})
        # As allauth builds it for the provider: from this request's scheme and host.
        callback = request.build_absolute_uri(path)
    context = {"form": form, "provider": provider, "callback_url": callback}
    return render(request, "sso/sso_settings.html", context)


def _add_errors(form: ProviderForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@tenant_view(admin=True)
def sso_test_view(request: TenantRequest) -> HttpResponse:
    """Fetch the provider's discovery document and report in plain words."""
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    result = provider_test(organisation=request.organisation)
    (messages.success if result.ok else messages.error)(request, result.message)
    return redirect("sso-settings", org_slug=request.organisation.slug)


def sso_start_view(request: HttpRequest) -> HttpResponse:
    """Send a person to their organisation's provider, chosen by their email's domain."""
    form = SsoStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = provider_for_email(email=form.cleaned_data["email"])
        if provider is not None:
            url = reverse("openid_connect_login", kwargs={"provider_id": provider.provider_key})
            return redirect(f"{url}?process=login")
        form.add_error(
            "email",
            _("No organisation signs in with this address's domain; use your password."),
        )
    return render(request, "sso/sso_start.html", {"form": form})
