"""Personal data: what we hold about a person (export) and removing it (erasure, invariant 13).

Erasing a person cancels their registrations the ordinary way (seats go to the lines, badges are revoked,
feeds stop) and then removes what identifies them: names, addresses, job titles, accessibility needs,
their emails in the outbox (the rows stay, blanked, so message counts stay right), their account's
addresses, password and second factor. What stays is what the figures need and what names nobody: the
registration row with its organisation, municipality or region and ticket category (so "770 attendees
from 110 municipalities" stays true), the cancelled bookings and the door scans (seat totals and
check-in counts stay right), and feedback ratings without their comments.

Staff accounts are not erased here (door scans and programme changes refer to them); an administrator
deactivates those.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.locking import lock

from ..errors import Code, PrivacyError
from ..models import ERASED_DOMAIN, Badge, Booking, EmailStatus, Feedback, OutgoingEmail, Registration, Scan
from .registrations import cancel_registration

ERASED_NAME = "—"
ERASED_ADDRESS = "erased@invalid"
# Ids of the things an email was about, never about the person: what the rows may keep.
KEPT_PARAMS = frozenset({"message", "role", "booking", "released", "kept"})


@dataclass(frozen=True)
class Erasure:
    registrations: int
    emails: int
    account: bool


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _addresses(user) -> set[str]:
    from allauth.account.models import EmailAddress

    found = {user.email} if user.email else set()
    found |= set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return {address.lower() for address in found}


def export_personal_data(user) -> dict:
    """Everything we hold about `user`, as JSON-ready data: account, registrations with their bookings,
    badges (when issued and revoked; never the code), door scans, feedback given, delegations coordinated,
    and the emails sent to them (kind, subject, when; never one-time links)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    registrations = list(
        Registration.objects.filter(user=user)
        .select_related("conference", "municipality", "region", "delegation").order_by("created_at")
    )
    bookings = (Booking.objects.filter(registration__in=registrations)
                .select_related("seminar").order_by("registration_id", "seminar__start"))
    badges = Badge.objects.filter(registration__in=registrations).order_by("issued_at")
    scans = Scan.objects.filter(registration__in=registrations).order_by("at")
    addresses = _addresses(user)
    emails = OutgoingEmail.objects.filter(
        Q(registration__in=registrations) | Q(to__in=list(addresses))).order_by("created_at")

    by_registration: dict[int, dict] = {}
    for reg in registrations:
        by_registration[reg.pk] = {
            "conference": reg.conference.name, "name": reg.name, "email": reg.email, "job_title": reg.job_title,
            "organisation_type": reg.organisation_type, "organisation": reg.organisation,
            "ticket_category": reg.category, "accessibility_needs": reg.accessibility_needs,
            "language": reg.language, "status": reg.status, "delegation": str(reg.delegation or "") or None,
            "registered_at": _iso(reg.created_at), "cancelled_at": _iso(reg.cancelled_at),
            "bookings": [], "badges": [], "door_scans": [], "feedback": [],
        }
    for booking in bookings:
        by_registration[booking.registration_id]["bookings"].append({
            "seminar": booking.seminar.title, "code": booking.seminar.code, "starts": _iso(booking.seminar.start),
            "status": booking.status, "booked_at": _iso(booking.queued_at),
        })
    for badge in badges:
        by_registration[badge.registration_id]["badges"].append(
            {"issued_at": _iso(badge.issued_at), "revoked_at": _iso(badge.revoked_at)})
    for answer in Feedback.objects.filter(registration__in=registrations).select_related("seminar").order_by("pk"):
        by_registration[answer.registration_id]["feedback"].append({
            "seminar": answer.seminar.title, "rating": answer.rating, "comment": answer.comment,
            "given_at": _iso(answer.created_at),
        })
    for scan in scans:
        by_registration[scan.registration_id]["door_scans"].append(
            {"door": scan.checkpoint, "at": _iso(scan.at), "verdict": scan.verdict})
    return {
        "account": {
            "email": user.email, "date_joined": _iso(user.date_joined), "last_login": _iso(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "second_factor": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        },
        "registrations": list(by_registration.values()),
        "delegations_coordinated": [
            {"conference": d.conference.name, "organisation": d.organisation_name, "created_at": _iso(d.created_at)}
            for d in user.coordinated_delegations.select_related("conference").order_by("created_at")
        ],
        "emails": [
            {"kind": e.kind, "to": e.to, "subject": e.subject, "status": e.status, "created_at": _iso(e.created_at),
             "sent_at": _iso(e.sent_at)}
            for e in emails
        ],
    }


def _erase_registration(registration: Registration) -> None:
    """Cancel the registration (seats to the lines, badge revoked, feed stopped) and blank what names the
    person. Call inside atomic."""
    cancel_registration(registration=registration)
    Registration.objects.filter(pk=registration.pk).update(
        name=ERASED_NAME, email=f"{registration.public_id}@{ERASED_DOMAIN}", job_title="",
        accessibility_needs="", claim_token="", user=None, updated_at=timezone.now(),
    )
    # Ratings stay in the seminars' results; a comment is the person's own words and may name them.
    Feedback.objects.filter(registration=registration).update(comment="")


def erase_from_outbox(*, emails=(), registration_ids=()) -> int:
    """Remove a person's personal data from every outbox row about them: rows linked to one of
    `registration_ids`, and rows sent to one of `emails` whatever their link (account emails have no
    registration).

    The rows stay, so an organisers' message keeps its recipient and delivery counts: the address, the key
    (derived from the address), the subject, names and secrets in the parameters and the last error go. A
    row not sent yet is not sent any more (an erased person gets no more mail). Returns how many rows were
    erased.
    """
    match = Q(pk__in=[])
    for address in emails:
        match |= Q(to__iexact=address)
    if registration_ids:
        match |= Q(registration_id__in=list(registration_ids))
    erased = 0
    with transaction.atomic():
        for row in lock(OutgoingEmail.objects.filter(match).exclude(to=ERASED_ADDRESS)):
            row.key = "erased|" + hashlib.sha256(row.key.encode()).hexdigest()
            row.to = ERASED_ADDRESS
            row.registration = None
            row.subject = ""
            row.params = {k: v for k, v in row.params.items() if k in KEPT_PARAMS}
            row.last_error = ""
            if row.status in (EmailStatus.PENDING, EmailStatus.SENDING):
                row.status, row.lease_until = EmailStatus.FAILED, None
            row.save(update_fields=["key", "to", "registration", "subject", "params", "last_error", "status",
                                    "lease_until"])
            erased += 1
    return erased


def _forget_coordinator_name(user) -> None:
    """Claim emails to a delegation's members name its coordinator: after erasing the coordinator they name
    the delegation's organisation instead ("Sala kommun has registered you…"). Call inside atomic."""
    rows = lock(OutgoingEmail.objects.filter(registration__delegation__coordinator=user)
                .select_related("registration__delegation"))
    for row in rows:
        if "coordinator_name" in row.params:
            row.params = {**row.params, "coordinator_name": row.registration.delegation.organisation_name}
            row.save(update_fields=["params"])


def erase_registration(*, registration: Registration) -> Erasure:
    """Erase one registration's personal data (an organiser's tool, e.g. for an unclaimed delegation
    place or a request by email). The person's account, if any, stays: erase_person removes that."""
    with transaction.atomic():
        lock(Registration.objects.filter(pk=registration.pk))
        address = registration.email
        _erase_registration(registration)
        emails = erase_from_outbox(emails=[address], registration_ids=[registration.pk])
    return Erasure(registrations=1, emails=emails, account=False)


def erase_person(*, user) -> Erasure:
    """Erase everything that identifies `user`: each registration (see _erase_registration), every email to
    their addresses in the outbox (erase_from_outbox), and the account's
    name, addresses, password and second factor. The account row stays, deactivated and renamed, because
    delegations they coordinated refer to it. One transaction: all of it or nothing.

    Refuses staff accounts (PrivacyError staff_account).
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    if user.is_staff or user.is_superuser:
        raise PrivacyError(Code.STAFF_ACCOUNT)
    User = get_user_model()
    with transaction.atomic():
        lock(User.objects.filter(pk=user.pk))
        addresses = _addresses(user)
        registrations = list(Registration.objects.filter(user=user).order_by("pk"))
        addresses |= {r.email.lower() for r in registrations}
        lock(Registration.objects.filter(pk__in=[r.pk for r in registrations]))
        for registration in registrations:
            _erase_registration(registration)
        emails = erase_from_outbox(emails=sorted(addresses), registration_ids=[r.pk for r in registrations])
        _forget_coordinator_name(user)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.username = f"erased-{user.pk}"
        user.email = ""
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()  # also ends every session: the session hash no longer matches
        user.save()
    return Erasure(registrations=len(registrations), emails=emails, account=True)
