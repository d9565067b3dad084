"""The organisers' desk start page and the schedule board at 60 and 240 seminars. Run on purpose.

    .venv/bin/python bench/bench_board.py [--seminars 60 240] [--attendees 770 3000] [--repeat 15]

Builds the demo programme and people at each size in a throwaway SQLite file (DEBUG off), logs an
organiser with MFA in, and requests the desk (/staff/desk/<conf>/) and the board of the first day
(/staff/board/<conf>/<day>/) `--repeat` times each: the median CPU ms (time.process_time) and the
queries of one request. One board move (JSON, a free slot) is measured too. Exits 1 when a query count
grows with the data.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seminars", type=int, nargs="+", default=[60, 240])
    parser.add_argument("--attendees", type=int, nargs="+", default=[770, 3000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if len(args.seminars) != len(args.attendees):
        parser.error("give as many --attendees as --seminars")

    workdir = tempfile.mkdtemp(prefix="mvt-bench-board-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from common.access import ORGANISERS
    from registration.demo import build_demo_people, clear_demo_people
    from sessions.demo import DEMO_SLUG, build_demo_programme, parse_day
    from sessions.selectors import board_for_day

    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    organiser = get_user_model().objects.create_user(username="bench-organiser", email="org@example.org")
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    Authenticator.objects.create(user=organiser, type=Authenticator.Type.TOTP, data={"secret": "bench-only"})

    table: dict[str, list[tuple[int, float]]] = {}
    for seminars, attendees in zip(args.seminars, args.attendees, strict=True):
        started = time.perf_counter()
        clear_demo_people(DEMO_SLUG)
        conference = build_demo_programme(seminars=seminars, first_day=parse_day("+21"))
        build_demo_people(conference, attendees=attendees)
        built = time.perf_counter() - started
        day = conference.first_day.isoformat()
        client = Client()
        client.force_login(organiser)
        pages = {"desk start page": f"/staff/desk/{conference.slug}/",
                 "schedule board": f"/staff/board/{conference.slug}/{day}/"}
        print(f"{seminars} seminars, {attendees} attendees (built in {built:.0f} s)")
        for name, url in pages.items():
            times, counts = [], set()
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    cpu = time.process_time()
                    response = client.get(url)
                    cpu = (time.process_time() - cpu) * 1000
                if response.status_code != 200:
                    print(f"  {name}: HTTP {response.status_code}")
                    return 1
                times.append(cpu)
                counts.add(len(queries))
            table.setdefault(name, []).append((max(counts), statistics.median(times)))
        # One move through the board's JSON path: the day's last seminar to the grid's last row (nothing after it).
        board = board_for_day(conference, conference.first_day)
        cells = [c for row in board.rows for c in row.cells if c is not None]
        seminar = [c.seminar for c in cells if c.seminar][-1]
        free = next(c for c in board.rows[-1].cells if c is not None and c.seminar is None)
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            response = client.post(f"/staff/board/{conference.slug}/{day}/move/{seminar.code}/",
                                   {"room": free.room.pk, "start": f"{free.start:%H:%M}",
                                    "confirm": ["booked_attendees", "attendee_clash", "capacity_below_bookings"]},
                                   HTTP_ACCEPT="application/json")
            cpu = (time.process_time() - cpu) * 1000
        answer = response.json()
        if not answer["ok"]:
            print(f"  move answered {answer['code']}: {answer['message']}")
            return 1
        table.setdefault("board move (JSON)", []).append((len(queries), cpu))
        print(f"  moved “{seminar.title}” ({seminar.booked} booked or waiting)")

    sizes = " / ".join(f"{s} sem." for s in args.seminars)
    print(f"\n{'page':<22} queries ({sizes})    median CPU ms (a move: one request)")
    grew = []
    for name, rows in table.items():
        counts = [n for n, _ in rows]
        print(f"{name:<22} {' / '.join(str(n) for n in counts):<24} {' / '.join(f'{ms:.1f}' for _, ms in rows)}")
        if len(set(counts)) > 1 and name != "board move (JSON)":
            grew.append(name)
    if grew:
        print("Query counts grew with the data for: " + ", ".join(grew))
        return 1
    print("Page query counts are the same at every size (a move's depend on who booked it).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
