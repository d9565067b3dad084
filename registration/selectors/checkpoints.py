"""The doors of a conference: the entrance on each day and every seminar's door, named by a stable key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sessions.models import Conference, Seminar


@dataclass(frozen=True)
class Checkpoint:
    """A door: the entrance on one conference day, or one seminar's door."""

    conference: Conference
    key: str
    day: date
    seminar: Seminar | None = None

    @property
    def is_entrance(self) -> bool:
        return self.seminar is None

    @property
    def is_open_to_all(self) -> bool:
        """Whether every registered attendee may pass without a seat: the entrance, and the door of a
        plenary, break or exhibition (nothing to book there); welcome back on re-entry."""
        return self.seminar is None or not self.seminar.is_bookable


def entrance_checkpoint(conference: Conference, day: date) -> Checkpoint:
    return Checkpoint(conference=conference, key=f"entrance-{day.isoformat()}", day=day)


def seminar_checkpoint(seminar: Seminar) -> Checkpoint:
    return Checkpoint(conference=seminar.conference, key=f"seminar-{seminar.code}", day=seminar.local_day,
                      seminar=seminar)


def door_seminars(conference: Conference):
    """Seminars that have a door to staff: published or cancelled ones of a published conference, never drafts."""
    return (
        Seminar.objects.public().filter(conference=conference)
        .select_related("room", "conference").order_by("start", "room__order", "room__name")
    )


def parse_checkpoint(conference: Conference, key: str) -> Checkpoint | None:
    """The checkpoint named by `key` in this conference, or None when there is no such door."""
    if key.startswith("entrance-"):
        try:
            day = date.fromisoformat(key.removeprefix("entrance-"))
        except ValueError:
            return None
        return entrance_checkpoint(conference, day) if day in conference.days else None
    if key.startswith("seminar-"):
        seminar = door_seminars(conference).filter(code=key.removeprefix("seminar-")).first()
        return seminar_checkpoint(seminar) if seminar else None
    return None


def now_and_next(doors: list[Checkpoint], now: datetime, window: timedelta = timedelta(hours=2)) -> list[Checkpoint]:
    """Of one day's doors: the entrance and the seminars running now or starting within `window`."""
    return [door for door in doors if door.is_entrance
            or (door.seminar.end > now and door.seminar.start < now + window)]


def checkpoints_by_day(conference: Conference) -> list[tuple[date, list[Checkpoint]]]:
    """Every door of the conference, grouped by day: the entrance first, then seminars by start."""
    seminars = list(door_seminars(conference))
    result = []
    for day in conference.days:
        doors = [entrance_checkpoint(conference, day)]
        doors += [seminar_checkpoint(s) for s in seminars if s.local_day == day]
        result.append((day, doors))
    return result
