"""Door scanning for door staff, live door counts, badge printing for organisers, and an attendee's own badge."""

from __future__ import annotations

import io
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import AppError, with_code
from sessions.models import LOCAL_TZ, Conference

from ..access import door_staff_required, organiser_required
from ..badge_pdf import badge_pdf, batch_registrations, print_batch, print_speaker_batch
from ..forms import BadgeBatchForm, ScanForm
from ..models import Registration, RegistrationStatus
from ..selectors import registration_for
from ..selectors.badges import badge_holders, badge_speakers_of
from ..selectors.checkpoints import checkpoints_by_day, now_and_next, parse_checkpoint
from ..selectors.door import checkpoint_counts, door_counts
from ..services.badges import current_badge, issue_badge, issue_speaker_badge
from ..services.door import check_in as check_in_service
from .door_display import ScanDisplay, checkpoint_label


def _new_nonce() -> str:
    return secrets.token_urlsafe(18)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _conference(slug: str) -> Conference:
    return get_object_or_404(Conference, slug=slug)


def _door_conference(slug: str) -> Conference:
    """A conference whose doors are open to staff: a published one (a draft programme shows no doors)."""
    return get_object_or_404(Conference, slug=slug, is_published=True)


@door_staff_required
@require_GET
def door_home(request):
    conferences = list(Conference.objects.filter(is_published=True).order_by("-first_day"))
    if len(conferences) == 1:
        return redirect("registration:door_checkpoints", conference=conferences[0].slug)
    return render(request, "door/home.html", {"conferences": conferences})


@door_staff_required
@require_GET
def door_checkpoints(request, conference):
    """Doors to choose from: now and next first, then each day (others folded); ?room= narrows to one room."""
    conference = _door_conference(conference)
    now = timezone.now()
    today = timezone.localtime(now, LOCAL_TZ).date()
    counts = door_counts(conference)
    rooms = list(conference.rooms.order_by("order", "name"))
    room = next((r for r in rooms if str(r.pk) == request.GET.get("room", "")), None)

    def shown(doors):
        doors = [d for d in doors if room is None or d.is_entrance or d.seminar.room_id == room.pk]
        return [(door, checkpoint_label(door), counts.get(door.key)) for door in doors]

    by_day = checkpoints_by_day(conference)
    soon = next((now_and_next(doors, now) for day, doors in by_day if day == today), [])
    return render(request, "door/checkpoints.html", {
        "conference": conference, "days": [(day, shown(doors)) for day, doors in by_day], "today": today,
        "soon": shown(soon), "rooms": rooms, "room": room, "nav": "door",
    })


@never_cache
@door_staff_required
@require_http_methods(["GET", "POST"])
def door_scan(request, conference, checkpoint):
    """The scanning page for one door. POST checks a code in: JSON for the script, a page without it."""
    conference = _door_conference(conference)
    point = parse_checkpoint(conference, checkpoint)
    if point is None:
        raise Http404
    result = busy = None
    status = 200
    if request.method == "POST":
        form = ScanForm(request.POST)
        if form.is_valid():
            try:
                result = check_in_service(
                    code=form.cleaned_data["code"], checkpoint=point, staff=request.user,
                    nonce=form.cleaned_data["nonce"], walk_in=form.cleaned_data["walk_in"],
                )
            except AppError as error:
                # Busy rows: nothing was recorded, so the scanner may simply try the same nonce again.
                if _wants_json(request):
                    return JsonResponse({"error": error.message, "code": error.code}, status=503)
                busy, status = error, 503
            if result is not None and _wants_json(request):
                return JsonResponse({**ScanDisplay(result).as_json(), "counts": checkpoint_counts(point)})
        else:
            status = 400
            if _wants_json(request):
                errors = [str(e) for errs in form.errors.values() for e in errs]
                return JsonResponse({"error": " ".join(errors)}, status=400)
    else:
        form = None
    fresh = ScanForm(initial={"nonce": _new_nonce()})
    walk_in_form = None
    if result is not None and result.walk_in_possible:
        walk_in_form = ScanForm(initial={"nonce": _new_nonce(), "code": form.cleaned_data["code"], "walk_in": True})
    errors = {"code": [busy.message]} if busy else (form.errors if form else None)
    shown = ScanDisplay(result) if result is not None else None
    return with_code(render(request, "door/scan.html", {
        "conference": conference, "checkpoint": point, "checkpoint_label": checkpoint_label(point),
        "form": fresh, "errors": errors, "result": shown, "tone": shown.tone if shown else "",
        "walk_in_form": walk_in_form, "counts": checkpoint_counts(point), "nav": "door",
    }, status=status), busy or (result.verdict if result else None))


@never_cache
@door_staff_required
@require_GET
def door_counts_json(request, conference):
    """Live counts per door (checked in, booked, capacity), polled by the scanning and checkpoint pages."""
    conference = _door_conference(conference)
    return JsonResponse({"counts": door_counts(conference), "at": timezone.now().isoformat()})


# --- Badges -----------------------------------------------------------------------------------------


@organiser_required
@require_http_methods(["GET", "POST"])
def badge_batch(request, conference):
    """Organisers choose a batch of badges and download it as one PDF; the batch is marked printed. Below
    it, a lost badge: find the person (?q=), issue a new badge, print it alone."""
    conference = _conference(conference)
    form = BadgeBatchForm(request.POST or None, conference=conference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registrations = batch_registrations(conference, delegation=data["delegation"],
                                            category=data["category"] or None, not_printed=data["not_printed"],
                                            order=data["order"] or "name")
        if registrations:
            return _badges_file(conference, lambda out: print_batch(registrations, out, layout=data["layout"],
                                                                    title=conference.name))
        messages.warning(request, _("No badges match that choice."))
    active = Registration.objects.filter(conference=conference, status=RegistrationStatus.ACTIVE)
    query = request.GET.get("q", "")[:100]
    people, speakers, more = badge_holders(conference, query)
    return render(request, "door/badge_batch.html", {
        "conference": conference, "form": form, "total": active.count(),
        "not_printed": active.filter(badge_printed_at__isnull=True).count(),
        "query": query, "people": people, "speakers": speakers, "more": more,
    })


def _badges_file(conference, write, name: str = "badges"):
    out = io.BytesIO()
    write(out)
    out.seek(0)
    filename = f"{name}-{conference.slug}-{timezone.localtime(timezone.now(), LOCAL_TZ):%Y%m%d-%H%M}.pdf"
    return FileResponse(out, as_attachment=True, filename=filename, content_type="application/pdf")


def _reissued(request, conference, name: str):
    """Say a new badge was issued and go back to the badge page with the person found again; the message on
    top takes the focus (no #fragment, which would take it away)."""
    messages.success(request, _("A new badge was issued for %(name)s; the old one no longer works. Print it "
                                "below.") % {"name": name})
    url = f"{reverse('registration:badge_batch', kwargs={'conference': conference.slug})}?{urlencode({'q': name})}"
    return with_code(redirect(url), "badge_reissued")


@organiser_required
@require_POST
def badge_reissue(request, conference, registration):
    """Revoke a registration's badge and issue a new one (a lost badge); the old code then scans as revoked."""
    conference = _conference(conference)
    reg = get_object_or_404(Registration, conference=conference, public_id=registration,
                            status=RegistrationStatus.ACTIVE)
    issue_badge(reg)
    return _reissued(request, conference, reg.name)


@organiser_required
@require_POST
def speaker_badge_reissue(request, conference, speaker):
    """The same for a speaker's badge."""
    conference = _conference(conference)
    person = get_object_or_404(badge_speakers_of(conference), pk=speaker)
    issue_speaker_badge(person)
    return _reissued(request, conference, person.name)


@organiser_required
@require_GET
def badge_one(request, conference, registration):
    """One registration's current badge as an A6 PDF (marked printed), e.g. after a reissue."""
    conference = _conference(conference)
    reg = get_object_or_404(Registration.objects.select_related("conference", "municipality", "region"),
                            conference=conference, public_id=registration, status=RegistrationStatus.ACTIVE)
    return _badges_file(conference, lambda out: print_batch([reg], out, title=conference.name),
                        name=f"badge-{slugify(reg.name) or 'mvt'}")


@organiser_required
@require_GET
def speaker_badge_one(request, conference, speaker):
    """One speaker's current badge as an A6 PDF (marked printed)."""
    conference = _conference(conference)
    person = get_object_or_404(badge_speakers_of(conference).select_related("conference"), pk=speaker)
    return _badges_file(conference, lambda out: print_speaker_batch([person], out, title=conference.name),
                        name=f"badge-{slugify(person.name) or 'mvt'}")


@never_cache
@login_required
@require_GET
def my_badge(request, conference):
    """The signed-in attendee's own badge as an A6 PDF. Other people's badges are never reachable."""
    conference = _conference(conference)
    reg = registration_for(request.user, conference)
    if reg is None:
        raise Http404
    out = io.BytesIO()
    badge_pdf(reg, current_badge(reg), out)
    response = HttpResponse(out.getvalue(), content_type="application/pdf")
    filename = f"badge-{conference.slug}-{slugify(reg.name) or 'mvt'}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
