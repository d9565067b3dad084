"""Verbs that change the programme. Every path that writes seminars goes through here."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import LOCAL_TZ, Room, Seminar, SeminarStatus, Speaker
from .signals import seminar_changed


@dataclass(frozen=True)
class Conflict:
    """One problem with a seminar's place in the programme. `code` is stable; `message` is for people."""

    code: str
    message: str
    field: str | None = None
    other: Seminar | None = None


class ProgrammeError(Exception):
    """A programme change was refused. `code` is stable for tests; `message` is translated for users."""

    def __init__(self, code: str, message: str, conflicts: Iterable[Conflict] = ()):
        super().__init__(message)
        self.code = code
        self.message = message
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


# The programme does not know who booked. The registration app registers a counter at start-up
# so that changes that would strand bookings can be flagged (sessions never imports registration).
_booking_counter = None


def register_booking_counter(counter) -> None:
    """`counter(seminar) -> (confirmed, waitlisted)` for a saved seminar."""
    global _booking_counter
    _booking_counter = counter


def booking_counts(seminar: Seminar) -> tuple[int, int]:
    if seminar.pk is None or _booking_counter is None:
        return 0, 0
    return _booking_counter(seminar)


def check_against_bookings(seminar: Seminar) -> list[Conflict]:
    """What the seminar's bookings say about a change to it.

    "unpublish_with_bookings": a booked seminar cannot go back to draft (cancel it, so people are told).
    "capacity_below_bookings": fewer seats than confirmed bookings; the organiser may confirm this.
    """
    if seminar.pk is None or seminar.status == SeminarStatus.CANCELLED or seminar.capacity is None:
        return []
    confirmed, waitlisted = booking_counts(seminar)
    problems = []
    if seminar.status == SeminarStatus.DRAFT and confirmed + waitlisted:
        problems.append(Conflict(
            "unpublish_with_bookings",
            _("%(n)d people have booked this seminar or wait for a seat. Cancel it instead of making it a "
              "draft, so that they are told.") % {"n": confirmed + waitlisted},
            field="status",
        ))
    if seminar.capacity < confirmed:
        problems.append(Conflict(
            "capacity_below_bookings",
            _("%(booked)d seats are already booked but the seminar would have only %(seats)d. The %(excess)d "
              "most recent bookings will lose their seat and go first in the waiting list.")
            % {"booked": confirmed, "seats": seminar.capacity, "excess": confirmed - seminar.capacity},
            field="capacity",
        ))
    return problems


TRACKED_FIELDS = {"start": "time", "end": "time", "room_id": "room", "status": "status", "capacity": "capacity"}
REVISED_CHANGES = {"time", "room", "status"}


@transaction.atomic
def save_seminar(
    *, seminar: Seminar, speaker_ids: list[int] | None = None, allow_capacity_below_bookings: bool = False
) -> Seminar:
    """Save a new or changed seminar after checking it against the programme.

    Locks the room, the speakers and the seminar's own row first, so two organisers cannot book the same
    slot or speaker at once and the revision always grows from the stored one. Bumps `revision` when
    time, room or status changed, and after commit sends `seminar_changed`. `speaker_ids`, when given,
    replaces the seminar's speakers in that order.
    Raises ProgrammeError("conflict") naming the other seminar, ProgrammeError("unpublish_with_bookings"),
    or ProgrammeError("capacity_below_bookings") when seats would drop below the bookings and the
    organiser has not confirmed it; nothing is saved then.
    """
    Room.objects.select_for_update(of=("self",)).filter(pk=seminar.room_id).order_by().values_list("pk").first()
    to_lock = speaker_ids
    if to_lock is None and seminar.pk:
        to_lock = list(seminar.seminar_speakers.values_list("speaker_id", flat=True))
    if to_lock:
        list(Speaker.objects.select_for_update(of=("self",)).filter(pk__in=to_lock).order_by("pk").values_list("pk"))
    previous = None
    if seminar.pk:
        previous = (
            Seminar.objects.select_for_update(of=("self",)).filter(pk=seminar.pk).order_by()
            .values("start", "end", "room_id", "status", "capacity", "revision").first()
        )
    if seminar.capacity is None:
        seminar.capacity = seminar.room.capacity
    problems = check_conflicts(seminar, speaker_ids=speaker_ids)
    if problems:
        raise ProgrammeError("conflict", " ".join(p.message for p in problems), problems)
    for problem in check_against_bookings(seminar):
        if problem.code == "capacity_below_bookings" and allow_capacity_below_bookings:
            continue
        raise ProgrammeError(problem.code, problem.message, [problem])

    changes = frozenset(
        label for field, label in TRACKED_FIELDS.items()
        if previous is not None and previous[field] != getattr(seminar, field)
    )
    stored_revision = previous["revision"] if previous is not None else 0
    seminar.revision = stored_revision + (1 if changes & REVISED_CHANGES else 0)
    seminar.save()
    if speaker_ids is not None:
        set_speakers(seminar=seminar, speaker_ids=speaker_ids)
    if changes:
        transaction.on_commit(
            lambda: seminar_changed.send(sender=Seminar, seminar=seminar, changes=changes, previous=previous),
            robust=True,
        )
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


def cancel_seminar(*, seminar: Seminar) -> Seminar:
    """Cancel a seminar. It stays visible, marked cancelled; the registration side is told on commit."""
    if seminar.status == SeminarStatus.CANCELLED:
        raise ProgrammeError("already_cancelled", _("The seminar is already cancelled."))
    seminar.status = SeminarStatus.CANCELLED
    return save_seminar(seminar=seminar)


def move_seminar(
    *, seminar: Seminar, start: datetime | None = None, end: datetime | None = None, room: Room | None = None
) -> Seminar:
    """Move a seminar in time and/or to another room. Raises ProgrammeError on conflicts."""
    if start is not None:
        seminar.start = start
    if end is not None:
        seminar.end = end
    if room is not None:
        seminar.room = room
    return save_seminar(seminar=seminar)


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
