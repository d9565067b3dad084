"""An attendee's personal calendar feed (by secret URL) and the page that makes or replaces that URL."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from sessions import ics
from sessions.feeds import calendar_response, feed_version
from sessions.selectors import get_public_conference

from .. import selectors
from ..models import BookingStatus
from ..services import calendar as calendar_service

EVENT_STATUS = {
    BookingStatus.CONFIRMED: ics.CONFIRMED,
    BookingStatus.WAITLISTED: ics.TENTATIVE,
    BookingStatus.CANCELLED: ics.CANCELLED,
    BookingStatus.WATCHING: ics.CONFIRMED,
}


@require_safe
def feed(request, token):
    """The seminars the token's owner booked; 404 for any token that is not current. Two queries for a 304."""
    row = calendar_service.resolve_calendar_token(token)
    if row is None:
        raise Http404("No such calendar")
    registration = row.registration
    conference = registration.conference
    with translation.override(registration.language):
        state = calendar_service.personal_feed_state(row)
        version = feed_version(
            "personal", registration.pk, row.lookup, state["count"], state["confirmed"], state["revisions"],
            state["people_ahead"],
            conference.name, conference.venue, conference.venue_address,
            translation.get_language(), state["newest"],
        )

        def build():
            seminars, statuses, positions = calendar_service.personal_feed_seminars(registration)
            return ics.feed_calendar(
                seminars, name=_("%(conference)s: my seminars") % {"conference": conference.name},
                statuses={pk: EVENT_STATUS[status] for pk, status in statuses.items()},
                notes={pk: _("line: number %(n)d") % {"n": n} for pk, n in positions.items()},
                links=calendar_service.personal_feed_links(registration, seminars),
            )

        return calendar_response(request, version, build, filename=f"{conference.slug}-personal.ics", private=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request, conference):
    """GET: whether the attendee has a personal feed. POST: make a new feed address (the old one stops
    working) and show it, once. Only for the signed-in attendee's own registration."""
    conf = get_public_conference(conference)
    registration = selectors.registration_for(request.user, conf)
    if registration is None:
        if request.method == "POST":
            raise Http404("No registration")
        return redirect("registration:register", conference=conf.slug)
    urls = None
    if request.method == "POST":
        urls = calendar_service.calendar_feed_urls(
            calendar_service.issue_calendar_token(registration=registration)
        )
    return render(request, "attendee/calendar.html", {
        "conference": conf,
        "registration": registration,
        "calendar_urls": urls,
        "nav": "me",
    })
