"""Feedback on seminars: who may rate one, giving it once, the signed emailed link, and asking by email.

Who may rate a seminar (one rule, `may_give_feedback`): an active registration of its conference, once the
published seminar has ended, that either followed it digitally (a watch place) or sat in the room: let in
at its door when the door was scanned at all, or else holding a confirmed seat. Each person rates a
seminar once (a unique constraint backs the check). Answers are never shown with a name.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sessions.models import Conference, Seminar, SeminarStatus

from ..errors import Code, FeedbackError
from ..models import (
    FEEDBACK_KINDS,
    Booking,
    BookingStatus,
    Feedback,
    OutgoingEmail,
    Registration,
    RegistrationStatus,
    Scan,
)
from ..outbox import enqueue_email, make_key
from .booking import lock_registrations

LINK_SALT = "registration.feedback.link"
REQUEST_KIND = "feedback.request"
COMMENT_LIMIT = 2000


def link_max_age() -> timedelta:
    """How long an emailed feedback link works after it was sent."""
    return timedelta(days=int(getattr(settings, "FEEDBACK_LINK_DAYS", 30)))


def door_key(seminar: Seminar) -> str:
    return f"seminar-{seminar.code}"


def door_was_scanned(seminar: Seminar) -> bool:
    """Whether anyone was let in at the seminar's door, i.e. the door was scanned at all."""
    # Attendees only: a speaker scanned in says nothing about whether the audience was scanned.
    return Scan.objects.attendees_let_in().filter(checkpoint=door_key(seminar)).exists()


def eligible_registrations(seminar: Seminar):
    """Active registrations that took part in `seminar` (see the module docstring). Does not look at time or
    at feedback already given. One query to decide how the room is counted, then a lazy queryset."""
    watched = Booking.objects.filter(seminar=seminar, status=BookingStatus.WATCHING).values("registration_id")
    if door_was_scanned(seminar):
        in_room = Scan.objects.attendees_let_in().filter(checkpoint=door_key(seminar)).values("registration_id")
    else:
        in_room = Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED).values("registration_id")
    return Registration.objects.filter(Q(pk__in=watched) | Q(pk__in=in_room), conference_id=seminar.conference_id,
                                       status=RegistrationStatus.ACTIVE)


def took_part(registration: Registration, seminar: Seminar) -> bool:
    return eligible_registrations(seminar).filter(pk=registration.pk).exists()


def check_may_give_feedback(registration: Registration, seminar: Seminar, *, now: datetime) -> None:
    """Raise FeedbackError unless `registration` may rate `seminar` now: feedback_not_eligible (not the
    person's seminar, cancelled, draft, cancelled registration), feedback_not_ended, feedback_already_given."""
    if (not registration.is_active or registration.conference_id != seminar.conference_id
            or seminar.status != SeminarStatus.PUBLISHED or seminar.kind not in FEEDBACK_KINDS):
        raise FeedbackError(Code.FEEDBACK_NOT_ELIGIBLE)
    if now < seminar.end:
        raise FeedbackError(Code.FEEDBACK_NOT_ENDED)
    if not took_part(registration, seminar):
        raise FeedbackError(Code.FEEDBACK_NOT_ELIGIBLE)
    if Feedback.objects.filter(registration=registration, seminar=seminar).exists():
        raise FeedbackError(Code.FEEDBACK_ALREADY_GIVEN)


def give_feedback(*, registration: Registration, seminar: Seminar, rating: int, comment: str = "",
                  now: datetime | None = None) -> Feedback:
    """Record `registration`'s rating (1–5) and comment for `seminar`, once.

    Locks the registration row, so two submissions of one person are decided one after the other; the
    unique constraint is the backstop. Raises FeedbackError: feedback_not_eligible, feedback_not_ended,
    feedback_already_given; BookingError("busy") when the row stays locked; ValueError for a rating
    outside 1–5 (forms check it first).
    """
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValueError("rating must be an int from 1 to 5")
    now = now or timezone.now()
    comment = (comment or "").strip()[:COMMENT_LIMIT]
    with transaction.atomic():
        lock_registrations([registration.pk])
        check_may_give_feedback(registration, seminar, now=now)
        try:
            with transaction.atomic():
                return Feedback.objects.create(registration=registration, seminar=seminar, rating=rating,
                                               comment=comment)
        except IntegrityError as error:
            raise FeedbackError(Code.FEEDBACK_ALREADY_GIVEN) from error


# --- The emailed link ------------------------------------------------------------------------------------


def feedback_token(registration: Registration, seminar: Seminar) -> str:
    """A signed, expiring token naming (registration, seminar) by their public ids. It stops working once
    the feedback is given (the pair can be rated once), or after FEEDBACK_LINK_DAYS."""
    return signing.dumps([str(registration.public_id), seminar.code], salt=LINK_SALT)


def resolve_feedback_token(token: str) -> tuple[Registration, Seminar]:
    """The registration and seminar a token names. Raises FeedbackError("feedback_link_invalid") for a
    forged, altered, expired or malformed token, or one whose registration or seminar is gone."""
    try:
        value = signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
        public_id, code = value
        public_id = uuid.UUID(str(public_id))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise FeedbackError(Code.FEEDBACK_LINK_INVALID) from error
    registration = (Registration.objects.select_related("conference")
                    .filter(public_id=public_id, status=RegistrationStatus.ACTIVE).first())
    seminar = None
    if registration is not None and isinstance(code, str):
        seminar = (Seminar.objects.select_related("conference", "room", "track")
                   .filter(conference_id=registration.conference_id, code=code).first())
    if seminar is None:
        raise FeedbackError(Code.FEEDBACK_LINK_INVALID)
    return registration, seminar


def _request_key(registration: Registration, seminar: Seminar) -> str:
    return make_key(REQUEST_KIND, registration.email, f"feedback:{registration.pk}:{seminar.pk}", 0)


def request_feedback(*, conference: Conference, now: datetime | None = None) -> int:
    """Promise one feedback email per eligible person and ended published seminar of `conference`, to those
    who have not rated it and were not asked before. Returns how many were promised.

    Safe to run again (e.g. from cron every hour during the conference): the outbox key is per person and
    seminar, and people already asked are skipped before anything is written.
    """
    now = now or timezone.now()
    seminars = list(Seminar.objects.filter(conference=conference, status=SeminarStatus.PUBLISHED, end__lte=now,
                                           kind__in=FEEDBACK_KINDS).order_by("start", "pk"))
    promised = 0
    for seminar in seminars:
        given = Feedback.objects.filter(registration=OuterRef("pk"), seminar=seminar)
        people = list(eligible_registrations(seminar).filter(~Exists(given)).order_by("pk"))
        if not people:
            continue
        keys = {person.pk: _request_key(person, seminar) for person in people}
        asked = set(OutgoingEmail.objects.filter(key__in=list(keys.values())).values_list("key", flat=True))
        with transaction.atomic():
            for person in people:
                if keys[person.pk] in asked:
                    continue
                enqueue_email(
                    kind=REQUEST_KIND, to=person.email, obj=f"feedback:{person.pk}:{seminar.pk}", revision=0,
                    params={"registration": person.pk, "seminar": seminar.pk}, language=person.language,
                    registration=person, now=now,
                )
                promised += 1
    return promised


def open_feedback_seminar_ids(registration: Registration, statuses: dict[Seminar, str], *, now: datetime
                              ) -> tuple[set[int], set[int]]:
    """For My programme: of the person's seminars (each with the status of their booking), the ids they may
    rate now and the ids they rated; the same rule as check_may_give_feedback, for many seminars at once.
    Two queries whatever the number of seminars."""
    seminars = list(statuses)
    ended = [s for s in seminars if s.status == SeminarStatus.PUBLISHED and s.end <= now and s.kind in FEEDBACK_KINDS]
    if not ended or not registration.is_active:
        return set(), set()
    rated = set(Feedback.objects.filter(registration=registration, seminar__in=ended)
                .values_list("seminar_id", flat=True))
    doors = {door_key(s): s.pk for s in ended}
    scans = list(Scan.objects.attendees_let_in().filter(checkpoint__in=list(doors))
                 .values_list("checkpoint", "registration_id").distinct())
    scanned = {doors[checkpoint] for checkpoint, _person in scans}
    let_in = {doors[checkpoint] for checkpoint, person in scans if person == registration.pk}
    open_ids = set()
    for seminar in ended:
        status = statuses[seminar]
        if status == BookingStatus.WATCHING or (seminar.pk in let_in) or (
                seminar.pk not in scanned and status == BookingStatus.CONFIRMED):
            open_ids.add(seminar.pk)
    return open_ids - rated, rated
