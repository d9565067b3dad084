"""The door: check_in's verdicts (doors are selectors.checkpoints, badge codes services.badges).

Every scan is written to the append-only Scan log, whatever its verdict; a retried nonce returns the
first answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from common.locking import lock, lock_one
from sessions.models import LOCAL_TZ, Seminar, SeminarStatus

from ..models import Badge, Booking, BookingStatus, Registration, RegistrationStatus, Scan, Verdict
from ..selectors.checkpoints import Checkpoint
from .badges import CODE_RE, normalise_code
from .booking import has_free_seat

RAW_CODE_LIMIT = 200
NONCE_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


# --- check_in ---------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    """The answer to one scan. `verdict` is a stable code (registration.models.Verdict)."""

    verdict: str
    scan: Scan
    checkpoint: Checkpoint
    registration: Registration | None = None
    first_scan_at: datetime | None = None
    walk_in_possible: bool = False
    detail: str = ""

    @property
    def admits(self) -> bool:
        """Whether the person may go in: admitted, or coming back in through the entrance."""
        return self.verdict == Verdict.ADMITTED or (
            self.verdict == Verdict.ALREADY_SCANNED and self.checkpoint.is_entrance
        )

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
    def name(self) -> str:
        return self.registration.name if self.registration else ""

    @property
    def category(self) -> str:
        return self.registration.get_category_display() if self.registration else ""

    @property
    def first_scan_time(self) -> str:
        return timezone.localtime(self.first_scan_at, LOCAL_TZ).strftime("%H:%M") if self.first_scan_at else ""

    @property
    def message(self) -> str:
        """One sentence for door staff, translated."""
        v = self.verdict
        if v == Verdict.ADMITTED:
            return _("Admitted as a walk-in: a seat is booked.") if self.scan.walk_in else _("Welcome in.")
        if v == Verdict.ALREADY_SCANNED:
            if self.checkpoint.is_entrance:
                return _("Already checked in at %(time)s, welcome back.") % {"time": self.first_scan_time}
            return _("This badge was already let in here at %(time)s.") % {"time": self.first_scan_time}
        if v == Verdict.NO_BOOKING:
            if self.detail:
                return self.detail
            if self.walk_in_possible:
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
        return ""

    def as_json(self) -> dict:
        return {
            "verdict": self.verdict, "verdict_label": self.verdict_label, "admits": self.admits, "tone": self.tone,
            "message": self.message, "name": self.name, "category": self.category,
            "first_scan_at": self.first_scan_at.isoformat() if self.first_scan_at else None,
            "walk_in": self.scan.walk_in, "walk_in_possible": self.walk_in_possible, "nonce": self.scan.nonce,
            "checkpoint": self.checkpoint.key,
        }


def _first_admitted(registration_id: int | None, checkpoint: Checkpoint) -> Scan | None:
    if registration_id is None:
        return None
    return Scan.objects.filter(registration_id=registration_id, checkpoint=checkpoint.key,
                               verdict=Verdict.ADMITTED).first()


def _replay(scan: Scan, checkpoint: Checkpoint) -> ScanResult:
    """The result of an earlier scan with the same nonce: same verdict, nothing counted again."""
    first = _first_admitted(scan.registration_id, checkpoint) if scan.verdict == Verdict.ALREADY_SCANNED else None
    return ScanResult(verdict=scan.verdict, scan=scan, checkpoint=checkpoint, registration=scan.registration,
                      first_scan_at=first.at if first else None)


def check_in(
    *, code: str, checkpoint: Checkpoint, staff, nonce: str, walk_in: bool = False, now: datetime | None = None,
) -> ScanResult:
    """Decide whether the badge `code` may pass `checkpoint`, record the scan, and return the verdict.

    Verdicts, in the order they are decided: unknown, revoked, cancelled, not_today, already_scanned,
    then at a seminar door no_booking (walk_in=True books a free seat instead) and room_full, else admitted.
    Idempotent per `nonce`: a retry returns the first verdict and records nothing new. At most one
    `admitted` per registration and checkpoint, even for simultaneous scans (the unique constraint
    decides; the loser gets already_scanned). Seminar doors lock the seminar row while counting.
    """
    now = now or timezone.now()
    # A retried nonce is not looked up first (its insert fails on the unique nonce and is replayed then),
    # except for a walk-in, whose booking must not be made twice.
    if walk_in:
        existing = Scan.objects.filter(nonce=nonce).select_related("registration").first()
        if existing is not None:
            return _replay(existing, checkpoint)
    normalised = normalise_code(code)
    badge = None
    if CODE_RE.match(normalised):
        # The first admission here comes along in the same query, so a re-entry needs no failed insert.
        first_at = Scan.objects.filter(registration=OuterRef("registration"), checkpoint=checkpoint.key,
                                       verdict=Verdict.ADMITTED).values("at")[:1]
        badge = (
            Badge.objects.filter(code=normalised, registration__conference=checkpoint.conference)
            .select_related("registration", "registration__conference").annotate(first_at=Subquery(first_at))
            .first()
        )
    registration = badge.registration if badge else None
    base = {"nonce": nonce, "checkpoint": checkpoint.key, "seminar": checkpoint.seminar,
            "conference": checkpoint.conference, "badge": badge, "registration": registration, "staff": staff}
    today = timezone.localtime(now, LOCAL_TZ).date()

    def record(verdict: str, **extra) -> Scan | None:
        """Write the scan in a savepoint; None when a constraint refused it (nonce or admitted-once)."""
        try:
            with transaction.atomic():
                return Scan.objects.create(verdict=verdict, **{**base, **extra})
        except IntegrityError:
            return None

    def finish(verdict: str, **kwargs) -> ScanResult:
        scan = record(verdict, walk_in=kwargs.pop("walk_in_scan", False),
                      raw_code=(code or "")[:RAW_CODE_LIMIT] if verdict == Verdict.UNKNOWN else "")
        if scan is None:
            return _lost_race()
        return ScanResult(verdict=verdict, scan=scan, checkpoint=checkpoint, registration=registration, **kwargs)

    def _lost_race() -> ScanResult:
        # One query for both reasons the insert can fail: this nonce was seen, or this person is already in.
        found = Q(nonce=nonce)
        if registration is not None:
            found |= Q(registration=registration, checkpoint=checkpoint.key, verdict=Verdict.ADMITTED)
        rows = list(Scan.objects.filter(found).select_related("registration"))
        replay = next((row for row in rows if row.nonce == nonce), None)
        if replay is not None:
            return _replay(replay, checkpoint)
        first = next((row for row in rows if row.verdict == Verdict.ADMITTED), None)
        scan = record(Verdict.ALREADY_SCANNED)
        if scan is None:  # the same nonce arrived twice at once
            return _replay(Scan.objects.select_related("registration").get(nonce=nonce), checkpoint)
        return ScanResult(verdict=Verdict.ALREADY_SCANNED, scan=scan, checkpoint=checkpoint,
                          registration=registration, first_scan_at=first.at if first else None)

    if badge is None:
        return finish(Verdict.UNKNOWN)
    if badge.revoked_at is not None or registration.status == RegistrationStatus.CANCELLED:
        return finish(Verdict.REVOKED)
    seminar = checkpoint.seminar
    if seminar is not None and seminar.status == SeminarStatus.CANCELLED:
        return finish(Verdict.CANCELLED)
    if checkpoint.day != today:
        return finish(Verdict.NOT_TODAY)

    if seminar is None:
        # The entrance: admit unless already in; the admitted-once constraint settles simultaneous scans.
        if badge.first_at is not None:
            return finish(Verdict.ALREADY_SCANNED, first_scan_at=badge.first_at)
        return finish(Verdict.ADMITTED)

    with transaction.atomic():
        # The same lock order as book_seat (registration, then seminar), so a walk-in cannot deadlock with
        # the attendee booking online at that moment.
        lock(Registration.objects.filter(pk=registration.pk))
        seminar = lock_one(Seminar.objects.all(), seminar.pk)
        first = _first_admitted(registration.pk, checkpoint)
        if first is not None:
            return finish(Verdict.ALREADY_SCANNED, first_scan_at=first.at)

        has_booking = Booking.objects.filter(registration=registration, seminar=seminar,
                                             status=BookingStatus.CONFIRMED).exists()
        inside = Scan.objects.filter(checkpoint=checkpoint.key, verdict=Verdict.ADMITTED).count()
        if inside >= seminar.capacity and (has_booking or walk_in):
            return finish(Verdict.ROOM_FULL)
        booked_now = False
        if not has_booking:
            if not walk_in:
                return finish(Verdict.NO_BOOKING, walk_in_possible=has_free_seat(seminar))
            from ..errors import BookingError
            from .booking import book_seat

            try:
                booking = book_seat(registration=registration, seminar=seminar, waitlist=False, now=now,
                                    notify=False, at_the_door=True)
            except BookingError as error:
                if error.code == "full":
                    return finish(Verdict.ROOM_FULL)
                return finish(Verdict.NO_BOOKING, detail=error.message)
            if booking.status != BookingStatus.CONFIRMED:
                return finish(Verdict.NO_BOOKING)
            booked_now = True
        return finish(Verdict.ADMITTED, walk_in_scan=booked_now)
