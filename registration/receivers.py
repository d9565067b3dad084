"""How registration follows programme changes: the one hook the programme calls (see sessions/signals.py)."""

from sessions.models import SeminarStatus

from .services.booking import (
    cancel_seminar_bookings,
    fit_bookings_to_capacity,
    notify_seminar_moved,
    seat_counts,
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


def count_bookings(seminar) -> tuple[int, int]:
    """(confirmed, waitlisted) in a seminar, for the programme's checks."""
    counts = seat_counts([seminar.pk]).get(seminar.pk, {"confirmed": 0, "waitlisted": 0})
    return counts["confirmed"], counts["waitlisted"]
