"""Absolute feed addresses for templates: `{{ path|site_url }}` and `{{ path|site_url|webcal }}`."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def site_url(path: str) -> str:
    """The public https (or http in development) address of a site path, from settings.SITE_URL."""
    return f"{settings.SITE_URL}{path}"


@register.filter
def webcal(url: str) -> str:
    """The same address with the webcal:// scheme, which opens the visitor's calendar app to subscribe."""
    return "webcal://" + str(url).split("://", 1)[-1]
