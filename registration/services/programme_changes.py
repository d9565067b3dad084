"""How bookings follow programme changes: what a change would do to people, and doing it.

Called by the programme through its bookings port (sessions.ports, wired in registration.seam) inside
the programme change's own transaction, with the seminar row already locked: a capacity cut, a
cancellation and a move adjust bookings in that transaction, or the whole change rolls back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions.models import Release, Seminar, SeminarStatus
from sessions.ports import AttendeeClash, SeminarBefore
from sessions.services import Code as ProgrammeCode
from sessions.services import Conflict

from ..models import Booking, BookingStatus, ReleaseReason
from .booking import (
    ACTIVE,
    HELD,
    cancel_seminar_bookings,
    fit_bookings_to_capacity,
    in_published_seminars_overlapping,
    lock_registrations,
    lock_seminar,
    overlapping_bookings,
    promote_waitlist,
    release_seat,
    seat_counts,
)


@dataclass(frozen=True)
class Clash:
    """One person whose confirmed seat in the moved seminar overlaps their other confirmed seats."""

    registration_id: int
    mine: Booking
    others: tuple[Booking, ...]


def attendee_clashes(seminar: Seminar) -> list[Clash]:
    """People with a confirmed seat in `seminar` (at its time in memory) and another confirmed seat in a
    published seminar that overlaps it. Two queries."""
    mine = {
        b.registration_id: b
        for b in Booking.objects.filter(seminar_id=seminar.pk, status=BookingStatus.CONFIRMED).select_related(
            "registration")
    }
    if not mine:
        return []
    others: dict[int, list[Booking]] = {}
    overlapping = (
        Booking.objects.filter(in_published_seminars_overlapping(seminar), registration_id__in=list(mine),
                               status=BookingStatus.CONFIRMED)
        .exclude(seminar_id=seminar.pk).select_related("seminar").order_by("pk")
    )
    for booking in overlapping:
        others.setdefault(booking.registration_id, []).append(booking)
    return [Clash(pk, mine[pk], tuple(found)) for pk, found in others.items()]


def check_change(seminar: Seminar, before: SeminarBefore | None) -> list[Conflict]:
    """Problems a change to a booked seminar causes. Only the drafting one cannot be confirmed."""
    if before is None or seminar.status == SeminarStatus.CANCELLED:
        return []
    counts = seat_counts([seminar.pk]).get(seminar.pk, {"confirmed": 0, "waitlisted": 0, "watching": 0})
    # Watch places count here: the people following the stream must be told too.
    confirmed, waitlisted = counts["confirmed"], counts["waitlisted"] + counts["watching"]
    problems = []
    if seminar.status == SeminarStatus.DRAFT and confirmed + waitlisted:
        problems.append(Conflict(
            ProgrammeCode.UNPUBLISH_WITH_BOOKINGS,
            _("%(n)d people have booked this seminar or wait for a seat. Cancel it instead of making it a "
              "draft, so that they are told.") % {"n": confirmed + waitlisted},
            field="status",
        ))
    if seminar.capacity is not None and seminar.capacity < confirmed:
        problems.append(Conflict(
            ProgrammeCode.CAPACITY_BELOW_BOOKINGS,
            _("%(booked)d seats are already booked but the seminar would have only %(seats)d. The %(excess)d "
              "most recent bookings will lose their seat and go first in the waiting list.")
            % {"booked": confirmed, "seats": seminar.capacity, "excess": confirmed - seminar.capacity},
            field="capacity", confirmable=True,
        ))
    moved = (seminar.start, seminar.end) != (before.start, before.end)
    if moved and seminar.status == SeminarStatus.PUBLISHED and confirmed:
        clashes = attendee_clashes(seminar)
        if clashes:
            problems.append(Conflict(
                ProgrammeCode.ATTENDEE_CLASH, clash_message(clashes), field="start", confirmable=True,
            ))
    return problems


def clash_message(clashes: list[Clash]) -> str:
    per_seminar = Counter(other.seminar.title for clash in clashes for other in clash.others)
    seminars = ", ".join(f"“{title}” ({n})" for title, n in sorted(per_seminar.items()))
    people = ngettext(
        "%(n)d person who booked this seminar has a seat at the new time in: %(seminars)s.",
        "%(n)d people who booked this seminar have seats at the new time in: %(seminars)s.",
        len(clashes),
    ) % {"n": len(clashes), "seminars": seminars}
    return people + " " + _(
        "If you save, each keeps the seat they booked first, the other seat is released to the next in line, "
        "and they get an email about it."
    )


def apply_change(seminar: Seminar, before: SeminarBefore | None, changes: frozenset[str]) -> None:
    """Make bookings follow a saved change. Call inside the change's transaction (seminar row locked)."""
    if before is None:
        return
    now = timezone.now()
    if "status" in changes and seminar.status == SeminarStatus.CANCELLED:
        cancel_seminar_bookings(seminar=seminar, now=now, reason=seminar.cancellation_reason)
        return
    if seminar.status != SeminarStatus.PUBLISHED:
        return
    told: set[int] = set()
    if "time" in changes:
        told = resolve_clashes(seminar=seminar, before=before, now=now)
    if changes & {"capacity", "status"}:
        fit_bookings_to_capacity(seminar=seminar, now=now)
    if changes & {"time", "room"} and not moves_wait_for_release(seminar):
        from ..emails import booking_email

        for booking in (
            Booking.objects.filter(seminar=seminar, status__in=HELD).exclude(pk__in=told)
            .select_related("registration").order_by("pk")
        ):
            booking.seminar = seminar
            booking_email("moved", booking, revision=f"seminar-{seminar.revision}")


def moves_wait_for_release(seminar: Seminar) -> bool:
    """A plain move (no seat lost) of a conference that publishes releases is told in the next release's
    summary, together with the attendee's other changed seminars, instead of one email per edit. Before the
    first release there is no summary to wait for, so moves are told at once."""
    return Release.objects.filter(conference_id=seminar.conference_id).exists()


def resolve_clashes(*, seminar: Seminar, before: SeminarBefore, now) -> set[int]:
    """Each person with overlapping confirmed seats after the move keeps the one booked first; the others
    are released (their lines move up) and the person gets one email about it. Returns the bookings in
    `seminar` whose person was emailed that way. Call inside the change's transaction, seminar locked."""
    from ..emails import booking_email

    holders = list(Booking.objects.filter(seminar=seminar, status__in=ACTIVE).values_list("registration_id",
                                                                                          flat=True))
    if not holders:
        return set()
    # Everyone holding a seat or a place here is locked before their clashes are read: until this change
    # commits, a booking or a promotion elsewhere would check against the seminar's old time.
    lock_registrations(holders)
    told: set[int] = set()
    freed_here = False
    for clash in attendee_clashes(seminar):
        # Read afresh: settling an earlier person's clash may have moved this person's seats (a cascade).
        mine = (Booking.objects.filter(pk=clash.mine.pk, status=BookingStatus.CONFIRMED)
                .select_related("registration").first())
        others = list(
            overlapping_bookings(clash.registration_id, seminar, statuses=[BookingStatus.CONFIRMED])
            .select_related("seminar").order_by("pk")
        )
        if mine is None or not others:
            continue
        mine.seminar = seminar
        ordered = sorted([mine, *others], key=lambda b: (b.confirmed_at or b.queued_at, b.pk))
        kept: list[Booking] = []
        released: list[Booking] = []
        for booking in ordered:
            if any(_overlaps(booking.seminar, k.seminar) for k in kept):
                released.append(booking)
            else:
                kept.append(booking)
        kept_seminar = kept[0].seminar
        for booking in released:
            if booking.seminar_id == seminar.pk:
                release_seat(booking, now=now, reason=ReleaseReason.CLASH, kept=kept_seminar)
                freed_here = True
            else:
                other_seminar = lock_seminar(booking.seminar_id)  # before its booking row is written
                release_seat(booking, now=now, reason=ReleaseReason.CLASH, kept=kept_seminar)
                promote_waitlist(seminar=other_seminar, now=now)
        booking_email(
            "clash", mine, revision=f"seminar-{seminar.revision}",
            old_start=before.start.isoformat(), old_end=before.end.isoformat(),
            kept=kept_seminar.pk, released=[b.seminar_id for b in released],
        )
        told.add(mine.pk)
    if freed_here:
        promote_waitlist(seminar=seminar, now=now)
    return told


def _overlaps(a: Seminar, b: Seminar) -> bool:
    return a.start < b.end and b.start < a.end


def conference_attendee_clashes(conference) -> list[AttendeeClash]:
    """Everyone holding confirmed seats in two overlapping published seminars of `conference`. Two queries.

    Saving through the programme's services never leaves such a pair; this finds what older data or
    direct edits left behind."""
    seat = {"status": BookingStatus.CONFIRMED, "seminar__status": SeminarStatus.PUBLISHED}
    second = (
        Booking.objects.filter(
            registration_id=OuterRef("registration_id"), pk__gt=OuterRef("pk"),
            seminar__start__lt=OuterRef("seminar__end"), seminar__end__gt=OuterRef("seminar__start"), **seat,
        ).order_by("pk").values("seminar_id")[:1]
    )
    rows = list(
        Booking.objects.filter(seminar__conference=conference, **seat)
        .annotate(second_id=Subquery(second)).filter(second_id__isnull=False)
        .select_related("registration", "seminar").order_by("seminar__start", "registration__name")
    )
    others = Seminar.objects.in_bulk({row.second_id for row in rows})
    return [AttendeeClash(row.registration.name, row.seminar, others[row.second_id]) for row in rows]


def _affected_bookings(seminar_ids):
    """Everyone a release's changes concern: seats, places in line and watch places (the stream moves too)."""
    return Booking.objects.filter(seminar_id__in=list(seminar_ids), status__in=HELD)


def people_affected(seminar_ids) -> int:
    """People with a seat or a place in line in any of the seminars, each counted once. One query."""
    return _affected_bookings(seminar_ids).values("registration_id").distinct().count()


def announce_release(release, changes) -> None:
    """Promise one summary email per person booked or in line in a changed seminar, listing all of their
    changed seminars. Call inside the release's transaction. One query plus the outbox rows."""
    from ..emails import release_email

    codes = {change.seminar_id: change.code for change in changes}
    mine: dict[int, list[str]] = {}
    people = {}
    for booking in _affected_bookings(codes).select_related("registration").order_by("registration_id", "pk"):
        mine.setdefault(booking.registration_id, []).append(codes[booking.seminar_id])
        people[booking.registration_id] = booking.registration
    for registration_id, seminar_codes in mine.items():
        release_email(people[registration_id], release, seminar_codes)
