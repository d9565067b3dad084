"""Emails to attendees: what each kind says, promised through the outbox and rendered by the worker.

`booking_email` and `registration_email` are called inside the transaction of the change they
describe: they only write outbox rows (registration.outbox). The worker calls `build_message`, which
renders text and HTML in the recipient's language, with calendar attachments, from the current data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from common.text import single_line
from sessions.models import LOCAL_TZ, Seminar

from .models import Booking, BookingStatus, Message, OutgoingEmail, Registration
from .outbox import enqueue_email

# kind -> calendar METHOD (None: no invitation). REQUEST goes only with a confirmed seat.
CALENDAR_METHOD = {
    "booked": "REQUEST",
    "promoted": "REQUEST",
    "moved": "REQUEST",
    "clash": "REQUEST",
    "cancelled": "CANCEL",
    "seminar_cancelled": "CANCEL",
    "demoted": "CANCEL",
    "waitlisted": None,
    "watching": None,  # a watch place: the stream link is in My programme, no seat to put in a calendar
}
BOOKING_KINDS = frozenset(CALENDAR_METHOD)
REGISTRATION_KINDS = frozenset({"registered", "claim", "cancelled"})
RELEASE_KIND = "programme.release"


# --- Promising (inside the change's transaction) ------------------------------------------------------


def booking_email(kind: str, booking: Booking, *, revision=None, **params) -> None:
    """Promise the `kind` email about `booking` to its person. `revision` tells two promises of the
    same kind apart (default: the booking's last change); `params` are JSON extras for the text."""
    if kind not in BOOKING_KINDS:
        raise ValueError(f"unknown booking email {kind!r}")
    registration = booking.registration
    if revision is None:
        revision = booking.updated_at.isoformat() if booking.updated_at else timezone.now().isoformat()
    enqueue_email(
        kind=f"booking.{kind}", to=registration.email, obj=f"booking:{booking.pk}", revision=revision,
        params={"booking": booking.pk, **params}, language=registration.language, registration=registration,
    )


def message_email(message, person, *, now=None) -> None:
    """Promise an organisers' `message` to one recipient (a selectors.messages.Recipient)."""
    params = {"message": message.pk, "role": person.role}
    if person.registration is None:
        params["name"] = person.name
    enqueue_email(
        kind="message", to=person.email, obj=f"message:{message.pk}", revision=0, params=params,
        language=person.language, registration=person.registration, organiser_message=message, now=now,
    )


def registration_email(kind: str, registration: Registration, *, revision=0, **params) -> None:
    """kind: "registered" (confirmation), "claim" (a coordinator registered you: claim it, `claim_url`),
    "cancelled" (the registration is cancelled, seats released)."""
    if kind not in REGISTRATION_KINDS:
        raise ValueError(f"unknown registration email {kind!r}")
    enqueue_email(
        kind=f"registration.{kind}", to=registration.email, obj=f"registration:{registration.pk}",
        revision=revision, params={"registration": registration.pk, **params}, language=registration.language,
        registration=registration,
    )


def release_email(registration: Registration, release, seminar_codes: list[str]) -> None:
    """Promise the one summary of a programme release to a person booked or in line in `seminar_codes`."""
    enqueue_email(
        kind=RELEASE_KIND, to=registration.email, obj=f"registration:{registration.pk}",
        revision=f"release-{release.pk}",
        params={"registration": registration.pk, "release": release.pk, "seminars": seminar_codes},
        language=registration.language, registration=registration,
    )


# --- Rendering (in the worker) ---------------------------------------------------------------------------


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message for one outbox row, rendered now in the row's language, with its stable Message-ID."""
    family, _dot, kind = email.kind.partition(".")
    with translation.override(email.language):
        if family == "booking":
            subject, text, html, attachments = _booking_parts(kind, email.params)
        elif family == "registration":
            subject, text, html, attachments = _registration_parts(kind, email.params)
        elif family == "feedback":
            subject, text, html, attachments = _feedback_parts(kind, email.params)
        elif email.kind == RELEASE_KIND:
            subject, text, html, attachments = _release_parts(email.params)
        elif family == "message":
            subject, text, html, attachments = _message_parts(email)
        elif family == "account":
            subject, text, html, attachments = email.params["subject"], email.params["text"], email.params.get(
                "html"), []
        else:
            raise ValueError(f"unknown email kind {email.kind!r}")
    message = EmailMultiAlternatives(
        subject=single_line(str(subject)), body=text, to=[email.to], headers={"Message-ID": email.message_id},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def _when(start, end) -> str:
    start, end = timezone.localtime(start, LOCAL_TZ), timezone.localtime(end, LOCAL_TZ)
    return f"{formats.date_format(start, 'l j F')} {start:%H:%M}–{end:%H:%M}"


def _parse(value):
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value) if isinstance(value, str) else value


def _booking_texts(kind: str, booking: Booking, params: dict) -> tuple[str, list[str]]:
    title = booking.seminar.title
    subjects = {
        "booked": (_("Seat booked: %(title)s"), _("You have a seat in “%(title)s”.")),
        "watching": (_("Watch place booked: %(title)s"),
                     _("You have a watch place for “%(title)s”. The stream or meeting link is in My programme "
                       "and on the seminar's page when you are logged in.")),
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
        "clash": (_("Seminar moved, check your seats: %(title)s"),
                  _("“%(title)s” has moved and now overlaps another seminar in which you had a seat.")),
        "demoted": (_("Seat withdrawn: %(title)s"),
                    _("The organisers had to reduce the number of seats in “%(title)s”. You are now first in "
                      "line and will get an email if a seat frees up.")),
    }
    subject, intro = subjects[kind]
    lines = [intro % {"title": title}]
    released = Seminar.objects.filter(pk__in=params.get("released", [])).order_by("start")
    if kind == "promoted":
        for other in released:
            lines.append(_("Your seat in “%(title)s” at the same time was released, so that you do not hold two "
                           "seats at once.") % {"title": other.title})
    if kind == "clash":
        lines.append(_("Old time: %(old)s. New time: %(new)s.") % {
            "old": _when(_parse(params["old_start"]), _parse(params["old_end"])),
            "new": _when(booking.seminar.start, booking.seminar.end)})
        kept = Seminar.objects.filter(pk=params.get("kept")).first()
        if kept is not None:
            lines.append(_("You keep your seat in “%(kept)s” (%(when)s), which you booked first.")
                         % {"kept": kept.title, "when": _when(kept.start, kept.end)})
        for other in released:
            lines.append(_("Your seat in “%(title)s” was released. If it still has seats, you can book it again "
                           "after cancelling the other one: %(url)s")
                         % {"title": other.title, "url": settings.SITE_URL + other.get_absolute_url()})
    if params.get("reason"):
        lines.append(_("The organisers' reason: %(reason)s") % {"reason": params["reason"]})
    if kind == "seminar_cancelled":
        lines.extend(_free_alternatives(booking))
    return subject % {"title": title}, lines


def _free_alternatives(booking: Booking) -> list[str]:
    """Lines suggesting the published seminars at the same time that have a free seat as the email is sent,
    leaving out those in which the person already has a seat or a place in line."""
    from sessions.selectors import alternatives_to

    held = set(Booking.objects.filter(registration_id=booking.registration_id, status__in=[
        BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]).values_list("seminar_id", flat=True))
    free = [other for other in alternatives_to(booking.seminar) if other.free > 0 and other.pk not in held]
    if not free:
        return []
    lines = [_("These seminars at the same time still have seats:")]
    for other in free:
        lines.append(_("“%(title)s”, %(when)s, %(room)s: %(url)s") % {
            "title": other.title, "when": _when(other.start, other.end), "room": other.room.name,
            "url": settings.SITE_URL + other.get_absolute_url()})
    return lines


def _booking_parts(kind: str, params: dict):
    booking = Booking.objects.select_related("registration", "seminar__conference", "seminar__room").get(
        pk=params["booking"]
    )
    registration, seminar = booking.registration, booking.seminar
    subject, lines = _booking_texts(kind, booking, params)
    context = {
        "registration": registration,
        "seminar": seminar,
        "booking": booking,
        "intro": lines[0],
        "details": lines[1:],
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
    text = render_to_string("emails/booking.txt", context)
    html = render_to_string("emails/booking.html", context)
    return subject, text, html, attachments


def _registration_parts(kind: str, params: dict):
    registration = Registration.objects.select_related("conference", "municipality", "region").get(
        pk=params["registration"]
    )
    conference = registration.conference
    if kind == "claim":
        subject = _("You are registered for %(conference)s – claim your place") % {"conference": conference.name}
    elif kind == "cancelled":
        subject = _("Registration cancelled: %(conference)s") % {"conference": conference.name}
    else:
        subject = _("Registration confirmed: %(conference)s") % {"conference": conference.name}
    context = {"registration": registration, "conference": conference, "kind": kind,
               "site_url": settings.SITE_URL, **{k: v for k, v in params.items() if k != "registration"}}
    text = render_to_string(f"emails/{kind}.txt", context)
    html = render_to_string(f"emails/{kind}.html", context)
    return subject, text, html, []


def _feedback_parts(kind: str, params: dict):
    """The feedback request: a signed link made now, at sending, so the outbox never stores it."""
    from .services.feedback import feedback_token, link_max_age

    registration = Registration.objects.get(pk=params["registration"])
    seminar = Seminar.objects.select_related("conference").get(pk=params["seminar"])
    url = settings.SITE_URL + reverse("registration:feedback_link",
                                      kwargs={"token": feedback_token(registration, seminar)})
    context = {"registration": registration, "seminar": seminar, "feedback_url": url,
               "link_days": link_max_age().days}
    subject = _("How was “%(title)s”?") % {"title": seminar.title}
    return subject, render_to_string("emails/feedback.txt", context), render_to_string("emails/feedback.html",
                                                                                        context), []


def _release_parts(params: dict):
    from sessions.changes import change_lines
    from sessions.models import Release
    from sessions.releases import changes_between

    registration = Registration.objects.select_related("conference").get(pk=params["registration"])
    release = Release.objects.select_related("conference").get(pk=params["release"])
    releases = list(Release.objects.filter(conference=release.conference, number__in=[release.number,
                                                                                      release.number - 1]))
    wanted = set(params["seminars"])
    changes = [
        {"title": change.current.title, "lines": change_lines(change),
         "url": settings.SITE_URL + reverse("programme:seminar", args=[release.conference.slug, change.code])
         if change.after is not None else None}
        for change in changes_between(releases, release.number - 1, release.number) if change.code in wanted
    ]
    conference = release.conference
    subject = _("Programme changes for your seminars: %(conference)s") % {"conference": conference.name}
    context = {
        "registration": registration, "conference": conference, "release": release, "changes": changes,
        "changes_url": settings.SITE_URL + reverse("programme:changes", args=[conference.slug]),
        "my_url": settings.SITE_URL + reverse("registration:my_programme", args=[conference.slug]),
    }
    text = render_to_string("emails/release.txt", context)
    html = render_to_string("emails/release.html", context)
    return subject, text, html, []


def message_texts(message: Message, *, role: str, name: str) -> dict:
    """What an organisers' message says to one person, in the active language: the organisers' own text (their
    English version for English readers when they wrote one), framed by a greeting and why the person gets it."""
    from .selectors.messages import ROLE_BOOKED, ROLE_COORDINATOR, ROLE_WAITLISTED, ROLE_WATCHING

    conference = message.conference
    english = translation.get_language() == "en" and bool(message.body_en)
    title = message.seminar.title if message.seminar_id else ""
    reasons = {
        ROLE_BOOKED: _("You get this email because you have a seat in “%(title)s” at %(conference)s."),
        ROLE_WAITLISTED: _("You get this email because you are in line for “%(title)s” at %(conference)s."),
        ROLE_WATCHING: _("You get this email because you follow “%(title)s” at %(conference)s online."),
        ROLE_COORDINATOR: _("You get this email because you coordinate a delegation to %(conference)s."),
    }
    reason = reasons.get(role, _("You get this email because you are registered for %(conference)s."))
    no_translation = translation.get_language() != "sv" and not english
    return {
        "subject": message.subject_en if english else message.subject,
        "body": message.body_en if english else message.body,
        "greeting": (_("Hello %(name)s,") % {"name": name}) if name else _("Hello,"),
        "no_translation": _("The organisers wrote no English version of this message.") if no_translation else "",
        "signature": _("The organisers of %(conference)s") % {"conference": conference.name},
        "reason": reason % {"title": title, "conference": conference.name},
        "programme_url": settings.SITE_URL + reverse("programme:programme", args=[conference.slug]),
    }


def _message_parts(email: OutgoingEmail):
    message = Message.objects.select_related("conference", "seminar").get(pk=email.params["message"])
    name = email.registration.name if email.registration_id else email.params.get("name", "")
    context = message_texts(message, role=email.params.get("role", ""), name=name)
    context["language"] = email.language
    text = render_to_string("emails/message.txt", context)
    html = render_to_string("emails/message.html", context)
    return context["subject"], text, html, []
