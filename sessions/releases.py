"""Programme releases: publishing a numbered version of the public programme, and what changed between two.

A release stores a snapshot of the public seminars (never drafts). The changelog compares two
snapshots, so it reads no seminar rows and shows what people saw at each release.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy

from common.errors import AppError, BusyError, ReadOnlyError
from common.locking import lock

from .models import Conference, Release, Seminar, SeminarSpeaker, SeminarStatus, touch_conferences
from .ports import bookings


class ReleaseCode(StrEnum):
    NOTHING_CHANGED = "nothing_changed"
    BUSY = "busy"


class ReleaseError(AppError):
    messages = {
        ReleaseCode.NOTHING_CHANGED: gettext_lazy(
            "Nothing in the public programme has changed since the last release, so there is nothing to publish."),
        ReleaseCode.BUSY: gettext_lazy("Someone else is publishing or changing the programme right now. Nothing "
                                       "was published; please try again in a moment."),
    }


class Change(StrEnum):
    """What happened to one seminar between two releases (a seminar may have several)."""

    NEW = "new"
    MOVED = "moved"
    CANCELLED = "cancelled"
    REMOVED = "removed"
    RETITLED = "retitled"
    SPEAKERS = "speakers"


CHANGE_ORDER = list(Change)


@dataclass(frozen=True)
class SeminarState:
    """One seminar as a snapshot holds it."""

    id: int
    code: str
    title: str
    room: str
    room_id: int | None
    start: datetime
    end: datetime
    status: str
    revision: int
    speakers: tuple[str, ...]

    @classmethod
    def from_json(cls, code: str, data: dict) -> SeminarState:
        return cls(id=data["id"], code=code, title=data["title"], room=data["room"], room_id=data.get("room_id"),
                   start=parse_datetime(data["start"]), end=parse_datetime(data["end"]), status=data["status"],
                   revision=data["revision"], speakers=tuple(data.get("speakers", ())))

    @property
    def is_cancelled(self) -> bool:
        return self.status == SeminarStatus.CANCELLED


@dataclass(frozen=True)
class SeminarChange:
    code: str
    kinds: frozenset[Change]
    before: SeminarState | None
    after: SeminarState | None

    @property
    def current(self) -> SeminarState:
        return self.after or self.before

    @property
    def seminar_id(self) -> int:
        return self.current.id

    def ordered_kinds(self) -> list[Change]:
        return [kind for kind in CHANGE_ORDER if kind in self.kinds]


def programme_snapshot(conference: Conference) -> dict[str, dict]:
    """The conference's public seminars (published and cancelled) as a JSON-ready snapshot. Two queries."""
    seminars = list(
        Seminar.objects.filter(conference=conference, status__in=[SeminarStatus.PUBLISHED, SeminarStatus.CANCELLED])
        .select_related("room").order_by("start", "room__order", "room__name", "pk")
    )
    names = defaultdict(list)
    rows = (SeminarSpeaker.objects.filter(seminar__in=[s.pk for s in seminars]).order_by("order", "id")
            .values_list("seminar_id", "speaker__name"))
    for seminar_id, name in rows:
        names[seminar_id].append(name)
    return {
        seminar.code: {
            "id": seminar.pk, "title": seminar.title, "room": seminar.room.name, "room_id": seminar.room_id,
            "start": seminar.start.isoformat(), "end": seminar.end.isoformat(), "status": seminar.status,
            "revision": seminar.revision, "speakers": names[seminar.pk],
        }
        for seminar in seminars
    }


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[SeminarChange]:
    """What changed from one snapshot to the next, in the order of the seminars' (new) start. Pure.

    New: public now, not before (or back from cancelled). Removed: public before, not now (taken back to
    draft or deleted). Cancelled: cancelled now, not before. Moved: another time or room (a renamed room is not
    a move). Retitled, speakers:
    another title, other speakers or speaker order.
    """
    changes = []
    for code in before.keys() | after.keys():
        old = SeminarState.from_json(code, before[code]) if code in before else None
        new = SeminarState.from_json(code, after[code]) if code in after else None
        kinds: set[Change] = set()
        if old is None:
            kinds.add(Change.CANCELLED if new.is_cancelled else Change.NEW)
        elif new is None:
            kinds.add(Change.REMOVED)
        else:
            if new.is_cancelled and not old.is_cancelled:
                kinds.add(Change.CANCELLED)
            elif old.is_cancelled and not new.is_cancelled:
                kinds.add(Change.NEW)
            if (old.start, old.end, old.room_id) != (new.start, new.end, new.room_id):
                kinds.add(Change.MOVED)
            if old.title != new.title:
                kinds.add(Change.RETITLED)
            if old.speakers != new.speakers:
                kinds.add(Change.SPEAKERS)
        if kinds:
            changes.append(SeminarChange(code=code, kinds=frozenset(kinds), before=old, after=new))
    return sorted(changes, key=lambda change: (change.current.start, change.current.room, change.code))


def releases_of(conference: Conference) -> list[Release]:
    """The conference's releases, newest first, with their snapshots. One query."""
    return list(Release.objects.filter(conference=conference).order_by("-number"))


def changes_between(releases: list[Release], since: int, until: int) -> list[SeminarChange]:
    """Changes from release `since` (0: the empty programme before the first) to release `until`."""
    by_number = {release.number: release for release in releases}
    before = by_number[since].snapshot if since else {}
    return compare(before, by_number[until].snapshot)


def pending_changes(conference: Conference) -> list[SeminarChange]:
    """What the next release would publish: the public programme now against the latest release."""
    latest = Release.objects.filter(conference=conference).order_by("-number").first()
    return compare(latest.snapshot if latest else {}, programme_snapshot(conference))


def publish_release(*, conference: Conference, by=None, note: str = "", now: datetime | None = None) -> Release:
    """Publish the conference's public programme as its next numbered release, in one transaction.

    Locks the conference row (two organisers cannot take the same number), snapshots the public seminars,
    refuses when nothing changed since the previous release, moves the programme's version, and (from the
    second release on) asks the bookings port to promise one summary email to each affected attendee
    before the transaction commits.

    Raises ReleaseError("nothing_changed"), ReleaseError("busy") when rows stay locked, and whatever the
    bookings side raises (nothing is published then).
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            lock(Conference.objects.filter(pk=conference.pk))
            latest = Release.objects.filter(conference=conference).order_by("-number").first()
            snapshot = programme_snapshot(conference)
            changes = compare(latest.snapshot if latest else {}, snapshot)
            if not changes:
                raise ReleaseError(ReleaseCode.NOTHING_CHANGED)
            release = Release.objects.create(
                conference=conference, number=(latest.number if latest else 0) + 1, published_at=now,
                published_by=by, note=note.strip(), snapshot=snapshot,
            )
            touch_conferences({conference.pk})
            if latest is not None:  # before the first release every change was told at once
                bookings().announce_release(release, changes)
            return release
    except BusyError as error:
        raise ReleaseError(ReleaseCode.BUSY) from error
    except ReadOnlyError as error:
        raise ReleaseError(error.code, error.message) from error
