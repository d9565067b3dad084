"""Rules for one-line text (names, titles, organisations): no line breaks or other control characters.

A line break in a seminar title once ended up in an email subject, where it stopped the email.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Swedish alphabetical order puts å, ä, ö after z (in that order); plain code points would give ä, å, ö.
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # the three after "z"
# Letters Swedish files under another: æ and ø as ä and ö, ü as y. Other accents are dropped (é is an e).
_AS_SWEDISH = str.maketrans({"æ": "ä", "ø": "ö", "ü": "y"})


def swedish_letters(text: str) -> str:
    """`text` lower-cased as Swedish alphabetises it: å, ä and ö kept, æ ø ü as ä ö y, other accents off."""
    folded = []
    for char in (text or "").casefold().translate(_AS_SWEDISH):
        if char in "åäö" or char.isascii():
            folded.append(char)
        else:
            folded.append("".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)))
    return "".join(folded)


def swedish_key(text: str) -> str:
    """A sort key for names and places in Swedish alphabetical order, case-insensitive."""
    return swedish_letters(text).translate(_SWEDISH)


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
