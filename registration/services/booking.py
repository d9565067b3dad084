"""Seminar seats: booking, waiting lists, cancellation and promotion, guarded by a lock on the seminar row.

Capacity is decided only here, inside a transaction that holds the seminar row locked
(`select_for_update`), so concurrent requests are served one at a time per seminar.
"""

from __future__ import annotations

from datetime import datetime

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.models import Seminar, SeminarStatus

from ..models import Booking, BookingStatus, Registration

# How long a request waits for another booking on the same seminar before answering "busy".
LOCK_TIMEOUT_MS = 3000
ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


class BookingError(Exception):
    """A booking request was refused. `code` is stable; `message` is translated for the attendee."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _bounded_lock_wait() -> None:
    """On PostgreSQL, make every row lock in this transaction wait at most LOCK_TIMEOUT_MS."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_MS)}ms'")


def _busy() -> BookingError:
    return BookingError("busy", _("Many people are booking right now. Please try again in a moment."))


def lock_seminar(seminar_id: int) -> Seminar:
    """Lock and return the seminar row. Call inside atomic.

    Waits at most LOCK_TIMEOUT_MS on PostgreSQL; raises BookingError("busy") when the wait runs out.
    SQLite serialises writers itself (IMMEDIATE transactions with a busy timeout).
    """
    try:
        _bounded_lock_wait()
        return Seminar.objects.select_for_update(of=("self",)).select_related("conference", "room").get(
            pk=seminar_id
        )
    except DatabaseError as error:
        raise _busy() from error


def lock_registration(registration_id: int) -> None:
    """Lock the attendee's registration row. Call inside atomic, before lock_seminar (always this order).

    Serialises one person's bookings, so two tabs booking overlapping seminars cannot both win.
    """
    try:
        _bounded_lock_wait()
        # order_by() drops Registration's default ordering, whose join would lock the conference row too.
        Registration.objects.select_for_update(of=("self",)).filter(pk=registration_id).order_by().values_list(
            "pk"
        ).first()
    except DatabaseError as error:
        raise _busy() from error


def confirmed_count(seminar: Seminar) -> int:
    return Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED).count()


def current_time() -> datetime:
    """The booking rules' clock (tests move it to the demo conference's weeks)."""
    return timezone.now()


def _check_bookable(registration: Registration, seminar: Seminar, now: datetime, *, at_the_door: bool) -> None:
    if not registration.is_active:
        raise BookingError("registration_cancelled", _("Your registration is cancelled."))
    if seminar.conference_id != registration.conference_id:
        raise BookingError("wrong_conference", _("This seminar belongs to another conference."))
    if seminar.status == SeminarStatus.CANCELLED:
        raise BookingError("seminar_cancelled", _("This seminar is cancelled."))
    if seminar.status != SeminarStatus.PUBLISHED or not seminar.conference.is_published:
        raise BookingError("not_bookable", _("This seminar cannot be booked."))
    opens = seminar.conference.booking_opens_at
    if opens is None or now < opens:
        raise BookingError("booking_closed", _("Seat booking has not opened yet."))
    # Online booking closes when the seminar starts; at the door a walk-in can be seated until it ends.
    if at_the_door and now >= seminar.end:
        raise BookingError("ended", _("This seminar is over."))
    if not at_the_door and now >= seminar.start:
        raise BookingError("started", _("This seminar has already started, so seats can no longer be booked "
                                        "online. Ask at the door."))


def _own_and_overlapping(registration: Registration, seminar: Seminar) -> tuple[Booking | None, Booking | None]:
    """In one query: the registration's booking of `seminar` (any status), and its first (lowest id) active
    booking of another published seminar that overlaps `seminar` in time."""
    rows = list(
        Booking.objects.filter(registration=registration)
        .filter(
            Q(seminar=seminar)
            | Q(status__in=ACTIVE, seminar__start__lt=seminar.end, seminar__end__gt=seminar.start,
                seminar__status=SeminarStatus.PUBLISHED)
        )
        .select_related("seminar").order_by("pk")
    )
    own = next((row for row in rows if row.seminar_id == seminar.pk), None)
    other = next((row for row in rows if row.seminar_id != seminar.pk), None)
    return own, other


def _reuse_loaded(source: Seminar, locked: Seminar) -> None:
    """Hand the locked copy the speakers (prefetched by the programme's selectors) and track the caller
    already loaded: the emails after commit show them, and neither is part of the booking decision."""
    if source is locked or source.pk != locked.pk:
        return
    if hasattr(source, "ordered_speakers"):
        locked.ordered_speakers = source.ordered_speakers
    if source.track_id == locked.track_id and Seminar.track.is_cached(source):
        locked.track = source.track


def book_seat(
    *, registration: Registration, seminar: Seminar, waitlist: bool = True, now: datetime | None = None,
    notify: bool = True, at_the_door: bool = False,
) -> Booking:
    """Give `registration` a confirmed seat in `seminar`, or a place in its line when it is full.

    Never more confirmed seats than the seminar's capacity: locks the registration row (one person's
    bookings one at a time, so no two overlapping seats) and then the seminar row, counts, then writes.
    Idempotent: asking again for a seminar already booked or waited for returns that booking.
    With waitlist=False a full seminar raises BookingError("full") instead.
    Online booking closes when the seminar starts; `at_the_door` (a walk-in) allows it until the end.
    Raises BookingError with codes: registration_cancelled, wrong_conference, seminar_cancelled,
    not_bookable, booking_closed, started, ended, overlap, full, busy. Emails go out after commit when `notify`.
    """
    now = now or current_time()
    _check_bookable(registration, seminar, now, at_the_door=at_the_door)
    with transaction.atomic():
        lock_registration(registration.pk)
        loaded, seminar = seminar, lock_seminar(seminar.pk)
        _reuse_loaded(loaded, seminar)
        _check_bookable(registration, seminar, now, at_the_door=at_the_door)
        booking, other = _own_and_overlapping(registration, seminar)
        if booking is not None and booking.status in ACTIVE:
            return booking
        if other is not None:
            raise BookingError("overlap", _("This seminar overlaps “%(title)s”, which you have already booked.")
                               % {"title": other.seminar.title})
        has_seat = confirmed_count(seminar) < seminar.capacity
        if not has_seat and not waitlist:
            raise BookingError("full", _("The seminar is full."))
        status = BookingStatus.CONFIRMED if has_seat else BookingStatus.WAITLISTED
        if booking is None:
            try:
                with transaction.atomic():
                    booking = Booking.objects.create(
                        registration=registration, seminar=seminar, status=status, queued_at=now,
                        confirmed_at=now if has_seat else None,
                    )
            except IntegrityError:
                # A double click that slipped past the lock (SQLite without IMMEDIATE): one row wins.
                return Booking.objects.get(registration=registration, seminar=seminar)
        else:
            booking.status = status
            booking.queued_at = now
            booking.confirmed_at = now if has_seat else None
            booking.cancelled_at = None
            booking.save(update_fields=["status", "queued_at", "confirmed_at", "cancelled_at", "updated_at"])
        booking.seminar = seminar
        if notify:
            _notify_on_commit("booked" if has_seat else "waitlisted", [booking])
    return booking


def cancel_booking(*, booking: Booking, now: datetime | None = None, notify: bool = True) -> list[Booking]:
    """Cancel a seat or a place in line. A freed seat goes to the first in line in the same transaction.

    Idempotent for a booking already cancelled. Returns the bookings promoted from the line.
    """
    now = now or timezone.now()
    with transaction.atomic():
        seminar = lock_seminar(booking.seminar_id)
        booking = Booking.objects.select_for_update(of=("self",)).select_related("registration").get(pk=booking.pk)
        if booking.status == BookingStatus.CANCELLED:
            return []
        was_confirmed = booking.status == BookingStatus.CONFIRMED
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
        booking.seminar = seminar
        promoted = promote_waitlist(seminar=seminar, now=now, notify=notify) if was_confirmed else []
        if notify:
            _notify_on_commit("cancelled", [booking])
    return promoted


def promote_waitlist(*, seminar: Seminar, now: datetime | None = None, notify: bool = True) -> list[Booking]:
    """Fill free seats from the front of the line, in order. Call inside atomic with the seminar row locked.

    Returns the promoted bookings; each is emailed after commit.
    """
    now = now or timezone.now()
    if seminar.status != SeminarStatus.PUBLISHED:
        return []
    free = seminar.capacity - confirmed_count(seminar)
    if free <= 0:
        return []
    line = list(
        Booking.objects.select_for_update(of=("self",)).filter(seminar=seminar, status=BookingStatus.WAITLISTED)
        .select_related("registration").order_by("queued_at", "id")[:free]
    )
    for booking in line:
        booking.status = BookingStatus.CONFIRMED
        booking.confirmed_at = now
        booking.save(update_fields=["status", "confirmed_at", "updated_at"])
        booking.seminar = seminar
    if line and notify:
        _notify_on_commit("promoted", line)
    return line


def fit_bookings_to_capacity(*, seminar_id: int, notify: bool = True) -> tuple[list[Booking], list[Booking]]:
    """After an organiser changed a seminar's capacity: promote into new seats, or move the most recently
    confirmed bookings beyond the capacity back to the front of the line (the organiser confirmed this).

    Returns (promoted, demoted).
    """
    with transaction.atomic():
        seminar = lock_seminar(seminar_id)
        confirmed = list(
            Booking.objects.select_for_update(of=("self",)).filter(seminar=seminar, status=BookingStatus.CONFIRMED)
            .select_related("registration").order_by("confirmed_at", "id")
        )
        excess = confirmed[seminar.capacity:]
        for booking in excess:
            booking.status = BookingStatus.WAITLISTED
            booking.confirmed_at = None
            booking.save(update_fields=["status", "confirmed_at", "updated_at"])
            booking.seminar = seminar
        if excess and notify:
            _notify_on_commit("demoted", excess)
        promoted = [] if excess else promote_waitlist(seminar=seminar, notify=notify)
    return promoted, excess


def cancel_seminar_bookings(*, seminar_id: int, now: datetime | None = None, notify: bool = True) -> list[Booking]:
    """The seminar was cancelled: every seat and place in line is cancelled and each person emailed."""
    now = now or timezone.now()
    with transaction.atomic():
        seminar = lock_seminar(seminar_id)
        bookings = list(
            Booking.objects.select_for_update(of=("self",)).filter(seminar=seminar, status__in=ACTIVE)
            .select_related("registration")
        )
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
            status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now
        )
        for booking in bookings:
            booking.status = BookingStatus.CANCELLED
            booking.seminar = seminar
        if bookings and notify:
            _notify_on_commit("seminar_cancelled", bookings)
    return bookings


def notify_seminar_moved(*, seminar_id: int) -> list[Booking]:
    """The seminar moved in time or room: everyone holding a seat or a place in line is emailed."""
    seminar = Seminar.objects.select_related("conference", "room").get(pk=seminar_id)
    bookings = list(
        Booking.objects.filter(seminar=seminar, status__in=ACTIVE).select_related("registration")
    )
    for booking in bookings:
        booking.seminar = seminar
    from ..emails import send_booking_emails

    send_booking_emails("moved", bookings)
    return bookings


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first in line; None when the booking is not waiting."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = Booking.objects.filter(seminar_id=booking.seminar_id, status=BookingStatus.WAITLISTED).filter(
        Q(queued_at__lt=booking.queued_at) | Q(queued_at=booking.queued_at, id__lt=booking.id)
    ).count()
    return ahead + 1


def seat_counts(seminar_ids) -> dict[int, dict[str, int]]:
    """Confirmed and waitlisted counts per seminar in one query."""
    rows = (
        Booking.objects.filter(seminar_id__in=list(seminar_ids), status__in=ACTIVE)
        .values("seminar_id")
        .annotate(
            confirmed=Count("id", filter=Q(status=BookingStatus.CONFIRMED)),
            waitlisted=Count("id", filter=Q(status=BookingStatus.WAITLISTED)),
        )
    )
    return {row["seminar_id"]: {"confirmed": row["confirmed"], "waitlisted": row["waitlisted"]} for row in rows}


def _notify_on_commit(kind: str, bookings: list[Booking]) -> None:
    from ..emails import send_booking_emails

    transaction.on_commit(lambda: send_booking_emails(kind, bookings), robust=True)
