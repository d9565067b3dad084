"""Fast clock-time formatting for pages that list many seminars.

`{{ seminar.start|hm }}` gives the same text as `{{ seminar.start|time:"H:i" }}` (local time,
24-hour clock) at a fraction of the cost, which matters on a day page with a hundred seminars.
"""

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def hm(value) -> str:
    if not value:
        return ""
    return f"{value.hour:02d}:{value.minute:02d}"
