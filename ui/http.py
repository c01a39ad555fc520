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


# The value a confirmation page's button posts: a mass or irreversible action runs only with it.
CONFIRM_VALUE = "yes"


def is_confirmed(request: HttpRequest) -> bool:
    """Whether this POST comes from the confirmation page's button, not the first click.

    Mass or irreversible actions (publish a run, close a programme) answer a first POST with a
    page saying what will happen, with counts; only its button, posting `confirm=yes`, acts.
    """
    return request.POST.get("confirm") == CONFIRM_VALUE
