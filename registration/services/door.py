"""The door: check_in, composed of small pure verdict rules and one recorder of the Scan log.

Every scan is written to the append-only Scan log, whatever its verdict; a retried nonce returns the
first answer. Doors are read in selectors.checkpoints, badge codes made in services.badges; what door
staff read and hear is chosen in views.door_display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from common.locking import lock, lock_one
from sessions.models import LOCAL_TZ, Seminar, SeminarStatus

from ..badge_codes import hash_code
from ..errors import BookingError, Code
from ..models import Badge, Booking, BookingStatus, Registration, RegistrationStatus, Scan, SpeakerBadge, Verdict
from ..selectors.checkpoints import Checkpoint
from .badges import CODE_RE, find_badge, find_speaker_badge, normalise_code
from .booking import book_seat, has_free_seat

RAW_CODE_LIMIT = 200
NONCE_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


# --- The rules: facts in, a verdict code (or None: this rule has nothing to say) out -----------------


def verdict_for_badge(*, found: bool, revoked: bool = False, registration_cancelled: bool = False) -> Verdict | None:
    """unknown when the code is no badge of this conference; revoked when the badge was replaced or its
    registration is cancelled; None for a valid badge."""
    if not found:
        return Verdict.UNKNOWN
    if revoked or registration_cancelled:
        return Verdict.REVOKED
    return None


def verdict_for_checkpoint_day(*, day: date, today: date, seminar_cancelled: bool = False) -> Verdict | None:
    """cancelled for a cancelled seminar's door; not_today for a door of another day; None when it is open."""
    if seminar_cancelled:
        return Verdict.CANCELLED
    if day != today:
        return Verdict.NOT_TODAY
    return None


def verdict_for_door_time(*, now: datetime, starts: datetime, opens_before: timedelta) -> Verdict | None:
    """too_early when a seminar's door is scanned more than `opens_before` before it starts (someone at the
    wrong door, or far too soon); None once the door is open."""
    return Verdict.TOO_EARLY if now < starts - opens_before else None


def door_opens_before() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "DOOR_OPENS_MINUTES_BEFORE", 30)))


def verdict_for_repeat(*, first_admitted_at: datetime | None) -> Verdict | None:
    """already_scanned when this person was let in through this door before; None otherwise."""
    return Verdict.ALREADY_SCANNED if first_admitted_at is not None else None


def verdict_at_entrance(*, first_admitted_at: datetime | None) -> Verdict:
    """At the entrance everyone with a valid badge is let in; a second time it is already_scanned."""
    return verdict_for_repeat(first_admitted_at=first_admitted_at) or Verdict.ADMITTED


def verdict_at_seminar_door(*, has_booking: bool, inside: int, capacity: int, walk_in: bool) -> Verdict | None:
    """At a seminar's door, for someone not let in yet: room_full when as many people as the room has
    seats are inside (for a booked person or a walk-in); admitted with a confirmed seat; no_booking
    without one; None for a walk-in, whose seat must be booked first (see verdict_for_walk_in)."""
    if inside >= capacity and (has_booking or walk_in):
        return Verdict.ROOM_FULL
    if has_booking:
        return Verdict.ADMITTED
    if not walk_in:
        return Verdict.NO_BOOKING
    return None


def verdict_for_walk_in(*, seated: bool, refusal: str | None = None) -> Verdict:
    """After trying to book a walk-in's seat: room_full when booking refused it as full, no_booking when it
    refused for another reason (`refusal` is the BookingError code) or gave no confirmed seat, else admitted."""
    if refusal == Code.FULL:
        return Verdict.ROOM_FULL
    if refusal is not None or not seated:
        return Verdict.NO_BOOKING
    return Verdict.ADMITTED


def may_enter(verdict: str, *, at_entrance: bool, is_speaker: bool = False) -> bool:
    """Whether the person may go in: admitted, or coming back in through the entrance (a speaker through any
    door: they step out and in again while setting up)."""
    return verdict == Verdict.ADMITTED or (verdict == Verdict.ALREADY_SCANNED and (at_entrance or is_speaker))


ROLE_ATTENDEE = "attendee"
ROLE_SPEAKER = "speaker"


# --- The answer and its one recorder --------------------------------------------------------------------


@dataclass
class ScanResult:
    """The answer to one scan: a stable verdict code (registration.models.Verdict) and plain facts."""

    verdict: str
    scan: Scan
    checkpoint: Checkpoint
    registration: Registration | None = None
    first_scan_at: datetime | None = None
    walk_in_possible: bool = False
    booking_error: BookingError | None = None  # why a walk-in's seat could not be booked
    opens_at: datetime | None = None  # when a seminar's door opens (for too_early)
    speaker_badge: SpeakerBadge | None = None

    @property
    def role(self) -> str:
        """ROLE_SPEAKER for a speaker's badge, else ROLE_ATTENDEE (also for an unknown code)."""
        return ROLE_SPEAKER if self.speaker_badge is not None else ROLE_ATTENDEE

    @property
    def admits(self) -> bool:
        return may_enter(self.verdict, at_entrance=self.checkpoint.is_open_to_all,
                         is_speaker=self.role == ROLE_SPEAKER)

    @property
    def name(self) -> str:
        if self.speaker_badge is not None:
            return self.speaker_badge.speaker.name
        return self.registration.name if self.registration else ""


@dataclass(frozen=True)
class ScanAttempt:
    """One scan being decided: what every Scan row written for it shares."""

    code: str
    nonce: str
    checkpoint: Checkpoint
    staff: object
    badge: Badge | None = None
    speaker_badge: SpeakerBadge | None = None

    @property
    def registration(self) -> Registration | None:
        return self.badge.registration if self.badge else None


def _first_admitted(registration_id: int | None, checkpoint: Checkpoint) -> Scan | None:
    if registration_id is None:
        return None
    return Scan.objects.filter(registration_id=registration_id, checkpoint=checkpoint.key,
                               verdict=Verdict.ADMITTED).first()


def _replay(scan: Scan, checkpoint: Checkpoint) -> ScanResult:
    """The result of an earlier scan with the same nonce: same verdict, nothing counted again."""
    first = None
    if scan.verdict == Verdict.ALREADY_SCANNED:
        first = (_first_admitted(scan.registration_id, checkpoint) if scan.speaker_badge_id is None
                 else _first_admitted_speaker(scan.speaker_badge_id, checkpoint))
    return ScanResult(verdict=scan.verdict, scan=scan, checkpoint=checkpoint, registration=scan.registration,
                      first_scan_at=first.at if first else None, speaker_badge=scan.speaker_badge)


def _first_admitted_speaker(speaker_badge_id: int, checkpoint: Checkpoint) -> Scan | None:
    return Scan.objects.filter(speaker_badge_id=speaker_badge_id, checkpoint=checkpoint.key,
                               verdict=Verdict.ADMITTED).first()


def _unknown_code_as_kept(code: str | None) -> str:
    """What an unknown scan keeps of what was read, to diagnose scanners: the text itself, except for a
    well-formed code (maybe another conference's real badge), of which only a fingerprint of its hash."""
    normalised = normalise_code(code or "")
    if CODE_RE.match(normalised):
        return "sha256:" + hash_code(normalised)[:16]
    return (code or "")[:RAW_CODE_LIMIT]


def _insert(attempt: ScanAttempt, verdict: str, *, walk_in: bool = False) -> Scan | None:
    """Write one Scan row in a savepoint; None when a constraint refused it (nonce or admitted-once)."""
    checkpoint = attempt.checkpoint
    raw_code = _unknown_code_as_kept(attempt.code) if verdict == Verdict.UNKNOWN else ""
    try:
        with transaction.atomic():
            return Scan.objects.create(
                nonce=attempt.nonce, checkpoint=checkpoint.key, seminar=checkpoint.seminar,
                conference=checkpoint.conference, badge=attempt.badge, registration=attempt.registration,
                speaker_badge=attempt.speaker_badge, staff=attempt.staff, verdict=verdict, walk_in=walk_in,
                raw_code=raw_code,
            )
    except IntegrityError:
        return None


def record_scan(attempt: ScanAttempt, verdict: str, *, walk_in: bool = False, **facts) -> ScanResult:
    """Append the Scan row for `verdict` and return the answer (`facts` are ScanResult fields).

    Nonce-idempotent: a nonce already in the log writes nothing and replays the first answer. At most one
    admitted row per person and door: when a simultaneous scan was let in first, this one is recorded as
    already_scanned instead.
    """
    checkpoint, registration, nonce = attempt.checkpoint, attempt.registration, attempt.nonce
    speaker_badge = attempt.speaker_badge
    facts.setdefault("speaker_badge", speaker_badge)
    scan = _insert(attempt, verdict, walk_in=walk_in)
    if scan is not None:
        return ScanResult(verdict=verdict, scan=scan, checkpoint=checkpoint, registration=registration, **facts)
    # One query for both reasons the insert can fail: this nonce was seen, or this person is already in.
    found = Q(nonce=nonce)
    if registration is not None:
        found |= Q(registration=registration, checkpoint=checkpoint.key, verdict=Verdict.ADMITTED)
    if speaker_badge is not None:
        found |= Q(speaker_badge=speaker_badge, checkpoint=checkpoint.key, verdict=Verdict.ADMITTED)
    rows = list(Scan.objects.filter(found).select_related("registration", "speaker_badge__speaker"))
    replay = next((row for row in rows if row.nonce == nonce), None)
    if replay is not None:
        return _replay(replay, checkpoint)
    first = next((row for row in rows if row.verdict == Verdict.ADMITTED), None)
    scan = _insert(attempt, Verdict.ALREADY_SCANNED)
    if scan is None:  # the same nonce arrived twice at once
        return _replay(Scan.objects.select_related("registration").get(nonce=nonce), checkpoint)
    return ScanResult(verdict=Verdict.ALREADY_SCANNED, scan=scan, checkpoint=checkpoint, registration=registration,
                      first_scan_at=first.at if first else None, speaker_badge=speaker_badge)


# --- check_in -------------------------------------------------------------------------------------------


def _find_badge(code: str, checkpoint: Checkpoint) -> Badge | None:
    """The badge the code names in this conference, with its registration and, as `first_at`, when that
    person was first let in through this door (so a re-entry needs no failed insert)."""
    normalised = normalise_code(code)
    if not CODE_RE.match(normalised):
        return None
    first_at = Scan.objects.filter(registration=OuterRef("registration"), checkpoint=checkpoint.key,
                                   verdict=Verdict.ADMITTED).values("at")[:1]
    return (
        find_badge(normalised).filter(registration__conference=checkpoint.conference)
        .select_related("registration", "registration__conference").annotate(first_at=Subquery(first_at))
        .first()
    )


def check_in(
    *, code: str, checkpoint: Checkpoint, staff, nonce: str, walk_in: bool = False, now: datetime | None = None,
) -> ScanResult:
    """Decide whether the badge `code` may pass `checkpoint`, record the scan, and return the verdict.

    Verdicts, in the order they are decided: unknown, revoked, cancelled, not_today, too_early (a seminar
    door more than DOOR_OPENS_MINUTES_BEFORE before its start), already_scanned,
    then at a seminar door no_booking (walk_in=True books a free seat instead) and room_full, else admitted.
    The door of a plenary, break or exhibition admits every valid badge, as the entrance does.
    Idempotent per `nonce`: a retry returns the first verdict and records nothing new. At most one
    `admitted` per registration and checkpoint, even for simultaneous scans (the unique constraint
    decides; the loser gets already_scanned). Seminar doors lock the registration, then the seminar row,
    while counting; raises BusyError when those rows stay locked too long (nothing is recorded then).
    """
    now = now or timezone.now()
    # A retried nonce is not looked up first (its insert fails on the unique nonce and is replayed then),
    # except for a walk-in, whose booking must not be made twice.
    if walk_in:
        existing = Scan.objects.filter(nonce=nonce).select_related("registration").first()
        if existing is not None:
            return _replay(existing, checkpoint)
    badge = _find_badge(code, checkpoint)
    if badge is None:
        speaker_badge = find_speaker_badge(code, checkpoint.conference)
        if speaker_badge is not None:
            return _check_in_speaker(ScanAttempt(code=code, nonce=nonce, checkpoint=checkpoint, staff=staff,
                                                 speaker_badge=speaker_badge), now=now)
    attempt = ScanAttempt(code=code, nonce=nonce, checkpoint=checkpoint, staff=staff, badge=badge)
    registration = attempt.registration
    seminar = checkpoint.seminar

    verdict = verdict_for_badge(
        found=badge is not None, revoked=badge is not None and badge.revoked_at is not None,
        registration_cancelled=registration is not None and registration.status == RegistrationStatus.CANCELLED,
    ) or verdict_for_checkpoint_day(
        day=checkpoint.day, today=timezone.localtime(now, LOCAL_TZ).date(),
        seminar_cancelled=seminar is not None and seminar.status == SeminarStatus.CANCELLED,
    )
    if verdict is not None:
        return record_scan(attempt, verdict)

    if seminar is not None:
        verdict = verdict_for_door_time(now=now, starts=seminar.start, opens_before=door_opens_before())
        if verdict is not None:
            return record_scan(attempt, verdict, opens_at=seminar.start - door_opens_before())

    if checkpoint.is_open_to_all:
        # The entrance, or a plenary's, break's or exhibition's door (no seats: any registered attendee may
        # pass). The admitted-once constraint settles simultaneous scans, so no lock is needed.
        return record_scan(attempt, verdict_at_entrance(first_admitted_at=badge.first_at),
                           first_scan_at=badge.first_at)

    with transaction.atomic():
        # The same lock order as book_seat (registration, then seminar), so a walk-in cannot deadlock with
        # the attendee booking online at that moment.
        lock(Registration.objects.filter(pk=registration.pk))
        seminar = lock_one(Seminar.objects.all(), seminar.pk)
        first = _first_admitted(registration.pk, checkpoint)
        verdict = verdict_for_repeat(first_admitted_at=first.at if first else None)
        if verdict is not None:
            return record_scan(attempt, verdict, first_scan_at=first.at)

        verdict = verdict_at_seminar_door(
            has_booking=Booking.objects.filter(registration=registration, seminar=seminar,
                                               status=BookingStatus.CONFIRMED).exists(),
            # Speakers hold no seat: only attendees let in count against the room's seats.
            inside=Scan.objects.attendees_let_in().filter(checkpoint=checkpoint.key).count(),
            capacity=seminar.capacity, walk_in=walk_in,
        )
        if verdict == Verdict.NO_BOOKING:
            return record_scan(attempt, verdict, walk_in_possible=has_free_seat(seminar))
        if verdict is not None:
            return record_scan(attempt, verdict)

        try:
            booking = book_seat(registration=registration, seminar=seminar, waitlist=False, now=now,
                                notify=False, at_the_door=True)
        except BookingError as error:
            verdict = verdict_for_walk_in(seated=False, refusal=error.code)
            # room_full speaks for itself; another refusal is told as booking put it.
            return record_scan(attempt, verdict, booking_error=error if verdict == Verdict.NO_BOOKING else None)
        verdict = verdict_for_walk_in(seated=booking.status == BookingStatus.CONFIRMED)
        return record_scan(attempt, verdict, walk_in=verdict == Verdict.ADMITTED)


def _check_in_speaker(attempt: ScanAttempt, *, now: datetime) -> ScanResult:
    """A speaker's badge: revoked when replaced; at a seminar's door cancelled or not_today as for everyone;
    else admitted at the entrance and at any published seminar's door (no seat needed, never too early, the
    room's seat count untouched), already_scanned (still let in) when let in through this door before."""
    checkpoint = attempt.checkpoint
    seminar = checkpoint.seminar
    verdict = verdict_for_badge(found=True, revoked=attempt.speaker_badge.revoked_at is not None) or (
        verdict_for_checkpoint_day(
            day=checkpoint.day, today=timezone.localtime(now, LOCAL_TZ).date(),
            seminar_cancelled=seminar is not None and seminar.status == SeminarStatus.CANCELLED,
        )
    )
    if verdict is not None:
        return record_scan(attempt, verdict)
    first = _first_admitted_speaker(attempt.speaker_badge.pk, checkpoint)
    return record_scan(attempt, verdict_at_entrance(first_admitted_at=first.at if first else None),
                       first_scan_at=first.at if first else None)
