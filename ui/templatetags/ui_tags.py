"""Template tags shared by every app: `{% badge thing.status_badge %}`."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ui.badges import Badge

register = template.Library()


@register.simple_tag
def badge(value: Badge) -> SafeString:
    """Draw a status badge (its label is escaped)."""
    classes = ["badge"]
    if value.tone:
        classes.append(f"badge--{value.tone}")
    if value.modifier:
        classes.append(value.modifier)
    return format_html('<span class="{}">{}</span>', " ".join(classes), value.label)
