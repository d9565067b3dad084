"""What door staff read and hear: names of doors, verdict labels, messages and colour tones.

The services answer with stable verdict codes and plain facts; the words and tones are chosen here.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sessions.models import LOCAL_TZ

from ..selectors.checkpoints import Checkpoint


def checkpoint_label(checkpoint: Checkpoint) -> str:
    """The door's name: "Entrance, Wednesday 3 February" or "Title (Room, 10:00)"."""
    if checkpoint.seminar is None:
        return _("Entrance, %(day)s") % {"day": formats.date_format(checkpoint.day, "l j F")}
    seminar = checkpoint.seminar
    start = timezone.localtime(seminar.start, LOCAL_TZ)
    return _("%(title)s (%(room)s, %(time)s)") % {
        "title": seminar.title, "room": seminar.room.name, "time": start.strftime("%H:%M"),
    }
