"""Personal calendar feeds: issuing, rotating and resolving the secret feed token, and the feed's content.

Token design. A token is `lookup + secret`: `lookup` is 12 random base32 characters (public, used
only to find the row), `secret` 32 random base32 characters (160 bits from `secrets`, never derived
from ids or emails). The database keeps only `secret_hash` = SHA-256 hex of the secret, compared
with `hmac.compare_digest`; a database dump alone cannot be turned into working feed URLs.

Because only the hash is stored, the full URL can be shown exactly once: when it is made.
`issue_calendar_token` makes a new token (and so rotates: the old URL answers 404 at once) and is
called only on the attendee's explicit "create" / "make a new address" action. The attendee's page
otherwise says that a feed exists (the CalendarToken row) and offers to make a new address if the
old one is lost or leaked. We chose this over keeping a decryptable copy of the secret, which
would need another column and key management for little gain.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.urls import reverse

from sessions.models import Seminar, SeminarStatus
from sessions.selectors import load_for_calendar

from ..models import Booking, BookingStatus, CalendarToken, Registration, RegistrationStatus

TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # noqa: S105 - base32 letters, not a secret
LOOKUP_LENGTH = 12
SECRET_LENGTH = 32  # 32 × 5 bits = 160 bits
TOKEN_LENGTH = LOOKUP_LENGTH + SECRET_LENGTH
_DUMMY_HASH = hashlib.sha256(b"no such calendar token").hexdigest()


@dataclass(frozen=True)
class CalendarFeedUrls:
    https: str  # to copy into a calendar app, or open
    webcal: str  # "subscribe" link: opens the calendar app


def _random(length: int) -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(length))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_calendar_token(*, registration: Registration) -> str:
    """Make a new personal feed token for the registration and return it; the only time it is readable.

    Replaces any earlier token, whose URL then answers 404. Call only on the attendee's explicit request.
    """
    for _attempt in range(3):
        lookup, secret = _random(LOOKUP_LENGTH), _random(SECRET_LENGTH)
        try:
            with transaction.atomic():
                CalendarToken.objects.update_or_create(
                    registration=registration, defaults={"lookup": lookup, "secret_hash": _hash(secret)},
                )
        except IntegrityError:  # a lookup collision (about 1 in 2**60): draw again
            continue
        return lookup + secret
    raise RuntimeError("Could not draw a unique calendar token lookup")


def revoke_calendar_token(*, registration: Registration) -> None:
    """Stop the registration's personal feed (e.g. when the registration is cancelled)."""
    CalendarToken.objects.filter(registration=registration).delete()


def resolve_calendar_token(token: str) -> CalendarToken | None:
    """The token row (with registration and conference loaded) for a full token, or None.

    None for malformed tokens, unknown lookups, a wrong secret (compared in constant time) and
    registrations that are no longer active. One query.
    """
    if len(token) != TOKEN_LENGTH or any(char not in TOKEN_ALPHABET for char in token):
        return None
    lookup, secret = token[:LOOKUP_LENGTH], token[LOOKUP_LENGTH:]
    row = CalendarToken.objects.select_related("registration__conference").filter(lookup=lookup).first()
    matches = hmac.compare_digest(_hash(secret), row.secret_hash if row else _DUMMY_HASH)
    if row is None or not matches or row.registration.status != RegistrationStatus.ACTIVE:
        return None
    return row


def calendar_feed_urls(token: str) -> CalendarFeedUrls:
    path = reverse("registration:calendar_feed", kwargs={"token": token})
    https = f"{settings.SITE_URL}{path}"
    return CalendarFeedUrls(https=https, webcal="webcal://" + https.split("://", 1)[1])


def _feed_bookings(registration: Registration) -> Q:
    """Bookings shown in the feed: held seats and places in line, plus any booking of a seminar the
    organisers cancelled (shown as cancelled); never drafts, never seats the attendee gave up."""
    return (
        Q(registration=registration)
        & (
            Q(status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED, BookingStatus.WATCHING])
            | Q(seminar__status=SeminarStatus.CANCELLED)
        )
        & Q(seminar__in=Seminar.objects.public())
    )


def personal_feed_state(token: CalendarToken) -> dict:
    """One aggregate for the feed's ETag: counts, statuses and the newest change of bookings and seminars.

    Taken over all the registration's bookings so that a booking or seminar leaving the feed still
    moves the newest change.
    """
    shown = _feed_bookings(token.registration)
    state = Booking.objects.filter(registration=token.registration).annotate(ahead=_people_ahead()).aggregate(
        # Places in line are in the titles: the feed changes when someone ahead leaves the line.
        people_ahead=Sum("ahead", filter=shown & Q(status=BookingStatus.WAITLISTED)),
        count=Count("pk", filter=shown),
        confirmed=Count("pk", filter=shown & Q(status=BookingStatus.CONFIRMED)),
        revisions=Sum("seminar__revision", filter=shown),
        newest_booking=Max("updated_at"),
        newest_seminar=Max("seminar__updated_at"),
        programme_changed=Max("seminar__conference__programme_changed_at"),
    )
    moments = [m for m in (state.pop("newest_booking"), state.pop("newest_seminar"), state.pop("programme_changed"),
                           token.created_at) if m]
    state["newest"] = max(moments)
    return state


def _people_ahead():
    """For a booking row: how many wait before it in its seminar's line (a subquery)."""
    return Subquery(
        Booking.objects.filter(seminar_id=OuterRef("seminar_id"), status=BookingStatus.WAITLISTED)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), id__lt=OuterRef("id")))
        .order_by().values("seminar_id").annotate(n=Count("id")).values("n")
    )


def personal_feed_seminars(registration: Registration) -> tuple[list[Seminar], dict[int, str], dict[int, int]]:
    """The seminars for the feed in time order, each one's booking status by seminar pk, and the place in
    line of each waiting one. Three queries."""
    rows = Booking.objects.filter(_feed_bookings(registration)).annotate(ahead=_people_ahead()).values_list(
        "seminar_id", "status", "ahead")
    statuses, positions = {}, {}
    for seminar_id, status, ahead in rows:
        statuses[seminar_id] = status
        if status == BookingStatus.WAITLISTED:
            positions[seminar_id] = (ahead or 0) + 1
    seminars = load_for_calendar(Seminar.objects.public().filter(pk__in=list(statuses)), registration.conference)
    return seminars, statuses, positions


def personal_feed_links(registration: Registration, seminars: list[Seminar]) -> dict[int, str]:
    """Stream links for the personal feed: only seminars whose organiser allowed the link in personal feeds,
    and only what the attendee may see anyway (selectors.stream_link_for). No query."""
    from ..selectors import stream_link_for

    return {s.pk: link for s in seminars if s.stream_in_personal_feed and (link := stream_link_for(registration, s))}
