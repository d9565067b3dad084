"""Public programme pages: thin views over selectors."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import LOCAL_TZ
from .ports import bookings


def home(request):
    conferences = list(selectors.published_conferences())
    if len(conferences) == 1:
        return redirect(conferences[0])
    return render(request, "programme/home.html", {"conferences": conferences})


def conference(request, conference):
    conf = selectors.get_public_conference(conference)
    return render(request, "programme/conference.html", {
        "conference": conf,
        "tracks": selectors.tracks_of(conf),
        "rooms": selectors.rooms_of(conf),
    })


def programme(request, conference):
    """The programme's front door: today during the conference, otherwise its first day."""
    conf = selectors.get_public_conference(conference)
    today = timezone.localdate(timezone=LOCAL_TZ)
    day = today if conf.first_day <= today <= conf.last_day else conf.first_day
    url = reverse("programme:day", kwargs={"conference": conf.slug, "day": day})
    if track := request.GET.get("track"):
        url += "?" + urlencode({"track": track})
    return redirect(url)


def _day_context(request, conference, day):
    """What the day pages share. The seminars are loaded lazily: the templates cache the rendered
    programme under `programme_version`, and on a cache hit nothing is loaded or rendered again."""
    conf = selectors.get_public_conference(conference)
    if day not in conf.days:
        raise Http404("Not a day of this conference")
    tracks = selectors.tracks_of(conf)
    wanted = request.GET.get("track", "")
    track = next((t for t in tracks if t.slug == wanted), None)
    return {
        "conference": conf,
        "day": day,
        "tracks": tracks,
        "track": track,
        "unknown_track": bool(wanted) and track is None,
        "load_seminars": lambda rooms=None: selectors.programme_for_day(conf, day, track, rooms=rooms, tracks=tracks),
        "programme_version": selectors.programme_version(conf),
        "day_extras": [extra] if (extra := bookings().day_extra(conf, day)) else [],
        "nav": "programme",
    }


def day(request, conference, day):
    context = _day_context(request, conference, day)
    load = context["load_seminars"]

    def slots():
        by_start: dict = {}
        for seminar in load():
            by_start.setdefault(seminar.start, []).append(seminar)
        return list(by_start.items())

    context["slots"] = slots
    return render(request, "programme/day.html", context)


def day_grid(request, conference, day):
    context = _day_context(request, conference, day)
    load = context["load_seminars"]

    def grid():
        rooms = selectors.rooms_of(context["conference"])
        return selectors.lay_out_grid(load(rooms), rooms)

    context["grid"] = grid
    return render(request, "programme/day_grid.html", context)


def seminar(request, conference, code):
    conf = selectors.get_public_conference(conference)
    seminar = selectors.get_public_seminar(conf, code)
    return render(request, "programme/seminar.html", {
        "conference": conf,
        "seminar": seminar,
        "panels": [panel] if (panel := bookings().seminar_panel(request, seminar)) else [],
        "alternatives": selectors.alternatives_to(seminar) if seminar.is_cancelled else [],
        "nav": "programme",
    })


def speakers(request, conference):
    conf = selectors.get_public_conference(conference)
    return render(request, "programme/speakers.html", {
        "conference": conf,
        "speakers": lambda: selectors.speaker_index(conf),  # called only when the list is not in the cache
        "programme_version": selectors.programme_version(conf),
        "nav": "speakers",
    })


def speaker(request, conference, slug):
    conf = selectors.get_public_conference(conference)
    return render(request, "programme/speaker.html", {
        "conference": conf,
        "speaker": selectors.get_public_speaker(conf, slug),
        "nav": "speakers",
    })
