"""Conference registrations: one person, delegations of colleagues, claiming, replacing and cancelling."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from common.locking import lock, lock_one
from sessions.models import Conference

from ..errors import Code, RegistrationError
from ..models import Badge, Booking, BookingStatus, Delegation, OrganisationType, Registration, RegistrationStatus
from ..selectors import registration_for
from .booking import cancel_booking
from .calendar import revoke_calendar_token

MAX_DELEGATION = 20


@dataclass(frozen=True)
class Member:
    name: str
    email: str


def hash_claim_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _organisation_fields(fields: dict) -> dict:
    allowed = {"organisation_type", "municipality", "region", "organisation_name", "job_title", "category",
               "accessibility_needs", "language"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown registration fields: {sorted(unknown)}")
    return fields


def _email_taken(conference: Conference, emails: list[str]) -> str | None:
    lowered = [e.lower() for e in emails]
    return (
        Registration.objects.filter(conference=conference, status=RegistrationStatus.ACTIVE)
        .annotate(email_lower=Lower("email")).filter(email_lower__in=lowered)
        .values_list("email", flat=True).first()
    )


def _unclaimed_with_email(conference: Conference, email: str) -> Registration | None:
    waiting = lock(Registration.objects.filter(
        conference=conference, status=RegistrationStatus.ACTIVE, user__isnull=True, email__iexact=email,
    ))
    return waiting[0] if waiting else None


def register(*, user, conference: Conference, name: str, **fields) -> Registration:
    """Register `user` for `conference`. One active registration per person and edition.

    If a delegation coordinator already registered the user's (verified) address, that place becomes theirs.

    Raises RegistrationError("already_registered" | "not_open").
    """
    if not conference.is_published:
        raise RegistrationError(Code.NOT_OPEN)
    fields = _organisation_fields(fields)
    with transaction.atomic():
        if registration_for(user, conference, lean=True):
            raise RegistrationError(Code.ALREADY_REGISTERED)
        waiting = _unclaimed_with_email(conference, user.email)
        if waiting is not None:
            # A coordinator registered this address already: the person's own registration takes that place.
            for key, value in {"name": name, **fields}.items():
                setattr(waiting, key, value)
            waiting.user, waiting.claim_token, waiting.claimed_at = user, "", timezone.now()
            waiting.save()
            return waiting
        if _email_taken(conference, [user.email]):
            raise RegistrationError(Code.ALREADY_REGISTERED)
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    conference=conference, user=user, email=user.email, name=name, claimed_at=timezone.now(),
                    **fields,
                )
        except IntegrityError:
            raise RegistrationError(Code.ALREADY_REGISTERED) from None
        _promise_email("registered", registration)
    return registration


def register_delegation(
    *, coordinator, conference: Conference, organisation_name: str, members: list[Member], **fields
) -> Delegation:
    """Register 1–20 colleagues from one organisation. Each gets an email with a link to claim their place.

    Raises RegistrationError("delegation_size" | "duplicate_email" | "already_registered" | "not_open").
    """
    if not conference.is_published:
        raise RegistrationError(Code.NOT_OPEN)
    fields = _organisation_fields(fields)
    if not 1 <= len(members) <= MAX_DELEGATION:
        raise RegistrationError(Code.DELEGATION_SIZE, max=MAX_DELEGATION)
    _refuse_repeated_emails(members)
    with transaction.atomic():
        taken = _email_taken(conference, [m.email for m in members])
        if taken:
            raise RegistrationError(
                Code.ALREADY_REGISTERED, _("%(email)s is already registered for this conference."), email=taken,
            )
        delegation = Delegation.objects.create(
            conference=conference, coordinator=coordinator, organisation_name=organisation_name
        )
        try:
            with transaction.atomic():
                for member in members:
                    _create_unclaimed(delegation, member, fields, coordinator_name=_display_name(coordinator))
        except IntegrityError:
            # Someone registered one of these addresses at the same moment: the delegation is not made.
            raise RegistrationError(
                Code.ALREADY_REGISTERED, _("One of these people was registered just now. Please try again."),
            ) from None
    return delegation


def _refuse_repeated_emails(members: list[Member]) -> None:
    """RegistrationError("duplicate_email") naming the first address that comes twice (in any case)."""
    seen: set[str] = set()
    for member in members:
        if member.email.lower() in seen:
            raise RegistrationError(Code.DUPLICATE_EMAIL, email=member.email)
        seen.add(member.email.lower())


def add_delegation_members(*, delegation: Delegation, members: list[Member]) -> list[Registration]:
    """Add colleagues to an existing delegation, up to MAX_DELEGATION active members in all. They get the
    delegation's organisation, ticket category and email language (from its latest member) and a claim email.

    Locks the delegation row, so two additions at once cannot pass the limit together.
    Raises RegistrationError("delegation_size" | "duplicate_email" | "already_registered" | "not_open").
    """
    conference = delegation.conference
    if not conference.is_published:
        raise RegistrationError(Code.NOT_OPEN)
    _refuse_repeated_emails(members)
    with transaction.atomic():
        delegation = lock_one(Delegation.objects.select_related("conference", "coordinator"), delegation.pk)
        active = delegation.members.filter(status=RegistrationStatus.ACTIVE).count()
        if not members or active + len(members) > MAX_DELEGATION:
            raise RegistrationError(
                Code.DELEGATION_SIZE,
                _("A delegation has at most %(max)d people. It has %(active)d, so you can add %(free)d more.")
                % {"max": MAX_DELEGATION, "active": active, "free": max(MAX_DELEGATION - active, 0)},
            )
        taken = _email_taken(conference, [m.email for m in members])
        if taken:
            raise RegistrationError(
                Code.ALREADY_REGISTERED, _("%(email)s is already registered for this conference."), email=taken,
            )
        model = delegation.members.order_by("-created_at", "-pk").first()
        if model is None:  # every member erased: the delegation's name is all that is left
            model = Registration(organisation_type=OrganisationType.OTHER,
                                 organisation_name=delegation.organisation_name)
        fields = {key: getattr(model, key) for key in
                  ("organisation_type", "municipality", "region", "organisation_name", "category", "language")}
        try:
            with transaction.atomic():
                return [_create_unclaimed(delegation, member, fields,
                                          coordinator_name=_display_name(delegation.coordinator))
                        for member in members]
        except IntegrityError:
            raise RegistrationError(
                Code.ALREADY_REGISTERED, _("One of these people was registered just now. Please try again."),
            ) from None


def _active_member(delegation: Delegation, registration: Registration) -> Registration:
    """The member's registration row, locked. Call inside atomic. Raises RegistrationError("not_member")."""
    registration = lock_one(Registration.objects.all(), registration.pk)
    if registration.delegation_id != delegation.pk or not registration.is_active:
        raise RegistrationError(Code.NOT_MEMBER)
    return registration


def resend_claim(*, delegation: Delegation, registration: Registration) -> None:
    """Email an unclaimed member a new claim link; the old link stops working.

    Raises RegistrationError("not_member" | "already_claimed").
    """
    with transaction.atomic():
        registration = _active_member(delegation, registration)
        if registration.user_id is not None:
            raise RegistrationError(Code.ALREADY_CLAIMED, name=registration.name)
        token = secrets.token_urlsafe(32)
        registration.claim_token = hash_claim_token(token)
        registration.save(update_fields=["claim_token"])
        _promise_email("claim", registration, token=token, coordinator_name=_display_name(delegation.coordinator))


def cancel_delegate(*, delegation: Delegation, registration: Registration) -> None:
    """A coordinator cancels a member's place without giving it to anyone (see cancel_registration).

    Raises RegistrationError("too_late" | "not_member"), as replacing does: until the conference starts.
    """
    if not can_replace_delegates(delegation.conference):
        raise RegistrationError(Code.TOO_LATE, _("The conference has started; ask the organisers to cancel a place."))
    with transaction.atomic():
        _active_member(delegation, registration)
        cancel_registration(registration=registration)


def bookable_by_coordinator(*, delegation: Delegation, registration: Registration) -> Registration:
    """The member's registration when the coordinator may book seats for it: an active member who has not
    claimed the place yet (after claiming, people book their own). Raises RegistrationError("not_member" |
    "already_claimed"). Reads only; booking itself goes through services.booking."""
    if registration.delegation_id != delegation.pk or not registration.is_active:
        raise RegistrationError(Code.NOT_MEMBER)
    if registration.user_id is not None:
        raise RegistrationError(Code.ALREADY_CLAIMED, name=registration.name)
    return registration


def _display_name(user) -> str:
    return user.get_full_name() or user.email


def _create_unclaimed(delegation: Delegation, member: Member, fields: dict, *, coordinator_name: str) -> Registration:
    token = secrets.token_urlsafe(32)
    registration = Registration.objects.create(
        conference=delegation.conference, delegation=delegation, email=member.email, name=member.name,
        claim_token=hash_claim_token(token), organisation_name=fields.get("organisation_name")
        or delegation.organisation_name,
        **{k: v for k, v in fields.items() if k != "organisation_name"},
    )
    _promise_email("claim", registration, token=token, coordinator_name=coordinator_name)
    return registration


def registration_for_claim(token: str) -> Registration | None:
    """The unclaimed, active registration behind a claim link, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Registration.objects.select_related("conference", "delegation")
        .filter(claim_token=hash_claim_token(token), user__isnull=True, status=RegistrationStatus.ACTIVE).first()
    )


def claim_registration(*, token: str, user) -> Registration:
    """Bind a delegation member's registration to `user`. The link works once.

    Raises RegistrationError("invalid_claim" | "already_registered").
    """
    with transaction.atomic():
        registration = registration_for_claim(token)
        if registration is None:
            raise RegistrationError(Code.INVALID_CLAIM)
        registration = lock_one(Registration.objects.all(), registration.pk)
        if registration.user_id is not None:
            raise RegistrationError(Code.INVALID_CLAIM)
        if registration_for(user, registration.conference, lean=True):
            raise RegistrationError(Code.ALREADY_REGISTERED)
        if user.email.lower() != registration.email.lower() and _email_taken(registration.conference, [user.email]):
            raise RegistrationError(Code.ALREADY_REGISTERED)
        registration.user = user
        registration.email = user.email
        registration.claim_token = ""
        registration.claimed_at = timezone.now()
        try:
            with transaction.atomic():
                registration.save(update_fields=["user", "email", "claim_token", "claimed_at", "updated_at"])
        except IntegrityError:
            raise RegistrationError(Code.ALREADY_REGISTERED) from None
    return registration


def can_replace_delegates(conference: Conference) -> bool:
    """Places can be handed over until the conference starts."""
    return timezone.now() < conference.local_bounds()[0]


def replace_delegate(*, delegation: Delegation, registration: Registration, member: Member) -> Registration:
    """Give a delegation member's place to someone else before the conference starts.

    The old registration is cancelled (its seats freed for the lines, its badge revoked) and the new
    person gets a claim email. Raises RegistrationError("too_late" | "already_registered" | "not_member").
    """
    conference = delegation.conference
    if not can_replace_delegates(conference):
        raise RegistrationError(Code.TOO_LATE)
    if registration.delegation_id != delegation.pk or not registration.is_active:
        raise RegistrationError(Code.NOT_MEMBER)
    with transaction.atomic():
        if member.email.lower() != registration.email.lower() and _email_taken(conference, [member.email]):
            raise RegistrationError(Code.ALREADY_REGISTERED, _("%(email)s is already registered for this conference."),
                                    email=member.email)
        fields = {
            "organisation_type": registration.organisation_type, "municipality": registration.municipality,
            "region": registration.region, "organisation_name": registration.organisation_name,
            "category": registration.category, "language": registration.language,
        }
        cancel_registration(registration=registration)
        return _create_unclaimed(delegation, member, fields, coordinator_name=_display_name(delegation.coordinator))


EDITABLE_FIELDS = frozenset({"name", "job_title", "organisation_type", "municipality", "region", "organisation_name",
                             "accessibility_needs", "language"})


def update_registration(*, registration: Registration, **fields) -> Registration:
    """Change what a person said about themselves (name, title, organisation, accessibility needs, language).

    The ticket category, seats and delegation stay. Locks the registration row.
    Raises RegistrationError("registration_cancelled") for a cancelled registration.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        registration = lock_one(Registration.objects.all(), registration.pk)
        if not registration.is_active:
            raise RegistrationError(Code.REGISTRATION_CANCELLED)
        for key, value in fields.items():
            setattr(registration, key, value)
        registration.save(update_fields=[*fields, "updated_at"])
    return registration


def cancel_registration(*, registration: Registration, notify: bool = True) -> bool:
    """Cancel a registration, in one transaction: every seat and place in line is cancelled (each freed seat
    goes to the first in its line), the badge is revoked (the door answers "revoked"), the calendar feed
    stops (404) and, when `notify`, the person is emailed. The person may register again later.

    Locks the registration row, then each seminar in turn (booking's order). Returns False when it was
    already cancelled (nothing is done twice).
    """
    now = timezone.now()
    with transaction.atomic():
        registration = lock_one(Registration.objects.all(), registration.pk)
        if not registration.is_active:
            return False
        for booking in Booking.objects.filter(
            registration=registration,
            status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED, BookingStatus.WATCHING],
        ).order_by("pk"):
            cancel_booking(booking=booking, now=now, notify=notify)
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.claim_token = ""
        registration.save(update_fields=["status", "cancelled_at", "claim_token", "updated_at"])
        Badge.objects.filter(registration=registration, revoked_at__isnull=True).update(revoked_at=now)
        revoke_calendar_token(registration=registration)
        if notify:
            _promise_email("cancelled", registration)
    return True


def _promise_email(kind: str, registration: Registration, **extra) -> None:
    """Promise the email in the current transaction (the outbox sends it after commit)."""
    from ..emails import registration_email

    revision = 0
    if kind == "claim":
        from django.conf import settings
        from django.urls import reverse

        token = extra.pop("token")
        extra["claim_url"] = settings.SITE_URL + reverse("registration:claim", kwargs={"token": token})
        revision = hash_claim_token(token)[:16]
    registration_email(kind, registration, revision=revision, **extra)
