"""The one hook through which the programme tells others about changes.

`registration` connects to it at start-up; the programme never imports registration.
"""

from django.dispatch import Signal

# Sent on commit after a seminar's time, room, capacity or status changed.
# kwargs: seminar (Seminar), changes (frozenset of "time", "room", "status", "capacity"),
# previous (dict of the old values: start, end, room_id, status, capacity).
seminar_changed = Signal()
