"""Read paths for attendees' pages: the active registration, my bookings with positions, delegations, seat counts."""

from itertools import groupby

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from sessions.models import LOCAL_TZ

from ..models import Booking, BookingStatus, Delegation, Registration, RegistrationStatus


def registration_for(user, conference, *, lean: bool = False) -> Registration | None:
    """The user's active registration for the conference, or None. `lean` skips the organisation
    (for actions like booking that do not show it)."""
    if not user.is_authenticated:
        return None
    registrations = Registration.objects.filter(user=user, conference=conference, status=RegistrationStatus.ACTIVE)
    if lean:
        return registrations.order_by().first()
    return registrations.select_related("conference", "municipality", "region").first()


def my_bookings_by_day(registration: Registration) -> list[tuple]:
    """(day, [booking, ...]) for active and seminar-cancelled bookings, and seats the system released (a move
    that clashed, a line that gave a seat elsewhere), each waiting one with `position`."""
    ahead = (
        Booking.objects.filter(seminar_id=OuterRef("seminar_id"), status=BookingStatus.WAITLISTED)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), id__lt=OuterRef("id")))
        .values("seminar_id").annotate(n=Count("id")).values("n")
    )
    bookings = list(
        Booking.objects.filter(registration=registration)
        .filter(Q(status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]) | Q(seminar__status="cancelled")
                | ~Q(released_reason=""))
        .select_related("seminar__room", "seminar__track", "seminar__conference", "released_for")
        .annotate(ahead=Subquery(ahead))
        .order_by("seminar__start")
    )
    for booking in bookings:
        booking.position = (booking.ahead or 0) + 1 if booking.status == BookingStatus.WAITLISTED else None
    return [
        (day, list(items))
        for day, items in groupby(bookings, key=lambda b: timezone.localtime(b.seminar.start, LOCAL_TZ).date())
    ]


def coordinated_delegation(user, conference, public_id) -> Delegation | None:
    return Delegation.objects.filter(coordinator=user, conference=conference, public_id=public_id).first()


def delegation_members(delegation: Delegation) -> list[Registration]:
    return list(
        delegation.members.select_related("municipality", "region")
        .annotate(seats=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)))
        .order_by("status", "name")
    )


def seat_status_for_day(conference, day) -> dict[str, dict]:
    """{seminar code: {"free", "waiting"}} for a day's published seminars (not plenaries, breaks or
    exhibition hours, which have no seats), in one query."""
    from datetime import datetime, time, timedelta

    from sessions.models import Seminar

    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    rows = (
        Seminar.objects.public().bookable().filter(conference=conference, status="published", start__gte=start,
                                        start__lt=start + timedelta(days=1))
        .annotate(confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
                  waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)))
        .values_list("code", "capacity", "confirmed", "waiting")
    )
    return {code: {"free": max(capacity - confirmed, 0), "waiting": waiting}
            for code, capacity, confirmed, waiting in rows}
