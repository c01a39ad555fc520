"""HTTP idioms shared by every app's views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseNotAllowed


def refuse_unless_post(request: HttpRequest) -> HttpResponseNotAllowed | None:
    """Answer 405 to anything but POST: the one way a view says "POST only".

    Called right after the object lookup, not as a decorator such as `require_POST`, so that
    an outsider gets the same 404 for another organisation's object whatever the method:

        thing = thing_get(organisation=request.organisation, thing_id=thing_id)
        if (refused := refuse_unless_post(request)) is not None:
            return refused
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None
