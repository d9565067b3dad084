"""How registration follows programme changes: the one hook the programme calls (see sessions/signals.py)."""

from sessions.models import SeminarStatus

from .services.booking import (
    cancel_seminar_bookings,
    confirmed_count,
    fit_bookings_to_capacity,
    notify_seminar_moved,
)


def on_seminar_changed(sender, *, seminar, changes, previous, **kwargs):
    """Runs after the programme change has committed."""
    if "status" in changes and seminar.status == SeminarStatus.CANCELLED:
        cancel_seminar_bookings(seminar_id=seminar.pk)
        return
    if "capacity" in changes or ("status" in changes and seminar.status == SeminarStatus.PUBLISHED):
        fit_bookings_to_capacity(seminar_id=seminar.pk)
    if changes & {"time", "room"}:
        notify_seminar_moved(seminar_id=seminar.pk)


def count_confirmed(seminar) -> int:
    return confirmed_count(seminar)
