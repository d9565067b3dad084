"""Seminar seats: booking, waiting lists, cancellation and promotion, guarded by a lock on the seminar row.

Capacity is decided only here, inside a transaction that holds the seminar row locked (common.locking),
so concurrent requests are served one at a time per seminar. A person may hold a confirmed seat in one
seminar while queueing for another at the same time (a fallback seat); when the line gives them the
seat, the overlapping one is released in the same transaction and goes to the next in that line.
Emails are outbox rows written in the same transaction (registration.emails).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from common.errors import BusyError
from common.locking import lock, lock_one
from sessions.models import Seminar, SeminarStatus

from ..errors import BookingError, Code
from ..models import Booking, BookingStatus, Registration, ReleaseReason, TicketCategory

ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
# Everything a person holds in a seminar: room seats, places in line and digital watch places. ACTIVE (the
# seats and lines) is what capacity, lines, overlaps and doors look at; watch places are never among them.
HELD = (*ACTIVE, BookingStatus.WATCHING)


def lock_seminar(seminar_id: int) -> Seminar:
    """Lock and return the seminar row (with its conference and room). Call inside atomic.

    Raises BookingError("busy") when another transaction holds it for longer than the lock timeout.
    """
    try:
        return lock_one(Seminar.objects.select_related("conference", "room"), seminar_id)
    except BusyError as error:
        raise BookingError(Code.BUSY) from error


def lock_registrations(registration_ids) -> None:
    """Lock attendees' registration rows. Call inside atomic, before lock_seminar when both are needed.

    Serialises one person's bookings, so two tabs booking overlapping seminars cannot both win.
    """
    try:
        lock(Registration.objects.filter(pk__in=list(registration_ids)))
    except BusyError as error:
        raise BookingError(Code.BUSY) from error


def confirmed_count(seminar: Seminar) -> int:
    return Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED).count()


def has_free_seat(seminar: Seminar) -> bool:
    """Whether the seminar can take one more confirmed seat right now (not locked: for display and hints)."""
    return confirmed_count(seminar) < seminar.capacity


def current_time() -> datetime:
    """The booking rules' clock (tests move it to the demo conference's weeks)."""
    return timezone.now()


def _check_bookable(registration: Registration, seminar: Seminar, now: datetime, *, at_the_door: bool) -> None:
    if not registration.is_active:
        raise BookingError(Code.REGISTRATION_CANCELLED)
    if seminar.conference_id != registration.conference_id:
        raise BookingError(Code.WRONG_CONFERENCE)
    if seminar.status == SeminarStatus.CANCELLED:
        raise BookingError(Code.SEMINAR_CANCELLED)
    if not seminar.is_bookable:
        raise BookingError(Code.NO_SEATS)
    if seminar.status != SeminarStatus.PUBLISHED or not seminar.conference.is_published:
        raise BookingError(Code.NOT_BOOKABLE)
    opens = seminar.conference.booking_opens_at
    if opens is None or now < opens:
        raise BookingError(Code.BOOKING_CLOSED)
    # Online booking closes when the seminar starts; at the door a walk-in can be seated until it ends.
    if at_the_door and now >= seminar.end:
        raise BookingError(Code.ENDED)
    if not at_the_door and now >= seminar.start:
        raise BookingError(Code.STARTED)


def in_published_seminars_overlapping(seminar: Seminar) -> Q:
    """Bookings of published seminars that share time with `seminar` (as it is in memory; back to back
    does not overlap). The one overlap rule for seats; `seminar` itself is not excluded."""
    return Q(seminar__status=SeminarStatus.PUBLISHED, seminar__start__lt=seminar.end, seminar__end__gt=seminar.start)


def overlapping_bookings(registration_id: int, seminar: Seminar, *, statuses=ACTIVE):
    """The person's bookings (in `statuses`) of other published seminars that overlap `seminar` in time."""
    return (
        Booking.objects.filter(in_published_seminars_overlapping(seminar), registration_id=registration_id,
                               status__in=statuses)
        .exclude(seminar_id=seminar.pk)
    )


def _own_and_overlapping(registration: Registration, seminar: Seminar) -> tuple[Booking | None, list[Booking]]:
    """In one query: the registration's booking of `seminar` (any status), and its active bookings of other
    published seminars that overlap it, oldest first."""
    rows = list(
        Booking.objects.filter(registration=registration)
        .filter(
            Q(seminar=seminar) | (Q(status__in=ACTIVE) & in_published_seminars_overlapping(seminar))
        )
        .select_related("seminar").order_by("pk")
    )
    own = next((row for row in rows if row.seminar_id == seminar.pk), None)
    return own, [row for row in rows if row.seminar_id != seminar.pk]


def _reuse_loaded(source: Seminar, locked: Seminar) -> None:
    """Hand the locked copy the speakers and track the caller already loaded (pages show them after)."""
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

    Never more confirmed seats than the seminar's capacity, and never two overlapping confirmed seats:
    locks the registration row (one person's bookings one at a time) and then the seminar row, counts,
    then writes. A confirmed seat elsewhere at the same time does not stop queueing here (it is the
    fallback, released if this line gives a seat); it does stop taking a free seat here ("overlap").
    Idempotent: asking again for a seminar already booked or waited for returns that booking. A new place in
    line carries its `position`, counted under the lock.
    With waitlist=False a full seminar raises BookingError("full") instead.
    Online booking closes when the seminar starts; `at_the_door` (a walk-in) allows it until the end.
    Raises BookingError with codes: registration_cancelled, wrong_conference, seminar_cancelled,
    not_bookable, no_seats (a plenary, break or exhibition), booking_closed, started, ended, overlap, full,
    busy. Emails are promised when `notify`. A digital participant never gets a room seat: online they get a
    watch place (book_watch_place), at the door BookingError("digital_no_seat").
    """
    now = now or current_time()
    if is_digital(registration):
        if at_the_door:
            raise BookingError(Code.DIGITAL_NO_SEAT)
        return book_watch_place(registration=registration, seminar=seminar, now=now, notify=notify)
    _check_bookable(registration, seminar, now, at_the_door=at_the_door)
    with transaction.atomic():
        lock_registrations([registration.pk])
        loaded, seminar = seminar, lock_seminar(seminar.pk)
        _reuse_loaded(loaded, seminar)
        _check_bookable(registration, seminar, now, at_the_door=at_the_door)
        booking, overlapping = _own_and_overlapping(registration, seminar)
        if booking is not None and booking.status in ACTIVE:
            return booking
        has_seat = confirmed_count(seminar) < seminar.capacity
        held = next((other for other in overlapping if other.status == BookingStatus.CONFIRMED), None)
        if has_seat and held is not None:
            raise BookingError(Code.OVERLAP, title=held.seminar.title)
        if not has_seat and not waitlist:
            raise BookingError(Code.FULL)
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
            booking.released_reason, booking.released_for = "", None
            booking.save(update_fields=["status", "queued_at", "confirmed_at", "cancelled_at", "released_reason",
                                        "released_for", "updated_at"])
        booking.seminar = seminar
        booking.registration = registration
        # Counted while the seminar is still locked, so concurrent bookings cannot make it wrong.
        booking.position = None if has_seat else waitlist_position(booking)
        if notify:
            _promise("booked" if has_seat else "waitlisted", [booking])
    return booking


def is_digital(registration: Registration) -> bool:
    """Whether the registration is a digital ticket: watch places only, never a room seat."""
    return registration.category == TicketCategory.DIGITAL


def book_watch_place(*, registration: Registration, seminar: Seminar, now: datetime | None = None,
                     notify: bool = True) -> Booking:
    """Give a digital participant a watch place in a streamed seminar: confirmed at once, no seat, no line.

    Watch places take no room seat, so capacity is not counted and the seminar may be full; they open no
    door (the door admits confirmed seats only). The overlap rule is relaxed on purpose: someone following
    streams may switch between two at the same time. Booking stays open until the seminar ends (joining a
    stream late is normal). Locks the registration, then the seminar row (so a cancellation that is
    listing the seminar's bookings cannot miss this one). Idempotent: a place already held is returned.
    Raises BookingError: not_streamed, and the codes of book_seat except overlap, full and started.
    """
    now = now or current_time()
    if not seminar.is_streamed:
        raise BookingError(Code.NOT_STREAMED)
    _check_bookable(registration, seminar, now, at_the_door=True)
    with transaction.atomic():
        lock_registrations([registration.pk])
        seminar = lock_seminar(seminar.pk)
        if not seminar.is_streamed:
            raise BookingError(Code.NOT_STREAMED)
        _check_bookable(registration, seminar, now, at_the_door=True)
        booking = Booking.objects.filter(registration=registration, seminar=seminar).first()
        if booking is not None and booking.status in HELD:
            return booking
        if booking is None:
            try:
                with transaction.atomic():
                    booking = Booking.objects.create(registration=registration, seminar=seminar,
                                                     status=BookingStatus.WATCHING, queued_at=now, confirmed_at=now)
            except IntegrityError:
                return Booking.objects.get(registration=registration, seminar=seminar)
        else:
            booking.status = BookingStatus.WATCHING
            booking.queued_at = booking.confirmed_at = now
            booking.cancelled_at = None
            booking.released_reason, booking.released_for = "", None
            booking.save(update_fields=["status", "queued_at", "confirmed_at", "cancelled_at", "released_reason",
                                        "released_for", "updated_at"])
        booking.seminar, booking.registration, booking.position = seminar, registration, None
        if notify:
            _promise("watching", [booking])
    return booking


def cancel_booking(*, booking: Booking, now: datetime | None = None, notify: bool = True) -> list[Booking]:
    """Cancel a seat or a place in line. A freed seat goes to the first in line in the same transaction.

    Idempotent for a booking already cancelled. Returns the bookings promoted from the line.
    """
    now = now or timezone.now()
    with transaction.atomic():
        seminar = lock_seminar(booking.seminar_id)
        booking = lock_one(Booking.objects.select_related("registration"), booking.pk)
        if booking.status == BookingStatus.CANCELLED:
            return []
        was_confirmed = booking.status == BookingStatus.CONFIRMED
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
        booking.seminar = seminar
        promoted = promote_waitlist(seminar=seminar, now=now, notify=notify) if was_confirmed else []
        if notify:
            _promise("cancelled", [booking])
    return promoted


def promote_waitlist(*, seminar: Seminar, now: datetime | None = None, notify: bool = True) -> list[Booking]:
    """Fill free seats from the front of the line, in order. Call inside atomic with the seminar row locked.

    Each promoted person's confirmed seat in an overlapping seminar (their fallback) is released, and
    that seminar's line moves up in turn, so a promotion never leaves anyone with two overlapping
    seats. Returns the bookings promoted here; each person is emailed (naming what was released).
    """
    now = now or timezone.now()
    if seminar.status != SeminarStatus.PUBLISHED:
        return []
    promoted: list[Booking] = []
    while (free := seminar.capacity - confirmed_count(seminar)) > 0:
        line = list(
            Booking.objects.filter(seminar=seminar, status=BookingStatus.WAITLISTED)
            .select_related("registration").order_by("queued_at", "id")[:free]
        )
        if not line:
            break
        lock_registrations(b.registration_id for b in line)
        for booking in line:
            booking.status = BookingStatus.CONFIRMED
            booking.confirmed_at = now
            booking.save(update_fields=["status", "confirmed_at", "updated_at"])
            booking.seminar = seminar
            released = release_overlapping_seats(booking=booking, now=now, notify=notify)
            if notify:
                _promise("promoted", [booking], released=[b.seminar_id for b in released])
            promoted.append(booking)
    return promoted


def release_overlapping_seats(*, booking: Booking, now: datetime, notify: bool = True) -> list[Booking]:
    """Cancel the person's other confirmed seats that overlap `booking`'s seminar, promoting in each.

    Call inside atomic, holding the person's registration lock. Returns the released bookings.
    """
    released = list(
        overlapping_bookings(booking.registration_id, booking.seminar, statuses=[BookingStatus.CONFIRMED])
        .order_by("pk")
    )
    for other in released:
        other_seminar = lock_seminar(other.seminar_id)
        release_seat(other, now=now, reason=ReleaseReason.FALLBACK, kept=booking.seminar)
        other.seminar = other_seminar
        promote_waitlist(seminar=other_seminar, now=now, notify=notify)
    return released


def release_seat(booking: Booking, *, now: datetime, reason: str, kept: Seminar | None) -> None:
    """Cancel a seat the system gives up for the person (they keep `kept`), saying why for My programme.
    Call inside atomic with the booking's seminar locked; promoting that seminar's line is the caller's."""
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.released_reason = reason
    booking.released_for = kept
    booking.save(update_fields=["status", "cancelled_at", "released_reason", "released_for", "updated_at"])


def fit_bookings_to_capacity(*, seminar: Seminar, now: datetime | None = None, notify: bool = True
                             ) -> tuple[list[Booking], list[Booking]]:
    """After an organiser changed a seminar's seats (or published it): promote into new seats, or move the
    most recently confirmed bookings beyond the capacity back to the front of the line (the organiser
    confirmed this). Call inside atomic with the seminar row locked. Returns (promoted, demoted).
    """
    now = now or timezone.now()
    confirmed = list(
        Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED)
        .select_related("registration").order_by("confirmed_at", "id")
    )
    excess = confirmed[seminar.capacity:]
    for booking in excess:
        booking.status = BookingStatus.WAITLISTED
        booking.confirmed_at = None
        booking.save(update_fields=["status", "confirmed_at", "updated_at"])
        booking.seminar = seminar
    if excess and notify:
        _promise("demoted", excess)
    promoted = [] if excess else promote_waitlist(seminar=seminar, now=now, notify=notify)
    return promoted, excess


def cancel_seminar_bookings(*, seminar: Seminar, now: datetime | None = None, notify: bool = True,
                            reason: str = "") -> list[Booking]:
    """The seminar was cancelled: every seat and place in line is cancelled and each person emailed.

    Call inside atomic with the seminar row locked.
    """
    now = now or timezone.now()
    bookings = list(
        Booking.objects.filter(seminar=seminar, status__in=HELD).select_related("registration").order_by("pk")
    )
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now
    )
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        booking.seminar = seminar
    if bookings and notify:
        _promise("seminar_cancelled", bookings, revision=f"seminar-{seminar.revision}",
                 **({"reason": reason} if reason else {}))
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
    """Confirmed (room seats), waitlisted and watching (digital, no seat) counts per seminar in one query."""
    rows = (
        Booking.objects.filter(seminar_id__in=list(seminar_ids), status__in=HELD)
        .values("seminar_id")
        .annotate(
            confirmed=Count("id", filter=Q(status=BookingStatus.CONFIRMED)),
            waitlisted=Count("id", filter=Q(status=BookingStatus.WAITLISTED)),
            watching=Count("id", filter=Q(status=BookingStatus.WATCHING)),
        )
    )
    return {row["seminar_id"]: {"confirmed": row["confirmed"], "waitlisted": row["waitlisted"],
                                "watching": row["watching"]} for row in rows}


def _promise(kind: str, bookings: list[Booking], *, revision=None, **params) -> None:
    from ..emails import booking_email

    for booking in bookings:
        booking_email(kind, booking, revision=revision, **params)
