"""Rules for one-line text (names, titles, organisations): no line breaks or other control characters.

A line break in a seminar title once ended up in an email subject, where it stopped the email.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Swedish alphabetical order puts å, ä, ö after z (in that order); plain code points would give ä, å, ö.
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})  # the three after "z"


def swedish_key(text: str) -> str:
    """A sort key for names and places in Swedish alphabetical order, case-insensitive."""
    return (text or "").casefold().translate(_SWEDISH)


# C0 and C1 controls, DEL, and Unicode's line and paragraph separators: none belongs on one line.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """Refuse text with a line break, tab or other control character (code "not_single_line")."""
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Write this on one line, without line breaks, tabs or other control characters."),
            code="not_single_line",
        )


def collapse_whitespace(text: str) -> str:
    """Every run of whitespace (spaces, tabs, line breaks) as one space, ends stripped; other controls stay."""
    return " ".join(text.split())


def single_line(text: str) -> str:
    """`text` on one line whatever it holds: runs of whitespace and control characters become one space.
    For places that must never fail on old data, such as email subjects."""
    return collapse_whitespace(CONTROL_CHARACTERS.sub(" ", text))
