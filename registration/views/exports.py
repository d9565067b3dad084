"""The organisers' lists and exports: per seminar (printable, CSV, XLSX), all registrations, check-ins,
speakers per seminar, and speakers' badges. Organisers only (with MFA), as every desk page."""

from __future__ import annotations

import io
import logging

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sessions.models import LOCAL_TZ, Conference, Seminar, SeminarStatus

from ..access import organiser_required
from ..badge_pdf import print_speaker_batch
from ..export_files import FORMATS, download
from ..forms import SpeakerBadgeForm
from ..models import OrganisationType, RegistrationStatus, TicketCategory
from ..selectors.exports import REGISTRATION_ORDERS, check_in_rows, registration_rows, seminar_list, speaker_rows
from ..services.badges import badge_speakers

# Who downloaded which list (personal data leaving the system): user id only, no one's data in the log.
logger = logging.getLogger("registration.exports")


def _conference(slug: str) -> Conference:
    return get_object_or_404(Conference, slug=slug)


def _seminar(conference: Conference, code: str) -> Seminar:
    return get_object_or_404(Seminar.objects.select_related("room", "track", "conference"),
                             conference=conference, code=code)


def _log(request, what: str, conference: Conference, fmt: str) -> None:
    logger.info("export %s of %s as %s by user %s", what, conference.slug, fmt, request.user.pk)


def _stamp() -> str:
    return f"{timezone.localtime(timezone.now(), LOCAL_TZ):%Y%m%d-%H%M}"


@organiser_required
@require_GET
def exports(request, conference):
    """The lists an organiser can download, and the speakers' badges."""
    conference = _conference(conference)
    return render(request, "desk/exports.html", {
        "conference": conference, "orders": _registration_orders(), "speaker_count": len(badge_speakers(conference)),
        "badge_form": SpeakerBadgeForm(), "nav": "desk",
    })


@organiser_required
@require_GET
def seminar_list_page(request, conference, code):
    """One seminar's booked people and line, for the room host: printable on A4, with downloads."""
    conference = _conference(conference)
    listing = seminar_list(_seminar(conference, code))
    return render(request, "desk/seminar_list.html", {
        "conference": conference, "seminar": listing.seminar, "listing": listing, "nav": "desk",
    })


def _seminar_table(listing):
    headings = [_("List"), _("Place in line"), _("Name"), _("Organisation"), _("Ticket category"),
                _("Accessibility needs"), _("Email"), _("Asked for")]
    booked, line = _("Confirmed seat"), _("In line")
    rows = [(booked, None, p.name, p.organisation, p.category, p.accessibility_needs, p.email, p.asked_at)
            for p in listing.booked]
    rows += [(line, p.position, p.name, p.organisation, p.category, p.accessibility_needs, p.email, p.asked_at)
             for p in listing.line]
    return headings, rows


@organiser_required
@require_GET
def seminar_list_download(request, conference, code, fmt):
    conference = _conference(conference)
    if fmt not in FORMATS:
        raise Http404
    seminar = _seminar(conference, code)
    headings, rows = _seminar_table(seminar_list(seminar))
    _log(request, f"seminar {seminar.code}", conference, fmt)
    return download(fmt, f"{conference.slug}-{seminar.code}-list-{_stamp()}", seminar.code, headings, rows)


def _registration_orders():
    return [("name", _("By name")), ("municipality", _("By municipality or organisation")),
            ("delegation", _("By delegation"))]


@organiser_required
@require_GET
def registrations_download(request, conference, fmt):
    conference = _conference(conference)
    order = request.GET.get("order", "name")
    if fmt not in FORMATS or order not in REGISTRATION_ORDERS:
        raise Http404
    categories, types = dict(TicketCategory.choices), dict(OrganisationType.choices)
    statuses = dict(RegistrationStatus.choices)
    headings = [_("Name"), _("Email"), _("Organisation"), _("Type of organisation"), _("Municipality"), _("County"),
                _("Region"), _("Delegation"), _("Ticket category"), _("Job title"), _("Accessibility needs"),
                _("Language"), _("Status"), _("Registered"), _("Badge printed")]
    rows = (
        (r["name"], r["email"], r["org"], types.get(r["organisation_type"], r["organisation_type"]),
         r["municipality__name"], r["municipality__county"], r["region__name"], r["delegation__organisation_name"],
         categories.get(r["category"], r["category"]), r["job_title"], r["accessibility_needs"], r["language"],
         statuses.get(r["status"], r["status"]), r["created_at"], r["badge_printed_at"])
        for r in registration_rows(conference, order=order)
    )
    _log(request, f"registrations by {order}", conference, fmt)
    return download(fmt, f"{conference.slug}-registrations-{order}-{_stamp()}", _("Registrations"), headings, rows)


@organiser_required
@require_GET
def check_ins_download(request, conference, fmt):
    conference = _conference(conference)
    if fmt not in FORMATS:
        raise Http404
    categories = dict(TicketCategory.choices)
    entrance, speaker = _("Entrance"), str(TicketCategory.SPEAKER.label)
    headings = [_("Time"), _("Door"), _("Seminar code"), _("Name"), _("Organisation"), _("Ticket category"),
                _("Walk-in")]

    def door(row) -> str:
        if row["seminar__title"] is not None:
            return row["seminar__title"]
        return f"{entrance} {row['checkpoint'].removeprefix('entrance-')}"

    rows = (
        (r["at"], door(r), r["seminar__code"], r["registration__name"] or r["speaker_badge__speaker__name"], r["org"],
         categories.get(r["registration__category"], "") if r["registration__name"] is not None else speaker,
         _("yes") if r["walk_in"] else "")
        for r in check_in_rows(conference)
    )
    _log(request, "check-ins", conference, fmt)
    return download(fmt, f"{conference.slug}-check-ins-{_stamp()}", _("Check-ins"), headings, rows)


@organiser_required
@require_GET
def speakers_download(request, conference, fmt):
    conference = _conference(conference)
    if fmt not in FORMATS:
        raise Http404
    statuses = dict(SeminarStatus.choices)
    headings = [_("Seminar code"), _("Seminar"), _("Status"), _("Start"), _("Room"), _("Speaker"), _("Job title"),
                _("Organisation"), _("Email")]
    rows = [
        (r["seminar__code"], r["seminar__title"], statuses.get(r["seminar__status"], r["seminar__status"]),
         r["seminar__start"], r["seminar__room__name"], r["speaker__name"], r["speaker__title"],
         r["speaker__organisation"], r["speaker__email"])
        for r in speaker_rows(conference)
    ]
    _log(request, "speakers", conference, fmt)
    return download(fmt, f"{conference.slug}-speakers-{_stamp()}", _("Speakers"), headings, rows)


@organiser_required
@require_POST
def speaker_badges(request, conference):
    """A PDF of badges for every speaker of a published seminar (codes issued as needed, marked printed)."""
    conference = _conference(conference)
    form = SpeakerBadgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a paper size for the speakers' badges."))
        return redirect("registration:desk_exports", conference=conference.slug)
    speakers = badge_speakers(conference)
    if not speakers:
        messages.warning(request, _("No speakers in published seminars yet: no badges to print."))
        return redirect("registration:desk_exports", conference=conference.slug)
    out = io.BytesIO()
    print_speaker_batch(speakers, out, layout=form.cleaned_data["layout"], title=conference.name)
    out.seek(0)
    _log(request, "speaker badges", conference, "pdf")
    return FileResponse(out, as_attachment=True, filename=f"{conference.slug}-speaker-badges-{_stamp()}.pdf",
                        content_type="application/pdf")
