"""The nav's question: has the signed-in person registered for this conference yet?"""

from django import template

from ..selectors import registration_for

register = template.Library()


@register.filter
def is_registered_for(user, conference) -> bool:
    """True when `user` has an active registration for `conference` (one lean query, none when anonymous)."""
    return bool(conference) and registration_for(user, conference, lean=True) is not None
