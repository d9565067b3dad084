"""Public calendar feeds: a whole edition, one track, one room, and one seminar's .ics download.

Every view answers a conditional GET from one cheap aggregate (ETag and Last-Modified) before it
loads or builds anything; only a changed feed is rendered by sessions.ics.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import frab, ics, selectors
from .models import Conference, Room, Seminar, SeminarStatus, Track
from .selectors import load_for_calendar

PUBLIC_MAX_AGE = 300  # seconds a shared cache may reuse a public feed
PRIVATE_MAX_AGE = 300
# Statuses anyone may see (Seminar.objects.public() minus its conference check, for aggregates).
PUBLIC_STATUSES = (SeminarStatus.PUBLISHED, SeminarStatus.CANCELLED)


@dataclass(frozen=True)
class FeedVersion:
    """What a conditional GET is answered from: a strong ETag and the newest change."""

    etag: str
    last_modified: datetime | None


def feed_version(*parts) -> FeedVersion:
    """Hash the parts (aggregates, names, language, format version) into a quoted ETag.

    The last datetime among the parts is not taken: pass `last_modified` as the final part.
    """
    *rest, last_modified = parts
    digest = hashlib.sha256(
        "|".join(str(part) for part in (ics.FORMAT_VERSION, settings.SITE_URL, *rest, last_modified)).encode()
    ).hexdigest()[:32]
    return FeedVersion(etag=f'"{digest}"', last_modified=last_modified)


def public_feed_version(seminars: QuerySet, *names, programme_changed_at: datetime | None = None) -> FeedVersion:
    """One aggregate over a conference's seminars (drafts included only in the newest change, so that a
    seminar taken back to draft also moves Last-Modified; drafts' content never enters the feed)."""
    public = Q(status__in=PUBLIC_STATUSES)
    state = seminars.aggregate(
        count=Count("pk", filter=public), revisions=Sum("revision", filter=public), newest=Max("updated_at"),
    )
    newest = max((m for m in (state["newest"], programme_changed_at) if m), default=None)
    return feed_version(*names, state["count"], state["revisions"], translation.get_language(), newest)


def calendar_response(
    request, version: FeedVersion, build, *, filename: str, private: bool = False, attachment: bool = False,
    content_type: str = "text/calendar; charset=utf-8",
) -> HttpResponse:
    """200 with the built document (a calendar unless `content_type` says otherwise), or 304 when the
    client's copy is current; `build()` runs only for 200."""
    response = get_conditional_response(
        request, etag=version.etag,
        last_modified=int(version.last_modified.timestamp()) if version.last_modified else None,
    )
    if response is None:
        response = HttpResponse(build(), content_type=content_type)
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = version.etag
    if version.last_modified:
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
    if private:
        response["Cache-Control"] = f"private, max-age={PRIVATE_MAX_AGE}"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


def _feed_url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _conference_feed(request, conf: Conference, *, only: dict, name: str, key: tuple, filename: str,
                     source: str) -> HttpResponse:
    """A feed of the conference's public seminars narrowed by `only` (e.g. {"track": track})."""
    version = public_feed_version(
        Seminar.objects.filter(conference=conf, **only), *key, conf.name, conf.venue, conf.venue_address,
        programme_changed_at=conf.programme_changed_at,
    )

    def build():
        seminars = Seminar.objects.public().filter(conference=conf, **only)
        return ics.feed_calendar(load_for_calendar(seminars, conf), name=name, source=source)

    return calendar_response(request, version, build, filename=filename)


@require_safe
def programme_feed(request, conference):
    """The whole programme of an edition."""
    with translation.override(settings.LANGUAGE_CODE):
        conf = selectors.get_public_conference(conference)
        return _conference_feed(
            request, conf, only={},
            name=_("%(conference)s programme") % {"conference": conf.name}, key=("all", conf.pk),
            filename=f"{conf.slug}.ics", source=_feed_url("programme:feed", conference=conf.slug),
        )


@require_safe
def track_feed(request, conference, track):
    with translation.override(settings.LANGUAGE_CODE):
        found = (
            Track.objects.select_related("conference")
            .filter(conference__slug=conference, conference__is_published=True, slug=track).first()
        )
        if found is None:
            raise Http404("No such track")
        conf = found.conference
        return _conference_feed(
            request, conf, only={"track": found},
            name=_("%(conference)s: %(track)s") % {"conference": conf.name, "track": found.name},
            key=("track", found.pk, found.name), filename=f"{conf.slug}-{found.slug}.ics",
            source=_feed_url("programme:feed_track", conference=conf.slug, track=found.slug),
        )


@require_safe
def room_feed(request, conference, room):
    with translation.override(settings.LANGUAGE_CODE):
        found = (
            Room.objects.select_related("conference")
            .filter(conference__slug=conference, conference__is_published=True, pk=room).first()
        )
        if found is None:
            raise Http404("No such room")
        conf = found.conference
        return _conference_feed(
            request, conf, only={"room": found},
            name=_("%(conference)s: %(room)s") % {"conference": conf.name, "room": found.name},
            key=("room", found.pk, found.name), filename=f"{conf.slug}-room-{found.pk}.ics",
            source=_feed_url("programme:feed_room", conference=conf.slug, room=found.pk),
        )


@require_safe
def seminar_ics(request, conference, code):
    """One seminar as an .ics download (the "Add to calendar" button); answered from one query when current."""
    with translation.override(settings.LANGUAGE_CODE):
        seminar = (
            Seminar.objects.public().select_related("conference", "room", "track")
            .filter(conference__slug=conference, code=code.upper()).first()
        )
        if seminar is None:
            raise Http404("No such seminar")
        conf = seminar.conference
        version = feed_version(
            "seminar", seminar.pk, seminar.revision, seminar.status, seminar.room.name,
            seminar.track.name if seminar.track else "", seminar.kind,
            conf.name, conf.venue, conf.venue_address, translation.get_language(),
            max(seminar.updated_at, conf.programme_changed_at),
        )

        def build():
            return ics.seminar_calendar(seminar)

        return calendar_response(request, version, build, filename=f"{conf.slug}-{seminar.code}.ics",
                                 attachment=True)


# --- The programme in the frab schedule format -------------------------------------------------------------

SCHEDULE_FORMATS = {
    "json": "application/json; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
}


@require_safe
def schedule_export(request, conference, fmt):
    """The published programme as frab schedule JSON or XML, answered from one aggregate when current."""
    with translation.override(settings.LANGUAGE_CODE):
        conf = selectors.get_public_conference(conference)
        version = public_feed_version(
            Seminar.objects.filter(conference=conf), "frab", frab.FORMAT_VERSION, conf.pk, conf.name, conf.venue,
            programme_changed_at=conf.programme_changed_at,
        )

        def build():
            rooms, tracks, seminars = selectors.load_for_schedule(conf)
            data = frab.schedule(conf, rooms, tracks, seminars, version=version.etag.strip('"')[:12])
            if fmt == "xml":
                return frab.schedule_xml(data)
            return json.dumps(data, ensure_ascii=False, indent=1)

        return calendar_response(request, version, build, filename=f"{conf.slug}-schedule.{fmt}",
                                 content_type=SCHEDULE_FORMATS[fmt])
