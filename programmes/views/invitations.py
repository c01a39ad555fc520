"""The public page behind an emailed invitation link (the token is the credential)."""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from programmes.forms import add_service_errors
from programmes.forms.invitations import InvitationAccountForm
from programmes.selectors.invitations import (
    InvitationState,
    invitation_is_for_user,
    invitation_resolve,
)
from programmes.services.invitations import (
    invitation_accept,
    invitation_accept_with_new_account,
)


def _render(request: HttpRequest, context: dict[str, object], status: int) -> HttpResponse:
    response = render(request, "programmes/invitation_accept.html", context, status=status)
    # The token is in this page's URL: never leak it to another site through the Referer.
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: log in or create a login on the spot, then enrol."""
    resolved = invitation_resolve(token=token[:200])
    if resolved is None:
        return _render(request, {"state": "unknown"}, 404)
    context: dict[str, object] = {"resolved": resolved, "state": resolved.state}
    if resolved.state != InvitationState.VALID:
        return _render(request, context, 410)
    invitation = resolved.invitation
    user = request.user
    if user.is_authenticated and not invitation_is_for_user(invitation=invitation, user=user):
        return _render(request, {**context, "state": "other-account"}, 403)
    form = None
    if not user.is_authenticated and not resolved.has_account:
        member = invitation.member
        form = InvitationAccountForm(
            request.POST or None, email=member.email, first_name=member.first_name
        )
    if request.method == "POST":
        try:
            if user.is_authenticated:
                participant = invitation_accept(token=token, user=user)
            elif form is not None and form.is_valid():
                new_user, participant = invitation_accept_with_new_account(
                    token=token, password=form.cleaned_data["password1"]
                )
                login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                return _render(request, {**context, "form": form}, 200)
        except PermissionDenied:
            return _render(request, {**context, "state": "other-account"}, 403)
        except ValidationError as error:
            if form is None:
                return _render(request, {**context, "errors": error.messages}, 200)
            add_service_errors(form, error)
            return _render(request, {**context, "form": form}, 200)
        return redirect("participant-enrol", invitation.organisation.slug, participant.pk)
    return _render(request, {**context, "form": form}, 200)
