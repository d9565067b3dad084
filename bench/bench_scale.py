"""The demo at 10×: do query counts stay put, and do the pages still answer? Run on purpose.

    .venv/bin/python bench/bench_scale.py [--seminars 60 600] [--attendees 770 10000]

Builds the demo programme and people at each size in a throwaway SQLite file (DEBUG off) and counts
the queries of the public pages (anonymous), an attendee's My programme and personal feed, a booking
and the organisers' conflicts page, with the CPU time of one request each. The counts must be the same
at every size (they are pinned exactly for 60/240 seminars in tests/programme/test_query_counts.py);
the script exits 1 when one grows.
"""

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seminars", type=int, nargs="+", default=[60, 600])
    parser.add_argument("--attendees", type=int, nargs="+", default=[770, 10000])
    args = parser.parse_args()
    if len(args.seminars) != len(args.attendees):
        parser.error("give as many --attendees as --seminars")

    workdir = tempfile.mkdtemp(prefix="mvt-bench-scale-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registration.demo import build_demo_people, clear_demo_people
    from registration.models import Booking, Registration
    from registration.services.booking import current_time, has_free_seat, overlapping_bookings
    from registration.services.calendar import issue_calendar_token
    from sessions.demo import DEMO_SLUG, build_demo_programme, parse_day
    from sessions.models import Seminar

    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)

    table: dict[str, list[tuple[int, float]]] = {}
    for seminars, attendees in zip(args.seminars, args.attendees, strict=True):
        started = time.perf_counter()
        clear_demo_people(DEMO_SLUG)  # the programme cannot be replaced under its registrations
        conference = build_demo_programme(seminars=seminars, first_day=parse_day("+21"))
        logins = build_demo_people(conference, attendees=attendees)
        built = time.perf_counter() - started
        slug = conference.slug
        seminar = Seminar.objects.public().filter(conference=conference, status="published").order_by("start")[
            seminars // 2]
        speaker = seminar.speakers.first()
        registration = Registration.objects.filter(conference=conference, user__isnull=False,
                                                   status="active").order_by("pk").first()
        token = issue_calendar_token(registration=registration)
        day = conference.first_day.isoformat()
        pages = {
            "day (cold)": ("get", f"/{slug}/program/{day}/", None),
            "grid (cold)": ("get", f"/{slug}/program/{day}/grid/", None),
            "seminar": ("get", seminar.get_absolute_url(), None),
            "speakers (cold)": ("get", f"/{slug}/speakers/", None),
            "speaker": ("get", speaker.get_absolute_url(), None),
            "programme feed (cold)": ("get", f"/{slug}/calendar.ics", None),
            "my programme": ("get", f"/{slug}/me/", registration.user),
            "personal feed": ("get", f"/cal/{token}.ics", None),
            "book a seat": ("post", None, registration.user),
        }
        # A seminar this person can take a seat in: free seats, nothing of theirs at that time.
        free = next(
            candidate for candidate in Seminar.objects.filter(
                conference=conference, status="published", start__gt=current_time()
            ).exclude(bookings__registration=registration).select_related("conference").order_by("-start")
            if has_free_seat(candidate) and not overlapping_bookings(registration.pk, candidate).exists()
        )
        print(f"{seminars} seminars, {Registration.objects.filter(conference=conference).count()} registrations, "
              f"{Booking.objects.filter(seminar__conference=conference).count()} bookings (built in {built:.0f} s)")
        for name, (method, url, user) in pages.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            if name == "book a seat":
                url = f"/{slug}/seminars/{free.code}/book/"
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                cpu = time.process_time()
                response = getattr(client, method)(url)
                cpu = (time.process_time() - cpu) * 1000
            if response.status_code >= 400:
                print(f"  {name}: HTTP {response.status_code}")
                return 1
            if name == "book a seat" and response.get("X-MVT-Code") != "confirmed":
                print(f"  booking answered {response.get('X-MVT-Code')}, not a seat")
                return 1
            table.setdefault(name, []).append((len(queries), cpu))
        del logins

    sizes = " / ".join(f"{s} sem., {a} att." for s, a in zip(args.seminars, args.attendees, strict=True))
    print(f"\n{'page':<24} queries ({sizes})    CPU ms of one request")
    grew = []
    for name, rows in table.items():
        counts = [n for n, _ in rows]
        print(f"{name:<24} {' / '.join(str(n) for n in counts):<28} {' / '.join(f'{ms:.1f}' for _, ms in rows)}")
        if len(set(counts)) > 1:
            grew.append(name)
    if grew:
        print("Query counts grew with the data for: " + ", ".join(grew))
        return 1
    print("Query counts are the same at every size.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
