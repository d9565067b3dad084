"""Live door counts: people let in per door, beside seats booked and the room's capacity."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from sessions.models import Conference

from ..models import Booking, BookingStatus, Scan
from .checkpoints import Checkpoint, door_seminars


def door_counts(conference: Conference, day: date | None = None) -> dict[str, dict[str, int | None]]:
    """Per checkpoint key: checked_in (admitted scans), booked (confirmed bookings) and capacity.

    Three queries whatever the number of doors; the entrance counts people let in (re-entries once). Attendees
    only: speakers (let in without a seat) are not counted against the room.
    """
    seminars = [s for s in door_seminars(conference) if day is None or s.local_day == day]
    days = conference.days if day is None else [day]
    ids = [s.pk for s in seminars]
    booked = dict(
        Booking.objects.filter(seminar_id__in=ids, status=BookingStatus.CONFIRMED)
        .values("seminar_id").annotate(n=Count("id")).values_list("seminar_id", "n")
    )
    checked = dict(
        Scan.objects.attendees_let_in().filter(
            conference=conference,
            checkpoint__in=[f"entrance-{d.isoformat()}" for d in days] + [f"seminar-{s.code}" for s in seminars],
        )
        .values("checkpoint").annotate(n=Count("id")).values_list("checkpoint", "n")
    )
    counts: dict[str, dict[str, int | None]] = {}
    for d in days:
        key = f"entrance-{d.isoformat()}"
        counts[key] = {"checked_in": checked.get(key, 0), "booked": None, "capacity": None}
    for seminar in seminars:
        key = f"seminar-{seminar.code}"
        counts[key] = {"checked_in": checked.get(key, 0), "booked": booked.get(seminar.pk, 0),
                       "capacity": seminar.capacity}
    return counts


def checkpoint_counts(checkpoint: Checkpoint) -> dict[str, int | None]:
    """door_counts for one door only, in one or two queries: what the scanner shows after each scan."""
    checked_in = Scan.objects.attendees_let_in().filter(checkpoint=checkpoint.key).count()
    if checkpoint.seminar is None:
        return {"checked_in": checked_in, "booked": None, "capacity": None}
    booked = Booking.objects.filter(seminar=checkpoint.seminar, status=BookingStatus.CONFIRMED).count()
    return {"checked_in": checked_in, "booked": booked, "capacity": checkpoint.seminar.capacity}
