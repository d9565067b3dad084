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
    NOT_STREAMED = "not_streamed"
    DIGITAL_NO_SEAT = "digital_no_seat"
    # Feedback
    FEEDBACK_NOT_ENDED = "feedback_not_ended"
    FEEDBACK_NOT_ELIGIBLE = "feedback_not_eligible"
    FEEDBACK_ALREADY_GIVEN = "feedback_already_given"
    FEEDBACK_LINK_INVALID = "feedback_link_invalid"
    # Registrations and delegations
    NOT_OPEN = "not_open"
    ALREADY_REGISTERED = "already_registered"
    DELEGATION_SIZE = "delegation_size"
    DUPLICATE_EMAIL = "duplicate_email"
    INVALID_CLAIM = "invalid_claim"
    TOO_LATE = "too_late"
    NOT_MEMBER = "not_member"
    # Personal data
    STAFF_ACCOUNT = "staff_account"
    CONFIRM_ERASE = "confirm_erase"
    ORGANISATION_CONFLICT = "organisation_conflict"
    ALREADY_CLAIMED = "already_claimed"
    # Organisers' messages
    NO_RECIPIENTS = "no_recipients"
    SEMINAR_REQUIRED = "seminar_required"


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
    Code.NOT_STREAMED: _("This seminar is not streamed, so it has no watch places."),
    Code.DIGITAL_NO_SEAT: _("A digital ticket gives no seat in the room. Book a watch place and follow the stream."),
    Code.FEEDBACK_NOT_ENDED: _("You can rate the seminar once it has ended."),
    Code.FEEDBACK_NOT_ELIGIBLE: _("Only people who took part in the seminar can rate it."),
    Code.FEEDBACK_ALREADY_GIVEN: _("You have already rated this seminar. Thank you!"),
    Code.FEEDBACK_LINK_INVALID: _("This feedback link is not valid or has expired."),
    Code.NOT_OPEN: _("Registration for this conference is not open."),
    Code.ALREADY_REGISTERED: _("You are already registered for this conference."),
    Code.DELEGATION_SIZE: _("A delegation has 1 to %(max)d people."),
    Code.DUPLICATE_EMAIL: _("%(email)s is listed twice."),
    Code.INVALID_CLAIM: _("This link is no longer valid. It may have been used already."),
    Code.TOO_LATE: _("The conference has started; places can no longer be handed over."),
    Code.NOT_MEMBER: _("This person is not an active member of the delegation."),
    Code.STAFF_ACCOUNT: _("Staff accounts are erased by an administrator, so that door scans and changes "
                          "stay accounted for."),
    Code.CONFIRM_ERASE: _("Tick the box and give your password to erase your account."),
    Code.ALREADY_CLAIMED: _("%(name)s has claimed their place and manages it themselves."),
    Code.ORGANISATION_CONFLICT: _("The type of organisation and the organisation you gave do not match."),
    Code.NO_RECIPIENTS: _("Nobody is in the group you chose, so there is no one to send the message to."),
    Code.SEMINAR_REQUIRED: _("Choose the seminar whose attendees should get the message."),
}


class RegistrationAppError(AppError):
    messages = MESSAGES


class BookingError(RegistrationAppError):
    """A booking request was refused."""


class FeedbackError(RegistrationAppError):
    """Feedback on a seminar was refused."""


class RegistrationError(RegistrationAppError):
    """A registration request was refused."""


class PrivacyError(RegistrationAppError):
    """An export or erasure of personal data was refused."""


class MessageError(RegistrationAppError):
    """An organisers' message was refused."""
