"""Reads for the organisers' messages: who is in an audience, the log of messages, one message's recipients."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from sessions.models import Conference, Seminar

from ..models import (
    Audience,
    Booking,
    BookingStatus,
    Delegation,
    Message,
    OutgoingEmail,
    Registration,
    RegistrationStatus,
)

# Why a person gets a message, told to them in the email's footer.
ROLE_BOOKED = "booked"
ROLE_WAITLISTED = "waitlisted"
ROLE_WATCHING = "watching"
ROLE_REGISTERED = "registered"
ROLE_COORDINATOR = "coordinator"

_SEMINAR_STATUSES = {
    # Watch places (digital participants) hold a place as seats do: "the stream starts late" is for them too.
    Audience.SEMINAR_ALL: (BookingStatus.CONFIRMED, BookingStatus.WATCHING, BookingStatus.WAITLISTED),
    Audience.SEMINAR_BOOKED: (BookingStatus.CONFIRMED, BookingStatus.WATCHING),
    Audience.SEMINAR_WAITLISTED: (BookingStatus.WAITLISTED,),
}


_ROLES = {BookingStatus.CONFIRMED: ROLE_BOOKED, BookingStatus.WATCHING: ROLE_WATCHING,
          BookingStatus.WAITLISTED: ROLE_WAITLISTED}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    role: str
    registration: Registration | None = None


def message_recipients(conference: Conference, audience: str, seminar: Seminar | None = None) -> list[Recipient]:
    """The people an `audience` of `conference` reaches, each address once, sorted by name. Cancelled
    registrations are never in it. Seminar audiences need `seminar`. One query (coordinators: two)."""
    if audience in _SEMINAR_STATUSES:
        if seminar is None:
            return []
        bookings = (
            Booking.objects.filter(seminar=seminar, seminar__conference=conference,
                                   status__in=_SEMINAR_STATUSES[audience],
                                   registration__status=RegistrationStatus.ACTIVE)
            .select_related("registration").order_by("registration__name", "pk")
        )
        people = [
            Recipient(email=b.registration.email, name=b.registration.name, language=b.registration.language,
                      role=_ROLES[b.status],
                      registration=b.registration)
            for b in bookings
        ]
    elif audience == Audience.REGISTERED:
        people = [
            Recipient(email=r.email, name=r.name, language=r.language, role=ROLE_REGISTERED, registration=r)
            for r in Registration.objects.filter(conference=conference, status=RegistrationStatus.ACTIVE)
            .order_by("name", "pk")
        ]
    elif audience == Audience.COORDINATORS:
        people = _coordinators(conference)
    else:
        return []
    return _once_per_address(people)


def _coordinators(conference: Conference) -> list[Recipient]:
    """Coordinators of delegations that still have an active member; named and spoken to as in their own
    active registration when they have one."""
    delegations = (
        Delegation.objects.filter(conference=conference, members__status=RegistrationStatus.ACTIVE)
        .select_related("coordinator").prefetch_related(Prefetch(
            "coordinator__registrations", to_attr="own_registrations",
            queryset=Registration.objects.filter(conference=conference, status=RegistrationStatus.ACTIVE),
        )).distinct().order_by("pk")
    )
    people = []
    for delegation in delegations:
        user = delegation.coordinator
        if not user.is_active or not user.email:
            continue
        own = user.own_registrations[0] if user.own_registrations else None
        people.append(Recipient(
            email=user.email, name=own.name if own else (user.get_full_name() or ""),
            language=own.language if own else "sv", role=ROLE_COORDINATOR, registration=own,
        ))
    return sorted(people, key=lambda person: (person.name.lower(), person.email.lower()))


def _once_per_address(people: list[Recipient]) -> list[Recipient]:
    seen, once = set(), []
    for person in people:
        address = person.email.lower()
        if address not in seen:
            seen.add(address)
            once.append(person)
    return once


def conference_messages(conference: Conference) -> list[Message]:
    """The log: every message of the conference, newest first, with its seminar and author. One query."""
    return list(Message.objects.filter(conference=conference).select_related("seminar", "author"))


def message_with_emails(conference: Conference, public_id) -> tuple[Message, list[OutgoingEmail]] | None:
    """One message and its emails (each with its registration), by recipient's name. Two queries."""
    message = (
        Message.objects.filter(conference=conference, public_id=public_id).select_related("seminar", "author")
        .first()
    )
    if message is None:
        return None
    emails = list(
        OutgoingEmail.objects.filter(organiser_message=message).select_related("registration")
        .order_by("registration__name", "to", "pk")
    )
    return message, emails
