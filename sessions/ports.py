"""The one interface through which the programme reaches whoever holds bookings (registration).

The programme does not know who booked; its changes still have consequences for bookings. Those are
decided inside the programme change's own transaction through this port: `check_change` says what a
change would do to people (problems the organiser may have to confirm), `apply_change` does it. The
registration app implements the port and registers it once at start-up (its AppConfig.ready); the
programme never imports registration. Without a registered implementation nothing is booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .models import Release, Seminar
    from .releases import SeminarChange
    from .services import Conflict


@dataclass(frozen=True)
class SeminarBefore:
    """A seminar's stored state before a change (read under its row lock)."""

    start: datetime
    end: datetime
    room_id: int
    status: str
    capacity: int
    revision: int


@dataclass(frozen=True)
class SeatCount:
    confirmed: int = 0
    waitlisted: int = 0
    watching: int = 0  # digital watch places: no room seat


@dataclass(frozen=True)
class AttendeeClash:
    """One person holding confirmed seats in two published seminars that overlap."""

    person: str
    first: Seminar
    second: Seminar


class Bookings(Protocol):
    def counts(self, seminar_ids) -> dict[int, SeatCount]:
        """Confirmed and waitlisted bookings per seminar id (missing ids have none)."""

    def check_change(self, seminar: Seminar, before: SeminarBefore | None) -> list[Conflict]:
        """What saving `seminar` (changed, not yet saved) would do to the people who booked it.

        Problems with `confirmable=True` may be accepted by the organiser; the others refuse the change.
        """

    def apply_change(self, seminar: Seminar, before: SeminarBefore | None, changes: frozenset[str]) -> None:
        """Make bookings follow the saved change, in the caller's transaction. Raising rolls the change back."""

    def attendee_clashes(self, conference) -> list[AttendeeClash]:
        """People with overlapping confirmed seats in the conference (for the organisers' conflicts page)."""

    def seminar_panel(self, request, seminar: Seminar) -> dict | None:
        """A panel on the public seminar page (e.g. booking): a dict with a "template" key, or None."""

    def day_extra(self, conference, day) -> dict | None:
        """Shown after a day's cached programme, rendered per request (e.g. live seat counts)."""

    def people_affected(self, seminar_ids) -> int:
        """How many people hold a seat or a place in line in any of these seminars (each counted once)."""

    def announce_release(self, release: Release, changes: list[SeminarChange]) -> None:
        """Tell the people booked or in line in changed seminars, once each, in the release's transaction."""


class NoBookings:
    """The port when no app holds bookings: nothing is booked and changes have no consequences."""

    def counts(self, seminar_ids) -> dict[int, SeatCount]:
        return {}

    def check_change(self, seminar, before) -> list:
        return []

    def apply_change(self, seminar, before, changes) -> None:
        return None

    def attendee_clashes(self, conference) -> list:
        return []

    def seminar_panel(self, request, seminar) -> None:
        return None

    def day_extra(self, conference, day) -> None:
        return None

    def people_affected(self, seminar_ids) -> int:
        return 0

    def announce_release(self, release, changes) -> None:
        return None


_bookings: Bookings = NoBookings()


def register_bookings(implementation: Bookings) -> None:
    """Called once at start-up by the app that holds bookings."""
    global _bookings
    _bookings = implementation


def bookings() -> Bookings:
    return _bookings
