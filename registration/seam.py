"""Registration's side of the programme's bookings port (sessions.ports), registered at start-up."""

from sessions.ports import SeatCount

from .services import programme_changes
from .services.booking import seat_counts


class RegistrationBookings:
    """Bookings as the programme sees them: counts, consequences of changes, and two page extras."""

    def counts(self, seminar_ids) -> dict[int, SeatCount]:
        return {pk: SeatCount(**counts) for pk, counts in seat_counts(seminar_ids).items()}

    def check_change(self, seminar, before):
        return programme_changes.check_change(seminar, before)

    def apply_change(self, seminar, before, changes) -> None:
        programme_changes.apply_change(seminar, before, changes)

    def attendee_clashes(self, conference):
        return programme_changes.conference_attendee_clashes(conference)

    def seminar_panel(self, request, seminar):
        from .views.attendee import item_panel, seminar_panel

        if not seminar.is_bookable:
            # A plenary, break or exhibition: nothing to book (its page says so), but a streamed plenary's
            # link is for everyone registered.
            return item_panel(request, seminar)
        return seminar_panel(request, seminar)

    def day_extra(self, conference, day):
        from .views.attendee import day_seat_status

        return day_seat_status(conference, day)

    def people_affected(self, seminar_ids) -> int:
        return programme_changes.people_affected(seminar_ids)

    def announce_release(self, release, changes) -> None:
        programme_changes.announce_release(release, changes)
