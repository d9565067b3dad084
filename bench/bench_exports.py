"""Exports: a per-seminar XLSX for a 400-seat seminar, and the all-registrations XLSX (and CSV) for 3000
attendees, through the desk's own views: CPU time (time.process_time) and peak traced memory (tracemalloc).

    .venv/bin/python bench/bench_exports.py [--seats 400] [--line 100] [--attendees 3000]

Uses a throwaway SQLite file unless DATABASE_URL is set to a database whose name starts with "bench".
The all-registrations export runs at a quarter and at the full size: with write_only XLSX and chunked reads
its peak memory should stay nearly flat while the rows grow fourfold.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import warnings
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=400)
    parser.add_argument("--line", type=int, default=100)
    parser.add_argument("--attendees", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per export (the best is shown)")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="mvt-bench-exports-")
    pg_url = os.environ.get("DATABASE_URL", "")
    os.environ["DATABASE_URL"] = pg_url if pg_url.startswith("postgres") else f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    warnings.filterwarnings("ignore", message="No directory at")
    if connection.vendor == "postgresql" and not settings.DATABASES["default"]["NAME"].startswith("bench"):
        print("DATABASE_URL for this bench must name a database starting with 'bench'", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)

    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from registration.models import Booking, BookingStatus, Municipality, Registration
    from registration.roles import ORGANISERS
    from sessions.models import LOCAL_TZ, Conference, Room, Seminar, SeminarStatus, Track

    slug = f"bench{int(time.time())}"
    conference = Conference.objects.create(name="MVT Bench", slug=slug, venue="Kistamässan",
                                           first_day=date(2027, 2, 3), last_day=date(2027, 2, 4), is_published=True)
    track = Track.objects.create(conference=conference, name="Äldreomsorg", slug="aldre")
    room = Room.objects.create(conference=conference, name="Stora salen", capacity=args.seats)
    start = timezone.datetime(2027, 2, 3, 10, tzinfo=LOCAL_TZ)
    seminar = Seminar.objects.create(conference=conference, title="Välfärdsteknik i hemtjänsten", track=track,
                                     room=room, start=start, end=start + timedelta(hours=1),
                                     status=SeminarStatus.PUBLISHED)
    municipalities = list(Municipality.objects.all()[:290])
    first = ["Åsa", "Örjan", "Märta", "Björn", "Lena", "Ali", "Karin", "Johan", "Ingrid", "Per"]
    last = ["Öberg", "Ågren", "Lindqvist", "Nilsson", "Bergström-Ärlemalm", "Ek", "Karlsson"]

    def people(n, offset):
        Registration.objects.bulk_create([
            Registration(conference=conference, email=f"p{i}@example.org", name=f"{first[i % 10]} {last[i % 7]} {i}",
                         organisation_type="municipality", municipality=municipalities[i % len(municipalities)],
                         category="staff", accessibility_needs="Hörslinga" if i % 20 == 0 else "",
                         job_title="Enhetschef")
            for i in range(offset, offset + n)
        ], batch_size=500)

    quarter = args.attendees // 4
    people(quarter, 0)
    User = get_user_model()
    organiser = User.objects.create_user(username=f"org-{slug}", email=f"org-{slug}@example.org", password="x" * 20)
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    Authenticator.objects.create(user=organiser, type=Authenticator.Type.TOTP, data={"secret": "bench-only"})
    client = Client()
    client.force_login(organiser)

    def measure(url):
        """Best CPU seconds of a few runs, then one traced run for the peak; returns (cpu, peak, bytes)."""
        best = None
        for _ in range(args.repeat):
            started = time.process_time()
            response = client.get(url)
            size = sum(len(chunk) for chunk in response.streaming_content)
            cpu = time.process_time() - started
            assert response.status_code == 200, (url, response.status_code)
            best = cpu if best is None else min(best, cpu)
        tracemalloc.start()
        response = client.get(url)
        for _chunk in response.streaming_content:
            pass
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return best, peak, size

    print(f"database: {connection.vendor}")
    rows = []
    for size in (quarter, args.attendees):
        have = Registration.objects.filter(conference=conference).count()
        if have < size:
            people(size - have, have)
        for fmt in ("xlsx", "csv"):
            cpu, peak, nbytes = measure(f"/staff/desk/{slug}/exports/registrations.{fmt}?order=municipality")
            rows.append((f"all registrations {fmt.upper()}", size, cpu, peak, nbytes))

    regs = list(Registration.objects.filter(conference=conference).order_by("pk")[:args.seats + args.line])
    now = timezone.now()
    Booking.objects.bulk_create([
        Booking(registration=r, seminar=seminar, queued_at=now + timedelta(seconds=i),
                status=BookingStatus.CONFIRMED if i < args.seats else BookingStatus.WAITLISTED)
        for i, r in enumerate(regs)
    ], batch_size=500)
    for fmt in ("xlsx", "csv"):
        cpu, peak, nbytes = measure(f"/staff/desk/{slug}/seminars/{seminar.code}/list.{fmt}")
        rows.append((f"seminar list {fmt.upper()} ({args.seats} seats + {args.line} in line)",
                     args.seats + args.line, cpu, peak, nbytes))

    for name, n, cpu, peak, nbytes in rows:
        print(f"{name}: {n} rows, CPU {cpu:.3f} s, peak traced memory {peak / 1e6:.1f} MB, file {nbytes / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
