"""Views of the programmes app, one module per audience."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseNotAllowed


def refuse_unless_post(request: HttpRequest) -> HttpResponseNotAllowed | None:
    """Answer 405 to anything but POST.

    Used after the object lookup (not as a decorator) so that an outsider gets the same 404
    for another organisation's object whatever the method.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None
