"""What door staff read and hear: names of doors, verdict labels, messages and colour tones.

The services answer with stable verdict codes and plain facts; the words and tones are chosen here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sessions.models import LOCAL_TZ

from ..models import TicketCategory, Verdict
from ..selectors.checkpoints import Checkpoint
from ..services.door import ROLE_SPEAKER, ScanResult


def checkpoint_label(checkpoint: Checkpoint) -> str:
    """The door's name: "Entrance, Wednesday 3 February" or "Title (Room, 10:00)"."""
    if checkpoint.seminar is None:
        return _("Entrance, %(day)s") % {"day": formats.date_format(checkpoint.day, "l j F")}
    seminar = checkpoint.seminar
    start = timezone.localtime(seminar.start, LOCAL_TZ)
    return _("%(title)s (%(room)s, %(time)s)") % {
        "title": seminar.title, "room": seminar.room.name, "time": start.strftime("%H:%M"),
    }


@dataclass(frozen=True)
class ScanDisplay:
    """A scan's answer as door staff see it: the scanning page and its JSON answer show the same words."""

    result: ScanResult

    @property
    def verdict(self) -> str:
        return self.result.verdict

    @property
    def admits(self) -> bool:
        return self.result.admits

    @property
    def name(self) -> str:
        return self.result.name

    @property
    def category(self) -> str:
        if self.result.role == ROLE_SPEAKER:
            return str(TicketCategory.SPEAKER.label)
        registration = self.result.registration
        return registration.get_category_display() if registration else ""

    @property
    def tone(self) -> str:
        """yes: let in; warn: stop and look (already let in here, no seat); no: refuse."""
        if self.admits:
            return "yes"
        if self.verdict in (Verdict.ALREADY_SCANNED, Verdict.NO_BOOKING):
            return "warn"
        return "no"

    @property
    def verdict_label(self) -> str:
        if self.verdict == Verdict.ALREADY_SCANNED and self.admits:
            return _("Welcome back")
        return str(Verdict(self.verdict).label)

    @property
    def first_scan_time(self) -> str:
        at = self.result.first_scan_at
        return timezone.localtime(at, LOCAL_TZ).strftime("%H:%M") if at else ""

    @property
    def message(self) -> str:
        """One sentence for door staff, translated."""
        result, v = self.result, self.verdict
        if v == Verdict.ADMITTED:
            return _("Admitted as a walk-in: a seat is booked.") if result.scan.walk_in else _("Welcome in.")
        if v == Verdict.ALREADY_SCANNED:
            if result.checkpoint.is_open_to_all or self.admits:
                return _("Already checked in at %(time)s, welcome back.") % {"time": self.first_scan_time}
            return _("This badge was already let in here at %(time)s.") % {"time": self.first_scan_time}
        if v == Verdict.NO_BOOKING:
            if result.booking_error is not None:
                return result.booking_error.message
            if result.walk_in_possible:
                return _("No seat booked for this seminar. Seats are free: you can admit a walk-in.")
            return _("No seat booked for this seminar.")
        if v == Verdict.ROOM_FULL:
            return _("The room is full: as many people as it has seats are already inside.")
        if v == Verdict.UNKNOWN:
            return _("This code is not a badge of this conference.")
        if v == Verdict.REVOKED:
            return _("This badge has been replaced or the registration is cancelled.")
        if v == Verdict.NOT_TODAY:
            return _("This door is not open today.")
        if v == Verdict.CANCELLED:
            return _("This seminar is cancelled.")
        if v == Verdict.TOO_EARLY and result.opens_at and result.checkpoint.seminar:
            return _("Too early: this door opens at %(opens)s, the seminar starts at %(start)s.") % {
                "opens": timezone.localtime(result.opens_at, LOCAL_TZ).strftime("%H:%M"),
                "start": timezone.localtime(result.checkpoint.seminar.start, LOCAL_TZ).strftime("%H:%M")}
        return ""

    def as_json(self) -> dict:
        """The scan endpoint's answer (static/door/door.js reads these keys)."""
        result = self.result
        return {
            "verdict": self.verdict, "verdict_label": self.verdict_label, "admits": self.admits, "tone": self.tone,
            "message": self.message, "name": self.name, "category": self.category,
            "first_scan_at": result.first_scan_at.isoformat() if result.first_scan_at else None,
            "walk_in": result.scan.walk_in, "walk_in_possible": result.walk_in_possible, "nonce": result.scan.nonce,
            "checkpoint": result.checkpoint.key, "role": result.role,
        }
