"""The organisers' messages on the desk: the log, writing one (preview, then send) and who got it."""

from __future__ import annotations

import secrets

from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from common.errors import with_code
from sessions.models import Conference

from ..access import organiser_required
from ..emails import message_texts
from ..errors import MessageError
from ..forms import MessageForm
from ..models import Audience, EmailStatus, Message
from ..selectors.messages import (
    ROLE_BOOKED,
    ROLE_REGISTERED,
    conference_messages,
    message_recipients,
    message_with_emails,
)
from ..services.messages import send_message

SAMPLE_SIZE = 10


@organiser_required
@require_GET
def message_list(request, conference):
    conference = get_object_or_404(Conference, slug=conference)
    return render(request, "desk/messages.html", {
        "conference": conference, "sent": conference_messages(conference), "nav": "desk",
    })


@organiser_required
@require_http_methods(["GET", "POST"])
def message_new(request, conference):
    """GET: the empty form (a seminar may be chosen through ?seminar=<code>). POST "preview": the email as it
    will look and who gets it; POST "send": sends it once per form (the hidden token); POST "edit": back to
    the filled form."""
    conference = get_object_or_404(Conference, slug=conference)
    if request.method == "GET":
        initial = {"token": secrets.token_urlsafe(24), "audience": Audience.REGISTERED}
        if request.GET.get("seminar"):
            initial.update(seminar=request.GET["seminar"], audience=Audience.SEMINAR_ALL)
        form = MessageForm(initial=initial, conference=conference)
        return _form_page(request, conference, form)
    form = MessageForm(request.POST, conference=conference)
    action = request.POST.get("action")
    if action not in ("preview", "send") or not form.is_valid():
        return _form_page(request, conference, form)
    data = form.cleaned_data
    if action == "send":
        try:
            message, created = send_message(
                conference=conference, audience=data["audience"], seminar=data["seminar"],
                subject=data["subject"], body=data["body"], subject_en=data["subject_en"], body_en=data["body_en"],
                author=request.user, token=data["token"],
            )
        except MessageError as error:
            form.add_error(None, error.message)
            return with_code(_form_page(request, conference, form, status=409), error)
        if message.conference_id != conference.pk:
            raise Http404("No such message")
        if created:
            flash.success(request, ngettext(
                "The message is on its way to %(n)d person.", "The message is on its way to %(n)d people.",
                message.recipient_count) % {"n": message.recipient_count})
        else:
            flash.info(request, _("This message was sent already; it was not sent again."))
        return redirect("registration:message_detail", conference=conference.slug, message=message.public_id)
    return _preview_page(request, conference, form)


def _form_page(request, conference, form, *, status: int = 200):
    return render(request, "desk/message_new.html", {
        "conference": conference, "form": form, "seminar_audiences": sorted(Audience.for_seminar()), "nav": "desk",
    }, status=status)


def _preview_page(request, conference, form):
    data = form.cleaned_data
    seminar = data["seminar"] if data["audience"] in Audience.for_seminar() else None
    recipients = message_recipients(conference, data["audience"], seminar)
    draft = Message(conference=conference, audience=data["audience"], seminar=seminar, subject=data["subject"],
                    body=data["body"], subject_en=data["subject_en"], body_en=data["body_en"])
    role = recipients[0].role if recipients else (ROLE_BOOKED if seminar else ROLE_REGISTERED)
    sample_name = recipients[0].name if recipients else _("Anna Andersson")
    previews = []
    for code, label in (("sv", _("In Swedish")), ("en", _("In English"))):
        with translation.override(code):
            texts = message_texts(draft, role=role, name=sample_name)
        previews.append({"code": code, "label": label, **texts})
    language_counts = {code: sum(1 for person in recipients if person.language == code) for code in ("sv", "en")}
    return render(request, "desk/message_preview.html", {
        "conference": conference, "form": form, "draft": draft, "seminar": seminar, "recipients": recipients,
        "sample": recipients[:SAMPLE_SIZE], "previews": previews, "language_counts": language_counts, "nav": "desk",
    })


@organiser_required
@require_GET
def message_detail(request, conference, message):
    conference = get_object_or_404(Conference, slug=conference)
    found = message_with_emails(conference, message)
    if found is None:
        raise Http404("No such message")
    message, emails = found
    statuses = {status: 0 for status in EmailStatus.values}
    for email in emails:
        statuses[email.status] += 1
    return render(request, "desk/message_detail.html", {
        "conference": conference, "message": message, "emails": emails,
        "statuses": [(EmailStatus(status).label, n) for status, n in statuses.items()], "nav": "desk",
    })
