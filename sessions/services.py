"""Verbs that change the programme. Every path that writes seminars goes through here."""

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.errors import AppError, BusyError, ReadOnlyError
from common.locking import lock

from .models import LOCAL_TZ, Release, Room, Seminar, SeminarStatus, Speaker
from .ports import SeatCount, SeminarBefore, bookings

logger = logging.getLogger(__name__)


class Code(StrEnum):
    """Why a programme change was refused (stable; the messages below are for people)."""

    CONFLICT = "conflict"
    UNPUBLISH_WITH_BOOKINGS = "unpublish_with_bookings"
    CAPACITY_BELOW_BOOKINGS = "capacity_below_bookings"
    ATTENDEE_CLASH = "attendee_clash"
    ALREADY_CANCELLED = "already_cancelled"
    BUSY = "busy"
    BOOKINGS_FAILED = "bookings_failed"
    BOOKED_ATTENDEES = "booked_attendees"  # not a refusal: a move that people who booked will be told about
    KIND_WITH_BOOKINGS = "kind_with_bookings"


MESSAGES = {
    Code.ALREADY_CANCELLED: gettext_lazy("The seminar is already cancelled."),
    Code.BUSY: gettext_lazy("Someone else is changing this part of the programme or booking these seats right "
                            "now. Nothing was saved; please try again in a moment."),
    Code.BOOKINGS_FAILED: gettext_lazy("The bookings could not be updated to follow this change, so nothing was "
                                       "saved. Please try again; if it keeps happening, tell the system's "
                                       "administrator."),
    Code.KIND_WITH_BOOKINGS: gettext_lazy("People have booked seats in this seminar, so it cannot become an item "
                                          "without seats. Cancel it and add the new item instead."),
}


@dataclass(frozen=True)
class Conflict:
    """One problem with a seminar's place in the programme. `code` is stable; `message` is for people.

    `confirmable` problems (consequences for booked attendees) may be accepted by the organiser.
    """

    code: str
    message: str
    field: str | None = None
    other: Seminar | None = None
    confirmable: bool = False


class ProgrammeError(AppError):
    """A programme change was refused; nothing was saved. `conflicts` lists the problems behind it."""

    messages = MESSAGES

    def __init__(self, code: str, message: str | None = None, /, conflicts: Iterable[Conflict] = (), **params):
        super().__init__(code, message, **params)
        self.conflicts = list(conflicts)


def _when(seminar: Seminar) -> str:
    start = timezone.localtime(seminar.start, LOCAL_TZ)
    end = timezone.localtime(seminar.end, LOCAL_TZ)
    return f"{formats.date_format(start, 'j F')} {start:%H:%M}–{end:%H:%M}"


def check_conflicts(seminar: Seminar, *, speaker_ids: Iterable[int] | None = None) -> list[Conflict]:
    """Everything that stops `seminar` (saved or not) from taking its place in the programme.

    Rules: the room is free, every speaker is free, the seminar's seats fit in the room, and it
    lies within the conference's days. Cancelled seminars neither conflict nor are checked against
    others; back-to-back seminars are fine. `speaker_ids` gives the speakers to check (e.g. from a
    form not yet saved; an empty list skips the speaker rule); by default the saved speakers.
    """
    if seminar.status == SeminarStatus.CANCELLED:
        return []
    problems: list[Conflict] = []
    start, end = seminar.start, seminar.end
    # An incomplete seminar (a form whose fields failed) has nothing to check yet; its form says why.
    if start is None or end is None or seminar.room_id is None or seminar.conference_id is None:
        return problems
    if end <= start:
        return [Conflict("ends_before_start", _("The seminar must end after it starts."), field="end")]
    room: Room = seminar.room
    others = Seminar.objects.active().overlapping(start, end).exclude(pk=seminar.pk).select_related("room")

    for other in others.filter(room_id=seminar.room_id).order_by("start")[:5]:
        problems.append(Conflict(
            "room_double_booked",
            _("%(room)s is already taken by “%(other)s” (%(when)s).")
            % {"room": room.name, "other": other.title, "when": _when(other)},
            field="room", other=other,
        ))

    if speaker_ids is None:
        speaker_ids = list(seminar.seminar_speakers.values_list("speaker_id", flat=True)) if seminar.pk else []
    speaker_ids = list(speaker_ids)
    if speaker_ids:
        busy = (
            Seminar.objects.active().overlapping(start, end).exclude(pk=seminar.pk)
            .filter(seminar_speakers__speaker_id__in=speaker_ids)
            .values_list("seminar_speakers__speaker__name", "pk").order_by("start")
        )
        clashes = list(dict.fromkeys(busy))
        by_pk = Seminar.objects.in_bulk({pk for _name, pk in clashes}) if clashes else {}
        for name, other_pk in clashes:
            other = by_pk[other_pk]
            problems.append(Conflict(
                "speaker_double_booked",
                _("%(speaker)s already speaks in “%(other)s” (%(when)s).")
                % {"speaker": name, "other": other.title, "when": _when(other)},
                field="speakers", other=other,
            ))

    capacity = seminar.capacity if seminar.capacity is not None else room.capacity
    if capacity > room.capacity:
        problems.append(Conflict(
            "capacity_exceeds_room",
            _("The seminar has %(seats)d seats but %(room)s holds only %(room_seats)d.")
            % {"seats": capacity, "room": room.name, "room_seats": room.capacity},
            field="capacity",
        ))
    if room.conference_id != seminar.conference_id:
        problems.append(Conflict("room_other_conference", _("The room belongs to another conference."), "room"))
    if seminar.track_id is not None and seminar.track.conference_id != seminar.conference_id:
        problems.append(Conflict("track_other_conference", _("The track belongs to another conference."), "track"))
    if speaker_ids:
        strangers = (
            Speaker.objects.filter(pk__in=speaker_ids).exclude(conference_id=seminar.conference_id)
            .values_list("name", flat=True).order_by("name")
        )
        for name in strangers:
            problems.append(Conflict(
                "speaker_other_conference",
                _("%(speaker)s is a speaker of another conference.") % {"speaker": name},
                field="speakers",
            ))

    conference = seminar.conference
    first, last = conference.local_bounds()
    if start < first or end > last:
        problems.append(Conflict(
            "outside_conference_days",
            _("The seminar must take place during the conference, %(first)s to %(last)s.")
            % {"first": formats.date_format(conference.first_day, "j F Y"),
               "last": formats.date_format(conference.last_day, "j F Y")},
            field="start",
        ))
    return problems


def seat_count(seminar: Seminar) -> SeatCount:
    """Seats, places in line and watch places of a seminar (none before it is saved), through the port."""
    if seminar.pk is None:
        return SeatCount()
    return bookings().counts([seminar.pk]).get(seminar.pk, SeatCount())


def booking_counts(seminar: Seminar) -> tuple[int, int]:
    """(confirmed, waitlisted) bookings of a saved seminar, through the bookings port."""
    count = seat_count(seminar)
    return count.confirmed, count.waitlisted


def _anyone_holds_a_place(seminar: Seminar) -> bool:
    """Whether anyone holds a seat, a place in line or a watch place in the saved seminar."""
    count = seat_count(seminar)
    return bool(count.confirmed or count.waitlisted or count.watching)


def _stored_state(seminar: Seminar, *, lock_row: bool) -> SeminarBefore | None:
    if seminar.pk is None:
        return None
    queryset = Seminar.objects.filter(pk=seminar.pk)
    rows = lock(queryset) if lock_row else list(queryset)
    if not rows:
        return None
    row = rows[0]
    return SeminarBefore(start=row.start, end=row.end, room_id=row.room_id, status=row.status,
                         capacity=row.capacity, revision=row.revision)


def preview_change(seminar: Seminar) -> list[Conflict]:
    """What saving `seminar` (changed in memory, not saved) would do to the people who booked it.

    Problems with `confirmable` set may be accepted by passing their codes to save_seminar's `confirm`.
    """
    if seminar.capacity is None and seminar.room_id is not None:
        seminar.capacity = seminar.room.capacity
    return bookings().check_change(seminar, _stored_state(seminar, lock_row=False))


TRACKED_FIELDS = {"start": "time", "end": "time", "room_id": "room", "status": "status", "capacity": "capacity"}
REVISED_CHANGES = {"time", "room", "status"}


def save_seminar(
    *, seminar: Seminar, speaker_ids: list[int] | None = None, confirm: Collection[str] = ()
) -> Seminar:
    """Save a new or changed seminar, and its consequences for bookings, in one transaction.

    Locks the room, the speakers and the seminar's own row first (common.locking), so two organisers
    cannot book the same slot or speaker at once and the revision always grows from the stored one.
    Then asks the bookings port what the change does to people; problems the organiser has not
    confirmed (their codes in `confirm`) refuse the change. Bumps `revision` when time, room or status
    changed, saves, and lets the port adjust bookings (seats cut, cancellations, clashes, emails as
    outbox rows) before the transaction commits. `speaker_ids`, when given, replaces the speakers.

    Raises ProgrammeError: "conflict" (naming the other seminar), "kind_with_bookings" (a booked seminar
    turned into a plenary, break or exhibition), "unpublish_with_bookings",
    "capacity_below_bookings" or "attendee_clash" (unless confirmed), "busy" when rows stay locked,
    "bookings_failed" when the registration side fails. Nothing is saved then.
    """
    try:
        with transaction.atomic():
            return _save_seminar_locked(seminar=seminar, speaker_ids=speaker_ids, confirm=frozenset(confirm))
    except BusyError as error:
        raise ProgrammeError(Code.BUSY) from error
    except ReadOnlyError as error:
        raise ProgrammeError(error.code, error.message) from error


def _save_seminar_locked(*, seminar: Seminar, speaker_ids: list[int] | None, confirm: frozenset[str]) -> Seminar:
    rooms = lock(Room.objects.filter(pk=seminar.room_id))
    if rooms:
        seminar.room = rooms[0]  # the seat count as it is now, not as the form read it
    to_lock = speaker_ids
    if to_lock is None and seminar.pk:
        to_lock = list(seminar.seminar_speakers.values_list("speaker_id", flat=True))
    if to_lock:
        lock(Speaker.objects.filter(pk__in=to_lock))
    before = _stored_state(seminar, lock_row=True)
    if seminar.capacity is None:
        seminar.capacity = seminar.room.capacity
    problems = check_conflicts(seminar, speaker_ids=speaker_ids)
    if problems:
        raise ProgrammeError(Code.CONFLICT, " ".join(p.message for p in problems), conflicts=problems)
    port = bookings()
    if before is not None and not seminar.is_bookable and _anyone_holds_a_place(seminar):
        raise ProgrammeError(Code.KIND_WITH_BOOKINGS)
    for problem in port.check_change(seminar, before):
        if not (problem.confirmable and problem.code in confirm):
            raise ProgrammeError(problem.code, problem.message, conflicts=[problem])

    changes = frozenset(
        label for field, label in TRACKED_FIELDS.items()
        if before is not None and getattr(before, field) != getattr(seminar, field)
    )
    stored_revision = before.revision if before is not None else 0
    seminar.revision = stored_revision + (1 if changes & REVISED_CHANGES else 0)
    seminar.save()
    if speaker_ids is not None:
        set_speakers(seminar=seminar, speaker_ids=speaker_ids)
    if changes or before is None:
        try:
            port.apply_change(seminar, before, changes)
        except BusyError:
            raise
        except AppError as error:
            raise ProgrammeError(error.code, error.message) from error
        except Exception as error:
            logger.exception("The bookings side failed to follow a change of seminar %s", seminar.pk)
            raise ProgrammeError(Code.BOOKINGS_FAILED) from error
    return seminar


def set_speakers(*, seminar: Seminar, speaker_ids: list[int]) -> None:
    """Replace the seminar's speakers, keeping the given order. Call inside save_seminar's transaction."""
    seminar.seminar_speakers.exclude(speaker_id__in=speaker_ids).delete()
    existing = {link.speaker_id: link for link in seminar.seminar_speakers.all()}
    for order, speaker_id in enumerate(speaker_ids):
        link = existing.get(speaker_id)
        if link is None:
            seminar.seminar_speakers.create(speaker_id=speaker_id, order=order)
        elif link.order != order:
            link.order = order
            link.save(update_fields=["order"])


def publish_seminar(*, seminar: Seminar) -> Seminar:
    """Make a draft visible to everyone. Raises ProgrammeError if it conflicts."""
    if seminar.status == SeminarStatus.PUBLISHED:
        return seminar
    seminar.status = SeminarStatus.PUBLISHED
    return save_seminar(seminar=seminar)


def cancel_seminar(*, seminar: Seminar, reason: str = "") -> Seminar:
    """Cancel a seminar. It stays visible, marked cancelled with `reason`; its bookings are cancelled and
    everyone is told (with the reason), in the same transaction."""
    if seminar.status == SeminarStatus.CANCELLED:
        raise ProgrammeError(Code.ALREADY_CANCELLED)
    seminar.status = SeminarStatus.CANCELLED
    seminar.cancellation_reason = reason.strip()
    return save_seminar(seminar=seminar)


def preview_move(seminar: Seminar) -> list[Conflict]:
    """Everything saving `seminar` (moved in memory, not saved) would meet: the programme's conflicts, the
    bookings port's problems, and, when people hold seats or wait for one and its time or room changes, a
    confirmable "booked_attendees" notice saying how many will be told. Reads only; save_seminar decides
    again under its locks."""
    problems = check_conflicts(seminar)
    if problems:
        return problems
    problems = preview_change(seminar)
    stored = _stored_state(seminar, lock_row=False)
    moved = stored is not None and (stored.start, stored.end, stored.room_id) != (
        seminar.start, seminar.end, seminar.room_id)
    if moved and seminar.status == SeminarStatus.PUBLISHED and not any(not p.confirmable for p in problems):
        count = seat_count(seminar)
        n = count.confirmed + count.waitlisted + count.watching
        if n and Release.objects.filter(conference_id=seminar.conference_id).exists():
            # Once the programme publishes releases, a plain move is told in the next release's summary.
            message = ngettext(
                "%(n)d person has booked this seminar, waits for a seat or follows it online, and will be told "
                "about the new time or room when you publish the next release.",
                "%(n)d people have booked this seminar, wait for a seat or follow it online, and will be told "
                "about the new time or room when you publish the next release.", n) % {"n": n}
        elif n:
            message = ngettext(
                "%(n)d person has booked this seminar, waits for a seat or follows it online, and will get an "
                "email about the new time or room.",
                "%(n)d people have booked this seminar, wait for a seat or follow it online, and will get an "
                "email about the new time or room.", n) % {"n": n}
        if n:
            problems.append(Conflict(Code.BOOKED_ATTENDEES, message, field="start", confirmable=True))
    return problems


def move_seminar(
    *, seminar: Seminar, start: datetime | None = None, end: datetime | None = None, room: Room | None = None,
    confirm: Collection[str] = (),
) -> Seminar:
    """Move a seminar in time and/or to another room. Raises ProgrammeError on conflicts, and
    ProgrammeError("attendee_clash") when booked people would get overlapping seats, unless confirmed."""
    if start is not None:
        seminar.start = start
    if end is not None:
        seminar.end = end
    if room is not None:
        seminar.room = room
    return save_seminar(seminar=seminar, confirm=confirm)


def save_room(*, room: Room) -> Room:
    """Save a new or changed room. Its seats never drop below those of a seminar in it: the room row is
    locked first (seminar saves lock it too), then checked. Raises ProgrammeError("conflict"|"busy")."""
    try:
        with transaction.atomic():
            if room.pk:
                lock(Room.objects.filter(pk=room.pk))
            problems = check_room_capacity(room)
            if problems:
                raise ProgrammeError(Code.CONFLICT, " ".join(p.message for p in problems), conflicts=problems)
            room.save()
    except BusyError as error:
        raise ProgrammeError(Code.BUSY) from error
    except ReadOnlyError as error:
        raise ProgrammeError(error.code, error.message) from error
    return room


def check_room_capacity(room: Room) -> list[Conflict]:
    """A room's (new) seat count against its seminars: none may have more seats than the room."""
    if room.pk is None:
        return []
    too_big = Seminar.objects.active().filter(room_id=room.pk, capacity__gt=room.capacity).order_by("start")
    return [
        Conflict(
            "capacity_exceeds_room",
            _("“%(seminar)s” has %(seats)d seats; lower them first (or move it) before the room gets fewer.")
            % {"seminar": seminar.title, "seats": seminar.capacity},
            field="capacity", other=seminar,
        )
        for seminar in too_big[:10]
    ]


def conference_conflicts(conference) -> list[tuple[Seminar, list[Conflict]]]:
    """Every current conflict in a conference's programme, seminar by seminar (for organisers)."""
    seminars = (
        Seminar.objects.active().filter(conference=conference)
        .select_related("room", "conference", "track").order_by("start", "room__name")
    )
    result = []
    for seminar in seminars:
        problems = check_conflicts(seminar)
        if problems:
            result.append((seminar, problems))
    return result
