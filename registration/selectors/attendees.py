"""Read paths for attendees' pages: the active registration, my bookings with positions, delegations, seat counts."""

from datetime import datetime, time, timedelta
from itertools import groupby

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from common.prepared import PreparedQuery
from sessions.models import LOCAL_TZ, Seminar, SeminarKind, SeminarStatus

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


def stream_link_for(registration: Registration | None, seminar) -> str:
    """The seminar's stream or meeting link when `registration` may see it, else "". The one rule: an active
    registration of the seminar's conference, for a published seminar that has a link. Public pages, feeds,
    exports and the API never show it; the personal feed only where the organiser allows it."""
    if registration is None or not registration.is_active or registration.conference_id != seminar.conference_id:
        return ""
    if seminar.status != SeminarStatus.PUBLISHED:
        return ""
    return seminar.stream_url


def streamed_items_for(registration: Registration) -> list:
    """The published items for everyone (plenaries, keynotes: nothing to book) of the registration's
    conference that are streamed, in time order, each with `link`: the stream link as this person may see
    it (stream_link_for). One query; what My programme lists besides the person's bookings."""
    items = list(
        Seminar.objects.filter(conference_id=registration.conference_id, status=SeminarStatus.PUBLISHED)
        .exclude(kind=SeminarKind.SEMINAR).exclude(stream_url="").select_related("room", "conference")
        .order_by("start", "pk")
    )
    for item in items:
        item.link = stream_link_for(registration, item)
    return [item for item in items if item.link]


def my_bookings_by_day(registration: Registration) -> list[tuple]:
    """(day, [booking, ...]) for seats, places in line, watch places and seminar-cancelled bookings, and seats
    the system released (a move that clashed, a line that gave a seat elsewhere), each waiting one with
    `position`, each with `stream_url` (the link this person may see, or "")."""
    ahead = (
        Booking.objects.filter(seminar_id=OuterRef("seminar_id"), status=BookingStatus.WAITLISTED)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), id__lt=OuterRef("id")))
        .values("seminar_id").annotate(n=Count("id")).values("n")
    )
    bookings = list(
        Booking.objects.filter(registration=registration)
        .filter(Q(status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED, BookingStatus.WATCHING])
                | Q(seminar__status="cancelled") | ~Q(released_reason=""))
        .select_related("seminar__room", "seminar__track", "seminar__conference", "released_for")
        .annotate(ahead=Subquery(ahead))
        .order_by("seminar__start")
    )
    for booking in bookings:
        booking.position = (booking.ahead or 0) + 1 if booking.status == BookingStatus.WAITLISTED else None
        booking.stream_url = stream_link_for(registration, booking.seminar) if booking.status != "cancelled" else ""
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


def seminars_for_member(registration: Registration) -> list[tuple]:
    """(day, [seminar, ...]) of the conference's published seminars for a coordinator booking on a member's
    behalf, each with `free`, `waiting` and `member_status` (the member's booking: confirmed, waitlisted,
    or None). One query."""
    from sessions.models import Seminar, SeminarStatus

    mine = Booking.objects.filter(registration=registration, seminar=OuterRef("pk")).values("status")[:1]
    seminars = list(
        Seminar.objects.public().bookable()
        .filter(conference_id=registration.conference_id, status=SeminarStatus.PUBLISHED)
        .select_related("room", "conference")
        .annotate(confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
                  waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
                  member_status=Subquery(mine))
        .order_by("start", "title")
    )
    for seminar in seminars:
        seminar.free = max(seminar.capacity - seminar.confirmed, 0)
        if seminar.member_status == BookingStatus.CANCELLED:
            seminar.member_status = None
    return [
        (day, list(items))
        for day, items in groupby(seminars, key=lambda s: timezone.localtime(s.start, LOCAL_TZ).date())
    ]


def _build_day_seats(param):
    return (
        Seminar.objects.filter(
            conference_id=param("conference", models.IntegerField()), kind=SeminarKind.SEMINAR,
            status=SeminarStatus.PUBLISHED, start__gte=param("start", models.DateTimeField()),
            start__lt=param("end", models.DateTimeField()),
        )
        .values_list("code", "capacity", "bookings__status").annotate(count=Count("bookings")).order_by()
    )


# Every day page asks for this (outside its cache), so it is compiled once (common/prepared.py): a row per
# seminar and booking status, folded below; cheaper to build than one filtered count per status.
_DAY_SEATS = PreparedQuery(_build_day_seats)


def seat_status_for_day(conference, day) -> dict[str, dict]:
    """{seminar code: {"free", "waiting"}} for a published conference's seminars of a day (not plenaries,
    breaks or exhibition hours, which have no seats), in one query."""
    if not conference.is_published:
        return {}
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    status: dict[str, dict] = {}
    for code, capacity, booking_status, count in _DAY_SEATS.rows(
        conference=conference.pk, start=start, end=start + timedelta(days=1)
    ):
        seats = status.setdefault(code, {"free": capacity, "waiting": 0})
        if booking_status == BookingStatus.CONFIRMED:
            seats["free"] = max(capacity - count, 0)
        elif booking_status == BookingStatus.WAITLISTED:
            seats["waiting"] = count
    return status
