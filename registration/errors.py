"""Why registration refused something: stable codes and, in one table, what people are told."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import AppError


class Code(StrEnum):
    # Seats
    REGISTRATION_CANCELLED = "registration_cancelled"
    WRONG_CONFERENCE = "wrong_conference"
    SEMINAR_CANCELLED = "seminar_cancelled"
    NOT_BOOKABLE = "not_bookable"
    NO_SEATS = "no_seats"
    BOOKING_CLOSED = "booking_closed"
    STARTED = "started"
    ENDED = "ended"
    OVERLAP = "overlap"
    FULL = "full"
    BUSY = "busy"
    # Registrations and delegations
    NOT_OPEN = "not_open"
    ALREADY_REGISTERED = "already_registered"
    DELEGATION_SIZE = "delegation_size"
    DUPLICATE_EMAIL = "duplicate_email"
    INVALID_CLAIM = "invalid_claim"
    TOO_LATE = "too_late"
    NOT_MEMBER = "not_member"


MESSAGES = {
    Code.REGISTRATION_CANCELLED: _("Your registration is cancelled."),
    Code.WRONG_CONFERENCE: _("This seminar belongs to another conference."),
    Code.SEMINAR_CANCELLED: _("This seminar is cancelled."),
    Code.NOT_BOOKABLE: _("This seminar cannot be booked."),
    Code.NO_SEATS: _("There are no seats to book: this part of the programme is open to everyone registered."),
    Code.BOOKING_CLOSED: _("Seat booking has not opened yet."),
    Code.STARTED: _("This seminar has already started, so seats can no longer be booked online. Ask at the door."),
    Code.ENDED: _("This seminar is over."),
    Code.OVERLAP: _("This seminar overlaps “%(title)s”, which you have already booked."),
    Code.FULL: _("The seminar is full."),
    Code.BUSY: _("Many people are booking right now. Please try again in a moment."),
    Code.NOT_OPEN: _("Registration for this conference is not open."),
    Code.ALREADY_REGISTERED: _("You are already registered for this conference."),
    Code.DELEGATION_SIZE: _("A delegation has 1 to %(max)d people."),
    Code.DUPLICATE_EMAIL: _("%(email)s is listed twice."),
    Code.INVALID_CLAIM: _("This link is no longer valid. It may have been used already."),
    Code.TOO_LATE: _("The conference has started; places can no longer be handed over."),
    Code.NOT_MEMBER: _("This person is not an active member of the delegation."),
}


class RegistrationAppError(AppError):
    messages = MESSAGES


class BookingError(RegistrationAppError):
    """A booking request was refused."""


class RegistrationError(RegistrationAppError):
    """A registration request was refused."""
