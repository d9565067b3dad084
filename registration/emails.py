"""Emails to attendees: text and HTML, in the attendee's language, with calendar attachments.

Callers send these from `transaction.on_commit`, so nothing goes out for a rolled-back change.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.text import single_line

from .models import Booking, BookingStatus, Registration

logger = logging.getLogger(__name__)

# kind -> (calendar METHOD or None, whether only confirmed bookings get the invitation)
CALENDAR_METHOD = {
    "booked": "REQUEST",
    "promoted": "REQUEST",
    "moved": "REQUEST",
    "cancelled": "CANCEL",
    "seminar_cancelled": "CANCEL",
    "demoted": "CANCEL",
    "waitlisted": None,
}


def _booking_texts(kind: str, booking: Booking) -> tuple[str, str]:
    title = booking.seminar.title
    subjects = {
        "booked": (_("Seat booked: %(title)s"), _("You have a seat in “%(title)s”.")),
        "waitlisted": (_("On the waiting list: %(title)s"),
                       _("“%(title)s” is full. You are in line and will get an email if a seat frees up.")),
        "promoted": (_("You got a seat: %(title)s"),
                     _("A seat freed up in “%(title)s” and it is now yours. If you can no longer come, "
                       "please cancel so the next person in line gets it.")),
        "cancelled": (_("Booking cancelled: %(title)s"), _("Your booking for “%(title)s” is cancelled.")),
        "seminar_cancelled": (_("Seminar cancelled: %(title)s"),
                              _("We are sorry: “%(title)s” has been cancelled by the organisers. "
                                "Your booking is cancelled; you can book another seminar.")),
        "moved": (_("Seminar moved: %(title)s"),
                  _("“%(title)s” has a new time or room. Please check the details below.")),
        "demoted": (_("Seat withdrawn: %(title)s"),
                    _("The organisers had to reduce the number of seats in “%(title)s”. You are now first in "
                      "line and will get an email if a seat frees up.")),
    }
    subject, intro = subjects[kind]
    return subject % {"title": title}, intro % {"title": title}


def send_booking_emails(kind: str, bookings: list[Booking]) -> None:
    """Send each person their email; one failure (a bad address, a mail server hiccup) is logged and does
    not stop the others or the request: the change they describe has already been committed."""
    for booking in bookings:
        try:
            send_booking_email(kind, booking)
        except Exception:
            logger.exception("Could not send the %s email for booking %s", kind, booking.pk)


def send_booking_email(kind: str, booking: Booking) -> None:
    registration = booking.registration
    seminar = booking.seminar
    with translation.override(registration.language):
        subject, intro = _booking_texts(kind, booking)
        context = {
            "registration": registration,
            "seminar": seminar,
            "booking": booking,
            "intro": intro,
            "kind": kind,
            "seminar_url": settings.SITE_URL + seminar.get_absolute_url(),
            "my_url": settings.SITE_URL + reverse("registration:my_programme", args=[seminar.conference.slug]),
        }
        attachments = []
        method = CALENDAR_METHOD.get(kind)
        if method == "REQUEST" and booking.status != BookingStatus.CONFIRMED:
            method = None
        if method:
            from sessions.ics import seminar_invitation

            attachments.append((
                "seminar.ics",
                seminar_invitation(seminar, attendee_name=registration.name, attendee_email=registration.email,
                                   method=method),
                f"text/calendar; charset=utf-8; method={method}",
            ))
        send(registration.email, subject, "emails/booking", context, attachments)


def send_registration_email(kind: str, registration: Registration, **extra) -> None:
    """kind: "registered" (confirmation), "claim" (a coordinator registered you: claim it)."""
    with translation.override(registration.language):
        conference = registration.conference
        if kind == "claim":
            subject = _("You are registered for %(conference)s – claim your place") % {"conference": conference.name}
        else:
            subject = _("Registration confirmed: %(conference)s") % {"conference": conference.name}
        context = {"registration": registration, "conference": conference, "kind": kind,
                   "site_url": settings.SITE_URL, **extra}
        send(registration.email, subject, f"emails/{kind}", context)


def send(to: str, subject: str, template: str, context: dict, attachments=()) -> None:
    """Send one email. The subject is put on one line first: a line break in it (a title stored before
    titles had to be one line) would make Django refuse the whole email with BadHeaderError."""
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=single_line(subject), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()
