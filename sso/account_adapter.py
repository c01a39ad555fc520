"""The project's allauth account adapter, plus the mandatory-SSO rule for passwords."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.adapter import AccountAdapter
from sso.selectors import mandatory_sso_organisation_for


class SsoAwareAccountAdapter(AccountAdapter):
    """Refuses the password of a member of an organisation whose SSO is mandatory."""

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """Checked after the password matched, so the refusal tells nothing to a guesser."""
        user = super().authenticate(request, **credentials)
        if user is not None:
            organisation = mandatory_sso_organisation_for(user=user)
            if organisation is not None:
                raise ValidationError(
                    _(
                        "%(org)s requires signing in through its identity provider: use "
                        '"Sign in with your organisation\'s identity provider" below.'
                    )
                    % {"org": organisation.name}
                )
        return user
