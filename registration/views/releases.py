"""The organisers' release page: what the next programme release would publish, and publishing it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.errors import with_code
from sessions.changes import change_lines, kind_label
from sessions.models import Conference
from sessions.ports import bookings
from sessions.releases import ReleaseError, pending_changes, publish_release

from ..access import organiser_required

NOTE_MAX = 2000


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def releases(request, conference):
    conference = get_object_or_404(Conference, slug=conference)
    error = None
    note = ""
    if request.method == "POST":
        note = request.POST.get("note", "")
        if len(note) > NOTE_MAX:
            error = _("The note is too long: at most %(n)d characters.") % {"n": NOTE_MAX}
        else:
            try:
                release = publish_release(conference=conference, by=request.user, note=note)
            except ReleaseError as refused:
                error = refused
            else:
                messages.success(request, _("Release %(number)d is published.") % {"number": release.number})
                target = reverse("registration:desk_releases", args=[conference.slug])
                return with_code(HttpResponseRedirect(target), "published")
    changes = pending_changes(conference)
    latest = conference.releases.order_by("-number").first()
    response = render(request, "desk/releases.html", {
        "conference": conference,
        "latest": latest,
        "next_number": (latest.number if latest else 0) + 1,
        "changes": [{"title": c.current.title, "labels": [kind_label(k) for k in c.ordered_kinds()],
                     "lines": change_lines(c)} for c in changes],
        "announces": latest is not None,
        "affected": bookings().people_affected([c.seminar_id for c in changes]) if changes and latest else 0,
        "error": str(error) if error else None,
        "note": note,
        "note_max": NOTE_MAX,
        "public_url": reverse("programme:changes", args=[conference.slug]),
        "nav": "desk",
    }, status=400 if error else 200)
    return with_code(response, getattr(error, "code", "note_too_long") if error else None)
